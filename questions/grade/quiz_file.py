"""The quiz as ``grade`` marks it: ``quiz.json`` read back (a record as it is, once its digest matches; a quiz.json
from before the record drawn again from its seed), each field checked as convzoo writes it, or a freshly drawn
quiz taken as it is (for the answer sheets ``quiz --out`` writes)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from ...zoo.engine import plural
from ...zoo.errors import ConvzooError
from ..core import blanked, kinds
from ..networks import check_network
from ..quiz import REDRAWS, Question, derived_seed, draw_key, make_question
from ..record import RECORD, check_digest, named_mistakes, recorded_blanks, recorded_choices, shown
from ..syllabus import EXTENDED, SYLLABI


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
    # a class mostly types the same answers, and each is read once: (question number, texts, dropped) -> its
    # Marked, and question number -> {(blank index, text): BlankResult}
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
        questions, parts = [], []
        for entry, at in entries:
            _checked(entry, QUESTION_FIELDS, at)
            blanks = recorded_blanks(entry, at, named)
            questions.append(_question(entry, blanks, recorded_choices(entry.get("choices"), at)))
            parts.append(blanks.parts)
        sheets[version["version"]] = Sheet(version["version"], questions, parts, version.get("student"))
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


def graded_from_drawn(quiz) -> GradedQuiz:
    """A freshly drawn Quiz as ``grade`` reads it back from its quiz.json (for the answer sheets ``quiz --out``
    writes)."""
    sheets = {
        v.version: Sheet(v.version, v.questions, [blanked(q).parts for q in v.questions], v.student)
        for v in quiz.versions
    }
    return GradedQuiz(quiz.title, quiz.seed, sheets)
