"""Marking what students answered: the quiz read back from ``quiz.json``, the answer sheet's columns, each
answer read through its blank's form (the spellings ``practice`` accepts), points with partial credit per
blank, the named mistake behind each wrong answer, and the class's statistics.

Pure functions and plain data: reading files and writing the report live at the command line's edge
(``cli.py``) and in ``questions/grade_report.py``.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..zoo.engine import plural
from ..zoo.errors import ConvzooError
from .answers import Unreadable
from .choices import LETTERS
from .core import Wrong, blanked, kinds
from .networks import check_network
from .practice import BlankResult, Verdict, grade
from .quiz import REDRAWS, Question, derived_seed, draw_key, make_question
from .record import RECORD, check_digest, named_mistakes, recorded_blanks, recorded_choices, shown
from .spreadsheet import cell_text, csv_text
from .syllabus import EXTENDED, SYLLABI

TEMPLATE = "answers-template.csv"
FORM = "answers-by-sheet.csv"  # the same answers, a row per blank in the order of each student's sheet
FORM_COLUMNS = ("question", "blank", "answer")
ABSENT = "absent"  # grades.csv's total for an --absent student


class AnswersError(ConvzooError):
    """Answers (or a quiz) that cannot be graded; the message names the file, the row and the column."""


# -- the quiz, read back -----------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One version as graded: its label, its questions in the order printed, and their blanks."""

    label: str
    questions: list[Question]
    parts: list[tuple]  # per question, its blanks (answers.Blank)
    student: dict | None = None
    # a class mostly types the same answers, and each is read once: (question number, texts) -> (Verdict, its
    # named mistakes, a whole map's mistake), and question number -> {(blank index, text): BlankResult}
    verdicts: dict = field(default_factory=dict, repr=False)
    blank_results: dict = field(default_factory=dict, repr=False)


@dataclass
class GradedQuiz:
    title: str
    seed: int
    sheets: dict[str, Sheet]  # by version label
    notes: list[str] = field(default_factory=list)  # what grading it does differently from what made it
    dropped: frozenset[str] = frozenset()  # the ids of the questions out of every total (grade --drop)

    @property
    def roster(self) -> dict[str, Sheet]:
        """Student id -> that student's version, for a roster quiz (else empty)."""
        return {s.student["id"]: s for s in self.sheets.values() if s.student}

    @property
    def max_points(self) -> dict[str, int]:
        return {label: sum(q.points for q in sheet.questions) for label, sheet in self.sheets.items()}


def _same(a, b) -> bool:
    return json.dumps(a) == json.dumps(b)  # tuples and lists alike, as the JSON holds them


def _whole(least: int):
    return lambda v: type(v) is int and v >= least


def _texts(v) -> bool:
    return isinstance(v, list) and all(isinstance(t, str) for t in v)


def _table(v) -> bool:
    return (
        v is None
        or isinstance(v, dict)
        and _texts(v.get("columns"))
        and isinstance(v.get("rows"), list)
        and all(isinstance(row, list) and all(c is None or isinstance(c, str) for c in row) for row in v["rows"])
    )


def _pairs(v) -> bool:
    return isinstance(v, list) and all(isinstance(p, list) and len(p) == 2 and all(map(_whole(0), p)) for p in v)


def _grids(v) -> bool:
    return (
        v is None
        or isinstance(v, list)
        and all(
            isinstance(g, dict)
            and isinstance(g.get("label"), str)
            and (
                isinstance(g.get("matrix"), list)
                and _pairs(g.get("marked"))
                and all(isinstance(row, list) and all(type(x) in (int, float) for x in row) for row in g["matrix"])
                or "matrix" not in g
                and _pairs([g.get("shape")])
                and (g.get("asked") is None or _pairs(g["asked"]))
            )
            for g in v
        )
    )


# what each field of quiz.json must be, for grade to read it (the file may have been written by hand)
QUIZ_FIELDS = {
    "title": (lambda v: isinstance(v, str), "text"),
    "seed": (_whole(-(2**63)), "a whole number"),
    "versions": (lambda v: isinstance(v, list) and bool(v), "a list of versions"),
}
VERSION_FIELDS = {
    "version": (lambda v: isinstance(v, str) and bool(v), "a version label such as A"),
    "seed": (_whole(0), "a whole number"),
    "student": (
        lambda v: v is None or isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("name"), str),
        "a student's id and name",
    ),
    "questions": (lambda v: isinstance(v, list) and bool(v), "a list of questions"),
}
QUESTION_FIELDS = {
    "id": (lambda v: isinstance(v, str) and bool(v), "a question id such as A1"),
    "slot": (_whole(1), "a whole number from 1"),
    "kind": (lambda v: isinstance(v, str), "a question kind's name"),
    "prompt": (lambda v: isinstance(v, str), "text"),
    "answer_text": (lambda v: isinstance(v, str), "text"),
    "solution": (_texts, "a list of steps"),
    "spec": (lambda v: v is None or isinstance(v, str), "a network spec or null"),
    "points": (_whole(0), "a whole number of points"),
    "difficulty": (lambda v: v in ("easy", "medium", "hard"), "easy, medium or hard"),
    "tags": (_texts, "a list of tags"),
    "table": (_table, "a table with columns and rows"),
    "grids": (_grids, "a list of grids"),
    "redraw": (lambda v: type(v) is int and 0 <= v < REDRAWS, f"a whole number from 0 to {REDRAWS - 1}"),
}
OPTIONAL = {"student", "table", "grids", "redraw", "data"}


def _checked(entry, fields: dict, at: str) -> dict:
    """The entry, having checked each of its fields; AnswersError names the first one that is not as convzoo
    writes it (and says what it should be)."""
    if not isinstance(entry, dict):
        raise AnswersError(f"{at} is {shown(entry)}, not what convzoo writes; the file was edited")
    for name, (ok, what) in fields.items():
        if name not in entry and name in OPTIONAL:
            continue
        if name not in entry:
            raise AnswersError(f"{at} has no '{name}'; the file was edited")
        if not ok(entry[name]):
            raise AnswersError(f"{at}: '{name}' is {shown(entry[name])}, not {what}; the file was edited")
    return entry


def _versions(document: dict, source: str):
    """(version, its questions, where each is) for every version of a quiz.json, each field checked."""
    labels = set()
    for version in _checked(document, QUIZ_FIELDS, source)["versions"]:
        label = _checked(version, VERSION_FIELDS, f"{source}: a version")["version"]
        if label in labels:
            raise AnswersError(f"{source}: version {label} appears twice; the file was edited")
        labels.add(label)
        yield (
            version,
            [
                (q, f"{source}: version {label}'s question {n} ({q['id'] if isinstance(q, dict) else '?'})")
                for n, q in enumerate(version["questions"], start=1)
            ],
        )


def _drawn_with(document: dict, source: str) -> tuple[str, tuple[str, ...]]:
    """The syllabus and the --spec networks the quiz was drawn with. A quiz.json without them was written by a
    convzoo from before --syllabus, which drew every kind as the extended syllabus does, and before --spec."""
    syllabus, networks = document.get("syllabus", EXTENDED), document.get("networks", [])
    if syllabus not in SYLLABI:
        raise AnswersError(f"{source}: syllabus {syllabus!r} is not one of {', '.join(SYLLABI)}; the file was edited")
    if not isinstance(networks, list) or not all(isinstance(spec, str) for spec in networks):
        raise AnswersError(f"{source}: 'networks' is not a list of network specs; the file was edited")
    for number, spec in enumerate(networks, start=1):
        try:
            check_network(spec, f"{source}: network {number}")
        except ConvzooError as err:
            raise AnswersError(str(err)) from None
    return syllabus, tuple(networks)


def _question(entry: dict, blanks, choices) -> Question:
    """A question as quiz.json holds it, with these blanks and options."""
    return Question(
        id=entry["id"],
        slot=entry["slot"],
        kind=entry["kind"],
        prompt=entry["prompt"],
        answer=entry.get("answer"),
        answer_text=entry["answer_text"],
        solution=entry["solution"],
        spec=entry["spec"],
        points=entry["points"],
        difficulty=entry["difficulty"],
        tags=entry["tags"],
        table=entry.get("table"),
        choices=choices,
        data=entry.get("data"),
        grids=entry.get("grids"),
        redraw=entry.get("redraw", 0),
        blanks=blanks,
    )


def read_quiz(text: str, source: str, secret: str = "") -> GradedQuiz:
    """The quiz of a ``quiz.json``. A record (``"record"``, written by this convzoo and later ones) holds every
    question with its blanks, keys and named mistakes, and is read as it is once its digest matches: nothing is
    drawn again, and no secret is needed. A quiz.json from before the record is drawn again from its seed (a
    roster's with ``secret``), syllabus, networks and redraws, to recover what its named mistakes are worked
    from; a question this convzoo draws differently is graded from the key the file holds (GradedQuiz.notes
    says which)."""
    try:
        document = json.loads(text)
    except ValueError as err:
        raise AnswersError(
            f"{source}: not a convzoo quiz.json ({err}); write one with convzoo quiz --format json --out DIR"
        ) from None
    if not isinstance(document, dict) or "versions" not in document:
        raise AnswersError(
            f"{source}: not a convzoo quiz.json (no versions); write one with convzoo quiz --format json --out DIR"
        )
    if "record" in document:
        return _read_record(document, source)
    return _read_drawn(document, source, secret)


def _read_record(document: dict, source: str) -> GradedQuiz:
    made = document["record"]
    if type(made) is not int or made < 1:
        raise AnswersError(
            f"{source}: 'record' is {shown(made)}, not a record format convzoo writes; the file was edited"
        )
    if made > RECORD:
        raise AnswersError(
            f"{source}: written by a later convzoo (record format {made}; this one reads up to "
            f"{RECORD}): upgrade convzoo to grade it"
        )
    check_digest(document, source)
    named = named_mistakes(document.get("mistakes"), source)
    sheets = {}
    for version, entries in _versions(document, source):
        questions = []
        for entry, at in entries:
            _checked(entry, QUESTION_FIELDS, at)
            questions.append(
                _question(entry, recorded_blanks(entry, at, named), recorded_choices(entry.get("choices"), at))
            )
        sheets[version["version"]] = Sheet(
            version["version"], questions, [q.blanks.parts for q in questions], version.get("student")
        )
    return GradedQuiz(document["title"], document["seed"], sheets)


def _from_key(entry: dict, kind, at: str) -> Question:
    """A question of a quiz.json from before the record that this convzoo draws differently, from the key the file
    holds: its blanks as the kind's form lays them out on the answer (a table's from the network the file names;
    the strides of a list of fits from its answer text), without the named mistakes its drawn numbers gave."""
    answer = entry.get("answer")
    labels = (
        [part.rsplit(": ", 1)[0] for part in entry["answer_text"].split("; ")]
        if isinstance(answer, list) and answer and all(isinstance(a, bool) for a in answer)
        else None
    )
    question = _question(entry, None, recorded_choices(entry.get("choices"), at))
    question.specs, question.labels = ([entry["spec"]] if entry["spec"] else []), labels
    form = copy.copy(kind.form)
    for name, value in vars(form).items():
        if callable(value):  # what names the mistakes, worked from the drawn numbers, which the file does not hold
            setattr(form, name, None)
    try:
        question.blanks = form.blanked(question)
    except Exception:  # a key this convzoo's form cannot lay out (another form, an edited file): nothing to guess
        question.blanks = None
    if question.blanks is None or not all(b.type.holds(b.key) for b in question.blanks.parts):
        raise AnswersError(
            f"{at} is drawn differently by this convzoo, and its key in quiz.json cannot be read: "
            "grade with the convzoo that made the quiz"
        )
    return question


def _read_drawn(document: dict, source: str, secret: str) -> GradedQuiz:
    syllabus, networks = _drawn_with(document, source)
    registry = kinds()
    sheets, differ = {}, []
    seed = _checked(document, QUIZ_FIELDS, source)["seed"]
    for version, entries in _versions(document, source):
        label, student = version["version"], version.get("student")
        key = draw_key(seed, label, student["id"] if student else None, secret)
        if derived_seed(key) != version["seed"]:
            if student:
                raise AnswersError(
                    f"{source}: version {label} (student {student['id']}) was drawn with another "
                    "secret: give the quiz's --secret (or set CONVZOO_SECRET)"
                )
            raise AnswersError(f"{source}: version {label} was not drawn from seed {seed}; the file was edited")
        questions = []
        for number, (entry, at) in enumerate(entries, start=1):
            _checked(entry, QUESTION_FIELDS, at)
            if "answer" not in entry:
                raise AnswersError(f"{at} has no 'answer'; the file was edited")
            if entry["kind"] not in registry:
                raise AnswersError(
                    f"{at} is of kind '{entry['kind']}', which this convzoo does not have: grade "
                    "with the convzoo that made the quiz"
                )
            q = make_question(
                registry[entry["kind"]],
                seed,
                label,
                entry["slot"] - 1,
                entry["difficulty"],
                False,
                key,
                syllabus=syllabus,
                networks=networks,
                redraw=entry.get("redraw", 0),
            )
            same_numbers = all(_same(getattr(q, name), entry.get(name)) for name in ("answer", "table", "data"))
            if same_numbers and q.prompt != entry["prompt"] and entry.get("data") is not None:
                q.prompt = entry["prompt"]  # only reworded (conv_value's cell, once counted from 0): what was printed
            elif not same_numbers or q.prompt != entry["prompt"]:
                q = _from_key(entry, registry[entry["kind"]], at)
                differ.append(f"{label}:{number}")
            q.choices = recorded_choices(entry.get("choices"), at)
            q.points = entry["points"]
            questions.append(q)
        sheets[label] = Sheet(label, questions, [blanked(q).parts for q in questions], student)
    notes = []
    if differ:
        shown = ", ".join(differ[:8]) + (", ..." if len(differ) > 8 else "")
        notes.append(
            f"{source} was written by an earlier convzoo, which drew {plural(len(differ), 'question')} "
            f"differently ({shown}, as version:number on its sheet): graded from the keys quiz.json holds, "
            "without naming their mistakes"
        )
    return GradedQuiz(document["title"], seed, sheets, notes)


# -- regrading: what the examiner changes, on the command line -----------------------------------------------------

_TARGET = re.compile(r"\s*(?:[Qq](\d+)|([A-Za-z]+):(\d+))(?:\s+(.*?))?\s*")
TARGETS = "a slot as Q7 (its question in every version) or a version's question as B:3 (question 3 on B's sheet)"


def _printed(places: list[tuple[Sheet, int]]) -> str:
    """Questions as their sheets number them, as --accept and --drop name them: 'A:3, B:5, C:2, ...'."""
    return ", ".join(f"{sheet.label}:{index + 1}" for sheet, index in places[:8]) + (", ..." if len(places) > 8 else "")


def _targets(quiz: GradedQuiz, spec: str, option: str) -> tuple[list[tuple[Sheet, int]], str, str | None]:
    """The questions that ``spec`` names, as (sheet, index on it); what they are, in words; the blank named after
    them, if any. 'Q7' is slot 7 in every version (Moodle's question 7), 'B:3' question 3 of version B's sheet."""
    found = _TARGET.fullmatch(spec)
    if not found:
        raise AnswersError(f"{option} '{spec}': name {TARGETS}")
    slot, label, number, blank = found.groups()
    if slot:
        places = [
            (sheet, i) for sheet in quiz.sheets.values() for i, q in enumerate(sheet.questions) if q.slot == int(slot)
        ]
        if not places:
            slots = sorted({q.slot for sheet in quiz.sheets.values() for q in sheet.questions})
            raise AnswersError(f"{option} '{spec}': the quiz has no slot {int(slot)} (slots {slots[0]}-{slots[-1]})")
        return places, f"slot {int(slot)} ({_printed(places)})", blank
    sheet = quiz.sheets.get(label.upper())
    if sheet is None:
        labels = list(quiz.sheets)
        raise AnswersError(
            f"{option} '{spec}': the quiz has no version {label} (versions {labels[0]}"
            f"{'-' + labels[-1] if len(labels) > 1 else ''})"
        )
    if not 1 <= int(number) <= len(sheet.questions):
        raise AnswersError(f"{option} '{spec}': version {sheet.label}'s sheet has questions 1-{len(sheet.questions)}")
    return [(sheet, int(number) - 1)], f"version {sheet.label}'s question {int(number)}", blank


def _blank_index(question, parts, name: str | None, option: str, spec: str, where: str) -> int:
    """Which blank of the question ``name`` names ('row 3 shape', 'blank 2'); the only one where it names none."""
    if name is None:
        if len(parts) == 1 or question.choices:
            return 0
        raise AnswersError(
            f"{option} '{spec}': {where} has {len(parts)} blanks: name one after the question, "
            f"as the answer sheet's columns do ('{short_label(parts[0].label)}' or 'blank 1')"
        )
    wanted = " ".join(name.lower().split())
    place = re.fullmatch(r"blank (\d+)", wanted)
    if place and 1 <= int(place.group(1)) <= len(parts):
        return int(place.group(1)) - 1
    for k, blank in enumerate(parts):
        if wanted in (short_label(blank.label).lower(), blank.label.lower()):
            return k
    raise AnswersError(
        f"{option} '{spec}': {where} has no blank '{name}' (its blanks: "
        f"{', '.join(short_label(b.label) for b in parts[:6])}{', ...' if len(parts) > 6 else ''})"
    )


def regrade(quiz: GradedQuiz, accept: list[str], drop: list[str]) -> GradedQuiz:
    """The quiz with the examiner's changes: each ``accept`` ('Q7=28x28x6', 'B:3 row 2 shape=12x12x6') an answer
    also marked right in the blank it names, read as that blank reads answers (for --mc, an option's letter in a
    version's question); each ``drop`` ('Q7', 'B:3') questions out of every total. Its notes say what changed;
    anything that names no question or cannot be read is refused in one line."""
    sheets = {
        label: replace(sheet, parts=list(sheet.parts), verdicts={}, blank_results={})
        for label, sheet in quiz.sheets.items()
    }
    changed = replace(quiz, sheets=sheets, notes=list(quiz.notes))
    for given in accept:
        spec, equals, typed = given.rpartition("=")
        if not equals or not spec.strip() or not typed.strip():
            raise AnswersError(
                f"--accept '{given}': give the question and the answer to accept, as 'Q7=28x28x6' ({TARGETS})"
            )
        places, what, name = _targets(changed, spec, "--accept")
        for sheet, index in places:
            sheet, where = sheets[sheet.label], _printed([(sheet, index)])
            question, parts = sheet.questions[index], sheet.parts[index]
            k = _blank_index(question, parts, name, "--accept", given, where)
            answer = typed.strip()
            if question.choices:
                text, option = _chosen(question, answer)
                if option is not None and text != " ".join(answer.split()):  # a letter: one version's option
                    if len(places) > 1:
                        raise AnswersError(
                            f"--accept '{given}': a letter names an option of one version's question;"
                            f" give VERSION:N={answer} (as B:3={answer}) or the option's answer"
                        )
                    answer = text
            try:
                value = parts[k].read(answer)
            except Unreadable as err:
                raise AnswersError(f"--accept '{given}': {where} ({short_label(parts[k].label)}): {err}") from None
            sheet.parts[index] = parts[:k] + (replace(parts[k], accepted=(*parts[k].accepted, value)),) + parts[k + 1 :]
        blank = f", blank '{name}'" if name else ""
        changed.notes.append(f"--accept {given.strip()}: {typed.strip()} is also marked right in {what}{blank}")
    dropped = set(quiz.dropped)
    for given in drop:
        places, what, name = _targets(changed, given, "--drop")
        if name:
            raise AnswersError(f"--drop '{given}': a question is dropped whole; name {TARGETS}")
        dropped.update(sheet.questions[index].id for sheet, index in places)
        changed.notes.append(f"--drop {given.strip()}: {what} is out of every student's total")
    emptied = next((sheet for sheet in sheets.values() if all(q.id in dropped for q in sheet.questions)), None)
    if emptied is not None:
        raise AnswersError(f"--drop {' --drop '.join(drop)}: no question of version {emptied.label} is left to mark")
    changed.dropped = frozenset(dropped)
    return changed


# -- the answer sheet's columns ----------------------------------------------------------------------------------


def short_label(label: str) -> str:
    """A blank's label as a column header: 'row 3, Output shape' -> 'row 3 shape', 'output row 0, column 1'
    -> 'row 1 col 2' (counted from 1, as the table's rows are)."""
    cell = re.fullmatch(r"output row (\d+), column (\d+)", label)
    if cell:
        return f"row {int(cell.group(1)) + 1} col {int(cell.group(2)) + 1}"
    row = re.fullmatch(r"row (\d+), (.+)", label)
    if row:
        what = row.group(2).lower()
        return f"row {row.group(1)} " + {"output shape": "shape", "param #": "params"}.get(what, what)
    return label


def _blank_labels(question, parts) -> list[str]:
    """A question's columns: one for multiple choice (the letter or the option) and a single blank."""
    return [""] if question.choices or len(parts) == 1 else [short_label(p.label) for p in parts]


def question_columns(quiz: GradedQuiz) -> list[tuple[int, int, str]]:
    """(question number on the sheet, blank index, header) for every column after id, name, version. Versions
    order their questions differently, so a number's blanks are the most any version has there, each headed by
    its label where every version's agrees ('5 row 3 shape'), else by its place ('5 blank 3')."""
    count = max(len(s.questions) for s in quiz.sheets.values())
    columns = []
    for n in range(count):
        labels = [_blank_labels(s.questions[n], s.parts[n]) for s in quiz.sheets.values() if n < len(s.questions)]
        width = max(len(found) for found in labels)
        if width == 1 and all(found == [""] for found in labels):
            columns.append((n, 0, str(n + 1)))
            continue
        for k in range(width):
            names = {found[k] for found in labels if k < len(found)}
            columns.append(
                (n, k, f"{n + 1} {names.pop() if len(names) == 1 and '' not in names else f'blank {k + 1}'}")
            )
    return columns


def version_header(quiz: GradedQuiz) -> str:
    """The version column's header, naming the quiz, so that another quiz's answers are told apart."""
    return f"version of {quiz.title} (seed {quiz.seed})"


def answers_template(quiz: GradedQuiz) -> str:
    """CSV to type the answers into: a row per student of a roster (id, name and version filled in) or per
    version (copy it once per student who wrote that version)."""
    columns = question_columns(quiz)
    rows = [["id", "name", version_header(quiz)] + [header for _, _, header in columns]]
    for sheet in quiz.sheets.values():
        who = [sheet.student["id"], sheet.student["name"]] if sheet.student else ["", ""]
        rows.append(who + [sheet.label] + [""] * len(columns))
    return csv_text(rows)


def sheet_blanks(sheet: Sheet) -> list[tuple[int, int, str]]:
    """(question number, blank index, blank) of every answer on a sheet, in its order: the blank empty where a
    question has one answer (a number, a volume, the letter circled), else as the template names it
    ('row 3 shape', 'row 1 col 2', 'S = 2')."""
    return [
        (n, k, label)
        for n, (q, parts) in enumerate(zip(sheet.questions, sheet.parts), start=1)
        for k, label in enumerate(_blank_labels(q, parts))
    ]


def answers_form(quiz: GradedQuiz) -> str:
    """The answers form: a row per answer, student after student (per version, to copy once per student who
    wrote it, without a roster), each student's rows in the order of their sheet, the question numbered as
    printed; the typist goes down the paper and the rows together."""
    rows = [["id", "name", version_header(quiz), *FORM_COLUMNS]]
    for sheet in quiz.sheets.values():
        who = [sheet.student["id"], sheet.student["name"]] if sheet.student else ["", ""]
        rows += [[*who, sheet.label, n, label, ""] for n, _, label in sheet_blanks(sheet)]
    return csv_text(rows)


def quiz_from_built(quiz) -> GradedQuiz:
    """A just-built Quiz as ``grade`` will read it back (for the answer sheet ``quiz --out`` writes)."""
    sheets = {
        v.version: Sheet(v.version, v.questions, [blanked(q).parts for q in v.questions], v.student)
        for v in quiz.versions
    }
    return GradedQuiz(quiz.title, quiz.seed, sheets)


# -- reading the answers -----------------------------------------------------------------------------------------


@dataclass
class Student:
    """One student's answers: the text typed for each blank of each question of their version (None: empty)."""

    id: str
    name: str
    version: str
    texts: list[list[str | None]]
    sheet: Sheet  # the questions answered: their version's, or in Moodle those drawn slot by slot
    moodle_grade: str | None = None  # Moodle's own grade, where the answers came from Moodle
    started: str | None = None  # a Moodle attempt's start, as Moodle wrote it
    started_at: tuple = ()  # ... as something to sort by, where it can be read


def read_csv(data: bytes, source: str) -> list[list[str]]:
    """The rows of a CSV file (comma, semicolon or tab separated, as spreadsheets save it); one line naming
    what is wrong where it is not CSV text."""
    if data[:2] in (b"PK", b"\xd0\xcf"):
        raise AnswersError(f"{source}: a spreadsheet file, not CSV; save it as CSV (UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        number = data.count(b"\n", 0, err.start) + 1
        raise AnswersError(f"{source}, row {number}: not UTF-8 text; save the answers as CSV (UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as err:
        raise AnswersError(f"{source}: not CSV ({err})") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise AnswersError(f"{source}: empty; expected the header of {TEMPLATE} and a row per student")
    if "'" in text:  # a cell convzoo wrote as '=1+1 is =1+1
        rows = [[cell_text(cell) for cell in row] for row in rows]
    return rows


def _where(source: str, row: int, column: int, header: str) -> str:
    return f"{source}, row {row}, column {column} ('{header}')"


def _version_of(quiz: GradedQuiz, student_id: str, version: str, at_id: str, at_version) -> str:
    """The version a row is graded as: a roster student's own (a typed version must agree), else the typed one,
    which must be the quiz's. ``at_version`` names the version's cell (called only when there is one to name)."""
    roster = quiz.roster
    if roster:
        if student_id not in roster:
            raise AnswersError(f"{at_id}: '{student_id}' is not on the quiz's roster")
        if version and version != roster[student_id].label:
            raise AnswersError(f"{at_version()}: {student_id}'s version is {roster[student_id].label}, not '{version}'")
        return roster[student_id].label
    if version not in quiz.sheets:
        labels = list(quiz.sheets)
        accepted = labels[0] if len(labels) == 1 else f"{labels[0]}-{labels[-1]}"
        raise AnswersError(f"{at_version()}: version '{version}' is not in the quiz ({accepted})")
    return version


def read_answers(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """Every student's answers from a CSV laid out as ``answers_template``; AnswersError names the row and the
    column of the first thing wrong (an unknown id, a missing or extra column, a version not in the quiz,
    another quiz's sheet)."""
    rows = read_csv(data, source)
    header = [c.strip() for c in rows[0]]
    lowered = [h.lower() for h in header]
    expected = question_columns(quiz)
    by_header = {h: (n, k) for n, k, h in expected}
    for at, h in enumerate(lowered):
        if h.startswith("version of ") and header[at] != version_header(quiz):
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: these answers are for another quiz; this "
                f"quiz's sheet says '{version_header(quiz)}'"
            )
    first_at = {}
    for at, h in enumerate(lowered):
        key = "version" if h.startswith("version") else h
        if key and key in first_at:  # the last copy would win: a right answer lost, unseen
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: a second '{header[at]}' column (the first "
                f"is column {first_at[key] + 1}); each column of {TEMPLATE} appears once"
            )
        first_at[key] = at
    fixed = {"id": None, "name": None, "version": None}
    for at, h in enumerate(lowered):
        key = "version" if h.startswith("version") else h
        if key in fixed and fixed[key] is None:
            fixed[key] = at
        elif header[at] not in by_header:
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: not a column of this quiz's answer sheet "
                f"({TEMPLATE} has id, name, version, then {expected[0][2]} ... {expected[-1][2]})"
            )
    if fixed["id"] is None:
        raise AnswersError(f"{source}, row 1: no 'id' column; the header is that of {TEMPLATE}")
    if fixed["version"] is None and not quiz.roster:
        raise AnswersError(f"{source}, row 1: no 'version' column; the header is that of {TEMPLATE}")
    missing = [h for _, _, h in expected if h not in header]
    if missing:
        raise AnswersError(f"{source}, row 1: no column '{missing[0]}' (every column of {TEMPLATE} is needed)")
    place = {h: at for at, h in enumerate(header)}
    # per version, the columns of each question's blanks, and the columns it has no blank for
    blanks_at, unused_at = {}, {}
    for label, sheet in quiz.sheets.items():
        widths = [1 if q.choices else len(p) for q, p in zip(sheet.questions, sheet.parts)]
        blanks_at[label] = [
            [place[h] for n, k, h in expected if n == at and k < width] for at, width in enumerate(widths)
        ]
        unused_at[label] = [place[h] for n, k, h in expected if n >= len(widths) or k >= widths[n]]
    students, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise AnswersError(
                f"{source}, row {number}, column {len(header) + 1}: a value past the last column ('{header[-1]}')"
            )
        cell = lambda at: row[at].strip() if at is not None and at < len(row) else ""  # noqa: E731, B023
        student_id, version = cell(fixed["id"]), cell(fixed["version"])
        if not student_id:
            raise AnswersError(f"{_where(source, number, fixed['id'] + 1, 'id')}: the id is empty")
        if student_id in seen:
            raise AnswersError(
                f"{_where(source, number, fixed['id'] + 1, 'id')}: id '{student_id}' is already on "
                f"row {seen[student_id]}"
            )
        seen[student_id] = number
        version = _version_of(
            quiz,
            student_id,
            version,
            _where(source, number, fixed["id"] + 1, "id"),
            lambda: _where(source, number, fixed["version"] + 1, header[fixed["version"]]),  # noqa: B023
        )
        sheet = quiz.sheets[version]
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        texts = [[row[at].strip() or None for at in columns] for columns in blanks_at[version]]
        unused = next((at for at in unused_at[version] if row[at].strip()), None)
        if unused is not None:
            raise AnswersError(
                f"{_where(source, number, unused + 1, header[unused])}: version {version}'s question "
                f"{header[unused].split()[0]} has no such blank"
            )
        name = cell(fixed["name"]) or (sheet.student or {}).get("name", "")
        students.append(Student(student_id, name, version, texts, sheet))
    if not students:
        raise AnswersError(f"{source}: a header but no students")
    return students


def set_absent(
    quiz: GradedQuiz, students: list[Student], absent: list[str], source: str
) -> tuple[list[Student], list[tuple[str, str, str]]]:
    """The students who sat the quiz, and (id, name, version) of each --absent one: an id on the roster or in
    the answers, with no answer typed (an absent student's row is left empty)."""
    by_id = {s.id: s for s in students}
    roster, out = quiz.roster, []
    for student_id in dict.fromkeys(absent):
        typed = by_id.get(student_id)
        if typed is not None and any(t for texts in typed.texts for t in texts):
            raise AnswersError(
                f"--absent {student_id}: {source} has answers for {student_id}; an absent student's "
                "answers are left empty"
            )
        if typed is not None:
            out.append((student_id, typed.name, typed.version))
        elif student_id in roster:
            sheet = roster[student_id]
            out.append((student_id, sheet.student["name"], sheet.label))
        else:
            raise AnswersError(f"--absent {student_id}: no such student on the quiz's roster or in {source}")
    gone = {student_id for student_id, _, _ in out}
    present = [s for s in students if s.id not in gone]
    if not present:
        raise AnswersError(f"--absent: every student of {source} is absent; nothing to grade")
    return present, out


def is_form(data: bytes) -> bool:
    """Whether an answers file is laid out as the answers form (its header has question, blank, answer)."""
    first = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    return set(FORM_COLUMNS) <= {c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)}


def read_answer_file(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """The students' answers, from a copy of either sheet ``quiz --out`` writes (the form or the template)."""
    return read_form(quiz, data, source) if is_form(data) else read_answers(quiz, data, source)


def read_form(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """Every student's answers from a CSV laid out as ``answers_form``; AnswersError names the row and the
    column of the first thing wrong (an unknown id, question or blank, an answer given twice, a student's
    missing row, a version not in the quiz, another quiz's form)."""
    rows = read_csv(data, source)
    header = [c.strip() for c in rows[0]]
    place: dict[str, int] = {}
    for at, h in enumerate(header):
        key = "version" if h.lower().startswith("version") else h.lower()
        if key == "version" and h != version_header(quiz):
            raise AnswersError(
                f"{_where(source, 1, at + 1, h)}: these answers are for another quiz; this quiz's "
                f"form says '{version_header(quiz)}'"
            )
        if key not in ("id", "name", "version", *FORM_COLUMNS) or key in place:
            raise AnswersError(
                f"{_where(source, 1, at + 1, h)}: not a column of {FORM} (id, name, version, "
                f"{', '.join(FORM_COLUMNS)}){' twice' if key in place else ''}"
            )
        place[key] = at
    for needed in ("id", *FORM_COLUMNS) + (() if quiz.roster else ("version",)):
        if needed not in place:
            raise AnswersError(f"{source}, row 1: no '{needed}' column; the header is that of {FORM}")
    students, seen = {}, {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise AnswersError(
                f"{source}, row {number}, column {len(header) + 1}: a value past the last column ('{header[-1]}')"
            )
        cell = lambda key: row[place[key]].strip() if key in place and place[key] < len(row) else ""  # noqa: E731, B023
        where = lambda key: _where(source, number, place[key] + 1, header[place[key]])  # noqa: E731, B023
        student_id, version, answer = cell("id"), cell("version"), cell("answer")
        if not student_id:
            if answer:
                raise AnswersError(f"{where('id')}: an answer without an id")
            continue  # a row of the form left as it was written (a version's, copied for each student)
        version = _version_of(quiz, student_id, version, where("id"), lambda: where("version"))  # noqa: B023
        student = students.get(student_id)
        if student is None:
            sheet = quiz.sheets[version]
            texts = [[None] * (1 if q.choices else len(p)) for q, p in zip(sheet.questions, sheet.parts)]
            name = cell("name") or (sheet.student or {}).get("name", "")
            student = students[student_id] = Student(student_id, name, version, texts, sheet)
        elif student.version != version:
            raise AnswersError(
                f"{where('version')}: {student_id} wrote version {student.version} (on the rows before), not {version}"
            )
        sheet = student.sheet
        try:
            n = int(cell("question"))
        except ValueError:
            n = 0
        if not 1 <= n <= len(sheet.questions):
            raise AnswersError(
                f"{where('question')}: '{cell('question')}' is not a question of version "
                f"{version} (1-{len(sheet.questions)})"
            )
        labels = _blank_labels(sheet.questions[n - 1], sheet.parts[n - 1])
        if cell("blank") not in labels:
            accepted = "empty" if labels == [""] else f"'{labels[0]}' ... '{labels[-1]}'"
            raise AnswersError(
                f"{where('blank')}: question {n} of version {version} has no blank '{cell('blank')}' ({accepted})"
            )
        k = labels.index(cell("blank"))
        if (student_id, n, k) in seen:
            raise AnswersError(
                f"{where('answer')}: {student_id}'s question {n}{f' {labels[k]}' if labels[k] else ''}"
                f" is already on row {seen[student_id, n, k]}"
            )
        seen[student_id, n, k] = number
        student.texts[n - 1][k] = answer or None
    if not students:
        raise AnswersError(f"{source}: no answers with an id")
    for student in students.values():
        for n, k, label in sheet_blanks(student.sheet):
            if (student.id, n, k) not in seen:
                raise AnswersError(
                    f"{source}: no row for {student.id}'s question {n}{f' {label}' if label else ''} "
                    f"(every row of {FORM} is needed; an answer not given is left empty)"
                )
    return list(students.values())


# -- marking -----------------------------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a class of 100,000 makes two million, and a frozen one is slower to make
class Marked:
    """One question of one student's sheet, marked."""

    number: int  # on the student's sheet, from 1
    question: Question
    verdict: Verdict
    points: float
    mistakes: tuple[str, ...]  # the named mistakes (one per wrong blank that one explains)
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
    graded_by: str = ""  # how the attempts made the grade (ATTEMPTS)

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


def _chosen(question, typed: str | None) -> tuple[str | None, int | None]:
    """An --mc answer as the text of the option chosen: a letter as printed on the sheet (a, b, ...), also typed
    as circled, ``(c)`` or ``c)``, or the option's own text; the option's index where one is."""
    if typed is None:
        return None, None
    letter = typed.strip().lower().strip("().").strip()  # as circled: c, c), (c), C.
    if len(letter) == 1 and letter in LETTERS[: len(question.choices)]:
        index = LETTERS.index(letter)
        return question.choices[index].text, index
    plain = " ".join(typed.split())
    index = next((i for i, c in enumerate(question.choices) if c.text == plain), None)
    return typed, index


def _mistake_names(parts, verdict: Verdict) -> tuple[str, ...]:
    names = []
    for blank, result in zip(parts, verdict.blanks):
        if result.mistake:
            names.append(next(w.mistake for w in blank.mistakes if f"{w.mistake} ({w.explanation})" == result.mistake))
    return tuple(names)


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
    """The student's marks; a question whose id is in ``dropped`` earns nothing and counts for nothing."""
    sheet = student.sheet
    marked = []
    for number, (question, parts, texts) in enumerate(zip(sheet.questions, sheet.parts, student.texts), start=1):
        choice = None
        if question.choices:
            typed, choice = _chosen(question, texts[0])
            texts = [typed]
        seen = (number, tuple(texts))
        known = sheet.verdicts.get(seen)
        if known is None:  # text that is none of the options is read as typed
            verdict = grade(question, texts, parts, sheet.blank_results.setdefault(number, {}))
            whole = _whole_mistake(question, parts, verdict)
            known = sheet.verdicts[seen] = (
                verdict,
                (whole.mistake,) if whole else _mistake_names(parts, verdict),
                whole,
            )
        verdict, mistakes, whole = known
        out = question.id in dropped
        marked.append(
            Marked(
                number, question, verdict, 0 if out else question.points * verdict.score, mistakes, choice, whole, out
            )
        )
    return Result(student, marked)


# Moodle's grading methods (mod/quiz: QUIZ_GRADEHIGHEST, QUIZ_ATTEMPTFIRST, QUIZ_ATTEMPTLAST,
# QUIZ_GRADEAVERAGE): the highest grade of the finished attempts, the first's, the last's, or their mean.
ATTEMPTS = ("highest", "first", "last", "mean")


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
            moodle = f"{statistics.fmean(grades):.2f}" if None not in grades else None
            combined.append(Result(replace(last.student, moodle_grade=moodle), marked, attempts, method))
            continue
        chosen = {"first": attempts[0], "last": attempts[-1], "highest": max(attempts, key=lambda a: a.total)}[
            method
        ]  # max: the first of equal totals
        combined.append(Result(chosen.student, chosen.marked, attempts, method))
    return combined


def _number(text: str | None) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


# -- the class's statistics --------------------------------------------------------------------------------------


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
    message: str


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

    @property
    def ranked(self) -> list[Result]:
        """The students by score, best first (ties by id)."""
        return sorted(self.results, key=lambda r: (-r.percent, r.student.id))

    @property
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


def summarize(results: list[Result], absent=(), threshold: float = 50.0, changes: list[str] = ()) -> Summary:
    """The class's statistics over ``results`` (absent students are listed, never counted), of the questions
    that count (a dropped one is in none of them); ``changes``: what grading changed (quiz.json's notes,
    --accept, --drop), for the report to say. A class gives the same few answers: what an answer adds is worked
    out once per (question, verdict, option chosen), then counted for the students who gave it."""
    by_slot: dict[int, tuple[list[float], list[float]]] = {}  # slot -> its marks, the rest of the test's
    given: dict[tuple, tuple[Marked, list[str], list[BlankResult]]] = {}
    found: dict[str, dict] = {}
    unreadable = []
    for result in results:
        student, total = result.student.id, result.total
        for m in result.marked:
            if m.dropped:
                continue
            marks, rest = by_slot.get(m.question.slot) or by_slot.setdefault(m.question.slot, ([], []))
            marks.append(m.points)
            rest.append(total - m.points)
            seen = (id(m.question), id(m.verdict), m.choice, m.number)  # live objects for the whole run
            group = given.get(seen)
            if group is None:
                group = given[seen] = (m, [], [b for b in m.verdict.blanks if b.state == "unreadable"])
            group[1].append(student)
            for name in m.mistakes:
                entry = found.setdefault(name, {"students": set(), "where": [], "kinds": set()})
                entry["students"].add(student)
                entry["where"].append((student, m.number))
                entry["kinds"].add(m.question.kind)
            for blank in group[2]:
                unreadable.append(
                    Unread(
                        student,
                        m.number,
                        "" if len(m.verdict.blanks) == 1 else short_label(blank.label),
                        blank.typed,
                        blank.message,
                    )
                )
    answered: dict[int, list[tuple[Marked, list[str]]]] = {}  # slot -> its answers, in the order first given
    for m, students, _ in given.values():
        answered.setdefault(m.question.slot, []).append((m, students))
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
        omitted = sum(
            len(students) for m, students in answered[slot] if all(b.state == "empty" for b in m.verdict.blanks)
        )
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
    options: dict[str, OptionCount] = {}
    for m, students, _ in given.values():
        times = len(students)
        per_kind.setdefault(m.question.kind, []).extend([m.verdict.score] * times)
        if m.question.choices:
            count = options.setdefault(
                m.question.id,
                OptionCount(
                    question_name(m.question, m.number),
                    [[c.text, c.correct, c.feedback, 0] for c in m.question.choices],
                    0,
                    0,
                ),
            )
            if m.choice is not None:
                count.options[m.choice][3] += times
            elif m.verdict.blanks[0].state == "empty":
                count.unanswered += times
            else:
                count.other += times
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
            OptionCount(o.question, [tuple(x) for x in o.options], o.unanswered, o.other)
            for _, o in sorted(options.items(), key=lambda kv: (len(kv[0]), kv[0]))
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


def points_text(value: float) -> str:
    """Points as a spreadsheet shows them: 2, 1.5, 0.67."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def grades_csv(summary: Summary, moodle: str | None = None) -> str:
    """id, name, version, points per question as numbered on the student's sheet, total, out of, percent
    (and Moodle's own grade, where the answers came from Moodle), the student's feedback page; an --absent
    student's total says 'absent'."""
    count = max(len(r.marked) for r in summary.results)
    rows = [
        ["id", "name", "version"]
        + [str(n) for n in range(1, count + 1)]
        + ["total", "out of", "percent"]
        + ([moodle] if moodle else [])
        + ["feedback page"]
    ]
    for r in summary.results:
        points = ["dropped" if m.dropped else points_text(m.points) for m in r.marked] + [""] * (count - len(r.marked))
        rows.append(
            [r.student.id, r.student.name, r.student.version]
            + points
            + [points_text(r.total), r.max_points, f"{r.percent:.1f}"]
            + ([r.student.moodle_grade] if moodle else [])
            + [feedback_name(r.student.id)]
        )
    for student_id, name, version in summary.absent:
        rows.append([student_id, name, version] + [""] * count + [ABSENT, "", ""] + ([""] if moodle else []) + [""])
    return csv_text(rows)


def state_of(blank: BlankResult) -> str:
    return {"right": "right", "wrong": "wrong", "unreadable": "unreadable", "empty": "not answered"}[blank.state]
