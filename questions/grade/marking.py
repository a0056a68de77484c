"""Marking: each answer read through its blank's form (the spellings ``practice`` accepts), points with partial
credit per blank, the named mistake behind each wrong answer, and a student's several Moodle attempts made one
grade as Moodle makes it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..choices import LETTERS
from ..core import Wrong, blanked
from ..practice import Verdict, grade
from ..quiz import Question
from .answer_files import Student
from .quiz_file import AnswersError


@dataclass(frozen=True, slots=True)
class Marked:
    """One question of one student's sheet, marked."""

    number: int  # on the student's sheet, from 1
    question: Question
    verdict: Verdict
    points: float
    mistakes: tuple[Wrong, ...]  # the named mistakes (one per wrong blank that one explains)
    choice: int | None = None  # --mc: the option chosen (index into question.choices)
    whole: Wrong | None = None  # the named mistake a whole map was made with (then the one in ``mistakes``)
    dropped: bool = False  # out of the total for everyone (grade --drop)

    @property
    def out_of(self) -> int:
        return 0 if self.dropped else self.question.points


@dataclass
class Result:
    student: Student
    marked: list[Marked]
    attempts: list[Result] = field(default_factory=list)  # a student's every attempt, first to last, where several
    graded_by: str = ""  # how the attempts made the grade (questions/attempts.py's ATTEMPTS)

    # cached: the class statistics ask for every student's total once per question
    @cached_property
    def total(self) -> float:
        return sum([m.points for m in self.marked])

    @cached_property
    def max_points(self) -> int:
        return sum([m.out_of for m in self.marked])

    @cached_property
    def percent(self) -> float:
        return 100 * self.total / self.max_points if self.max_points else 0.0


def chosen_option(question, typed: str | None) -> tuple[str | None, int | None]:
    """An --mc answer as the text of the option chosen: a letter as printed on the sheet (a, b, ...), also typed
    as circled, ``(c)`` or ``c)``, or the option's own text; the option's index where one is."""
    if typed is None:
        return None, None
    letter = typed.strip().lower().strip("().").strip()  # as circled: c, c), (c), C.
    if len(letter) == 1 and letter in LETTERS[: len(question.choices)]:
        index = LETTERS.index(letter)
        return question.choices[index].text, index
    plain = " ".join(typed.split())
    return typed, next((i for i, c in enumerate(question.choices) if c.text == plain), None)


def _whole_mistake(question, parts, verdict: Verdict) -> Wrong | None:
    """The named mistake that made the whole map typed (every cell read and each that mistake's value), as
    one wrong cell is named by its own mistake: a map convolved with the flipped kernel is 'flipped the
    kernel'."""
    made = blanked(question).wholes
    if not made or verdict.correct or any(b.state in ("empty", "unreadable") for b in verdict.blanks):
        return None
    values = [blank.read(b.typed) for blank, b in zip(parts, verdict.blanks)]
    for wrong in made:
        cells = [v for row in wrong.value for v in row]
        if all(blank.type.same(v, c, blank.tolerance) for blank, v, c in zip(parts, values, cells)):
            return wrong
    return None


def mark(student: Student, dropped: frozenset[str] = frozenset()) -> Result:
    """The student's marks; a question whose id is in ``dropped`` earns nothing and counts for nothing. All who
    typed the same answer to a question of a sheet share one Marked (none is changed once made): a class of
    100,000 holds a few thousand, not two million."""
    sheet = student.sheet
    marked = []
    for number, (question, parts, texts) in enumerate(zip(sheet.questions, sheet.parts, student.texts), start=1):
        out = question.id in dropped
        seen = (number, tuple(texts), out)
        known = sheet.verdicts.get(seen)
        if known is None:
            choice = None
            if question.choices:  # text that is none of the options is read as typed
                typed, choice = chosen_option(question, texts[0])
                texts = [typed]
            verdict = grade(question, texts, parts, sheet.blank_results.setdefault(number, {}))
            whole = _whole_mistake(question, parts, verdict)
            mistakes = (whole,) if whole else tuple(b.mistake for b in verdict.blanks if b.mistake)
            points = 0 if out else question.points * verdict.score
            known = sheet.verdicts[seen] = Marked(number, question, verdict, points, mistakes, choice, whole, out)
        marked.append(known)
    return Result(student, marked)


def by_student(results: list[Result], method: str, source: str) -> list[Result]:
    """One result per student, in the order each first appears: a single attempt as it is; several graded by
    ``method`` as Moodle grades them, with every attempt kept (ordered by when it started) for the student's
    page. The highest grade is the first attempt that reached it; the mean's marks per question are the
    attempts' means, shown with the last attempt's answers."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.student.id, []).append(result)
    combined = []
    for attempts in groups.values():
        if len(attempts) == 1:
            combined.append(attempts[0])
            continue
        if any(not a.student.started_at for a in attempts):
            unread = next(a.student for a in attempts if not a.student.started_at)
            raise AnswersError(
                f"{source}: {unread.id} has {len(attempts)} attempts and one's 'Started' "
                f"({unread.started or 'empty'}) is not a date convzoo reads, so which came first "
                "cannot be told"
            )
        attempts = sorted(attempts, key=lambda a: a.student.started_at)  # stable: a tie keeps the file's order
        if method == "mean":
            last = attempts[-1]
            marked = [
                replace(m, points=statistics.fmean(a.marked[at].points for a in attempts))
                for at, m in enumerate(last.marked)
            ]
            grades = [_number(a.student.moodle_grade) for a in attempts]
            read = [g for g in grades if g is not None]
            moodle = f"{statistics.fmean(read):.2f}" if len(read) == len(grades) else None
            combined.append(Result(replace(last.student, moodle_grade=moodle), marked, attempts, method))
            continue
        chosen = {"first": attempts[0], "last": attempts[-1], "highest": max(attempts, key=lambda a: a.total)}[
            method
        ]  # max: the first of equal totals
        combined.append(Result(chosen.student, chosen.marked, attempts, method))
    return combined


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None
