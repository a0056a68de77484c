"""The result: the class's statistics (each slot's facility and discrimination, success per kind, the
misconceptions, the options chosen, the answers a person must read), and each student's feedback page's name."""

from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..practice import BlankResult
from .columns import short_label
from .marking import Marked, Result


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation of two lists (None where either does not vary, as Moodle leaves it empty)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    dx, dy = [x - mx for x in xs], [y - my for y in ys]
    sxx, syy = sum([d * d for d in dx]), sum([d * d for d in dy])
    if not sxx or not syy:
        return None
    return sum([a * b for a, b in zip(dx, dy)]) / (sxx * syy) ** 0.5


@dataclass
class SlotStats:
    """A quiz slot (the same kind in every version) as Moodle's statistics report gives it: the facility, the
    mean share of its marks (%), and the discrimination index, 100 x the correlation of its marks with the
    marks of the rest of the test (``question/classes/statistics/questions/calculator.php``)."""

    slot: int
    kind: str
    points: int
    attempts: int
    facility: float
    discrimination: float | None
    numbers: list[tuple[int, list[str]]]  # each number it is printed under, with the versions printing it there
    omitted: int  # students who left every blank of it empty

    @property
    def printed(self) -> str:
        """Its numbers on the sheets: '3' where every sheet prints it as question 3, else each number with the
        versions that print it there, '3 (A, C); 7 (B)', or with how many do, '3 (4 sheets); 7 (2)', where
        there are many (a roster's)."""
        if len(self.numbers) == 1:
            return str(self.numbers[0][0])
        if sum(len(versions) for _, versions in self.numbers) <= 8:
            return "; ".join(f"{n} ({', '.join(versions)})" for n, versions in self.numbers)
        return "; ".join(
            f"{n} ({len(versions)}{' sheets' if i == 0 else ''})" for i, (n, versions) in enumerate(self.numbers)
        )


@dataclass
class Misconception:
    name: str
    students: int
    times: int
    where: list[tuple[str, int]]  # (student id, question number on their sheet), once per time
    kinds: list[str]

    @property
    def places(self) -> list[str]:
        """Where it was made, as the papers say it: 's001 Q3' (a student's id and the question's number)."""
        return [f"{student} Q{number}" for student, number in self.where]


@dataclass
class OptionCount:
    question: str  # 'question 4, version B'
    options: list[tuple[str, bool, str, int]]  # text, correct, feedback, times chosen
    unanswered: int
    other: int  # text that is none of the options


@dataclass
class Unread:
    student: str
    question: int  # its number on the student's sheet
    blank: str
    typed: str
    message: str | None  # why it cannot be read (practice says it for every unreadable blank)


@dataclass
class Summary:
    results: list[Result]
    slots: list[SlotStats]
    kinds: list[tuple[str, float, int]]  # kind, success rate (%), questions answered
    misconceptions: list[Misconception]
    options: list[OptionCount]
    unreadable: list[Unread]
    percents: list[float] = field(default_factory=list)
    absent: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, version) of --absent students
    threshold: float = 50.0  # --below: students under this percent are listed
    changes: list[str] = field(default_factory=list)  # what grading changed, in one line each

    @cached_property  # a class's results are not changed once summarized
    def ranked(self) -> list[Result]:
        """The students by score, best first (ties by id)."""
        return sorted(self.results, key=lambda r: (-r.percent, r.student.id))

    @cached_property
    def below(self) -> list[Result]:
        """The students under the threshold, lowest first."""
        return sorted((r for r in self.results if r.percent < self.threshold), key=lambda r: (r.percent, r.student.id))

    @property
    def mean(self) -> float:
        return statistics.fmean(self.percents)

    @property
    def median(self) -> float:
        return statistics.median(self.percents)


def question_name(question, number: int) -> str:
    """A version's question as its sheet prints it: 'question 4, version B' (the version from its id, 'B3')."""
    return f"question {number}, version {question.id[: -len(str(question.slot))]}"


class _Given:
    """An answer to a question as the class gave it (one Marked, or a mean of attempts' like it), with what each
    student who gave it adds: a count, the slot's mark lists, the places of its named mistakes, its unreadable
    blanks."""

    __slots__ = ("marked", "times", "marks", "rest", "places", "unread")

    def __init__(self, marked: Marked, marks: list[float], rest: list[float], places: list, unread: list):
        self.marked, self.times, self.marks, self.rest = marked, 0, marks, rest
        self.places, self.unread = places, unread


def _given(m: Marked, given: dict[tuple, _Given], by_slot: dict, found: dict[str, dict]) -> _Given:
    """The answer ``m`` gives, from ``given`` or new there: a class gives the same few answers, and what an answer
    adds to the statistics is worked out once."""
    seen = (id(m.question), id(m.verdict), m.choice, m.number)  # live objects for the whole run
    group = given.get(seen)
    if group is None:
        marks, rest = by_slot.get(m.question.slot) or by_slot.setdefault(m.question.slot, ([], []))
        places = []
        for wrong in m.mistakes:
            entry = found.setdefault(wrong.name, {"students": set(), "where": [], "kinds": set()})
            entry["kinds"].add(m.question.kind)
            places.append((entry["students"], entry["where"]))
        unread = [b for b in m.verdict.blanks if b.state == "unreadable"]
        group = given[seen] = _Given(m, marks, rest, places, unread)
    return group


def summarize(
    results: list[Result],
    absent: Iterable[tuple[str, str, str]] = (),
    threshold: float = 50.0,
    changes: Iterable[str] = (),
) -> Summary:
    """The class's statistics over ``results`` (absent students are listed, never counted), of the questions
    that count (a dropped one is in none of them); ``changes``: what grading changed (quiz.json's notes,
    --accept, --drop), for the report to say. A class gives the same few answers: what an answer adds is worked
    out once per (question, verdict, option chosen), then counted for the students who gave it."""
    by_slot: dict[int, tuple[list[float], list[float]]] = {}  # slot -> its marks, the rest of the test's
    given: dict[tuple, _Given] = {}  # (question, verdict, option chosen, number) -> the answer, in the order given
    group_of: dict[int, _Given | None] = {}  # a Marked's id -> its answer (None: dropped); a class shares a few
    found: dict[str, dict] = {}
    unreadable = []
    for result in results:
        student, total = result.student.id, result.total
        for m in result.marked:
            try:
                group = group_of[id(m)]
            except KeyError:  # a few thousand times in a class of 100,000
                group = group_of[id(m)] = None if m.dropped else _given(m, given, by_slot, found)
            if group is None:
                continue
            group.times += 1
            points = m.points
            group.marks.append(points)
            group.rest.append(total - points)
            if group.places:
                for students, where in group.places:
                    students.add(student)
                    where.append((student, m.number))
            if group.unread:
                for blank in group.unread:
                    unreadable.append(
                        Unread(
                            student,
                            m.number,
                            "" if len(m.verdict.blanks) == 1 else short_label(blank.label),
                            blank.typed,
                            blank.message,
                        )
                    )
    answered: dict[int, list[tuple[Marked, int]]] = {}  # slot -> its answers and how often, in the order first given
    for g in given.values():
        answered.setdefault(g.marked.question.slot, []).append((g.marked, g.times))
    slots = []
    for slot in sorted(by_slot):
        marks, rest = by_slot[slot]
        points = max(m.question.points for m, _ in answered[slot])
        correlation = _pearson(marks, rest)
        numbers: dict[int, list[str]] = {}
        for m, _ in answered[slot]:
            label = question_name(m.question, m.number).rsplit(" ", 1)[1]
            if label not in numbers.setdefault(m.number, []):
                numbers[m.number].append(label)
        omitted = sum(times for m, times in answered[slot] if all(b.state == "empty" for b in m.verdict.blanks))
        slots.append(
            SlotStats(
                slot,
                answered[slot][0][0].question.kind,
                points,
                len(marks),
                100 * sum(marks) / (points * len(marks)),
                None if correlation is None else 100 * correlation,
                sorted(numbers.items()),
                omitted,
            )
        )
    slots.sort(key=lambda s: (s.numbers[0][0], s.slot))  # in the order printed where every sheet agrees
    per_kind: dict[str, list[float]] = {}
    # question id -> its first marking, the times each option was chosen, and [unanswered, other]
    chose: dict[str, tuple[Marked, list[int], list[int]]] = {}
    for g in given.values():
        m, times = g.marked, g.times
        per_kind.setdefault(m.question.kind, []).extend([m.verdict.score] * times)
        if m.question.choices:
            _, picked, left = chose.get(m.question.id) or chose.setdefault(
                m.question.id, (m, [0] * len(m.question.choices), [0, 0])
            )
            if m.choice is not None:
                picked[m.choice] += times
            elif m.verdict.blanks[0].state == "empty":
                left[0] += times
            else:
                left[1] += times
    misconceptions = sorted(
        (
            Misconception(name, len(e["students"]), len(e["where"]), e["where"], sorted(e["kinds"]))
            for name, e in found.items()
        ),
        key=lambda m: (-m.students, -m.times, m.name),
    )
    return Summary(
        results,
        slots,
        sorted(
            ((kind, 100 * statistics.fmean(scores), len(scores)) for kind, scores in per_kind.items()),
            key=lambda k: (k[1], k[0]),
        ),
        misconceptions,
        [
            OptionCount(
                question_name(m.question, m.number),
                [(c.text, c.correct, c.feedback, n) for c, n in zip(m.question.choices or (), picked)],
                left[0],
                left[1],
            )
            for _, (m, picked, left) in sorted(chose.items(), key=lambda kv: (len(kv[0]), kv[0]))
        ],
        unreadable,
        [r.percent for r in results],
        list(absent),
        threshold,
        list(changes),
    )


_PLAIN_NAME = re.compile(r"[a-z0-9_@-][a-z0-9._@-]{0,63}")
# names Windows keeps for devices, whatever the extension (con.html is the console)
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


@cache  # each student's is asked for by the page's name, grades.csv and the report
def feedback_name(student_id: str) -> str:
    """A student's page, feedback/NAME.html, never another student's whatever the ids: an id that is a plain
    lower-case file name on every system is the name itself; any other (``a/b``, ``..``, ``Ann``, an Arabic or
    Chinese id) is its letters and digits with '_' for the rest, a '~' (which no plain name holds) and 8 hex
    digits of the id's SHA-256, so that ids differing in a character a file name cannot hold, or only in case
    on a case-insensitive disk, get pages of their own."""
    if _PLAIN_NAME.fullmatch(student_id) and student_id.split(".")[0] not in _DEVICES:
        return f"feedback/{student_id}.html"
    readable = re.sub(r"[^\w@-]", "_", unicodedata.normalize("NFC", student_id).casefold())[:40]
    return f"feedback/{readable}~{hashlib.sha256(student_id.encode('utf-8')).hexdigest()[:8]}.html"


@cache  # a class's two million marks take a few values
def points_text(value: float) -> str:
    """Points as a spreadsheet shows them: 2, 1.5, 0.67."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def state_of(blank: BlankResult) -> str:
    return {"right": "right", "wrong": "wrong", "unreadable": "unreadable", "empty": "not answered"}[blank.state]
