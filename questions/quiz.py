"""A quiz: slots of question kinds, versions A, B, ... with their own numbers and order, answer keys.

Determinism: every random draw comes from ``random.Random`` seeded with a string (hashed with SHA-512 by
Python, whatever PYTHONHASHSEED), so a question's numbers depend only on the quiz seed, its version and its
slot, and the same seed gives byte-identical output in any process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from typing import Any

from ..zoo.errors import ConvzooError
from .answers import Blanked
from .choices import multiple_choice
from .collector import collector_paused
from .core import (
    Choice,
    EngineOracle,
    Kind,
    blanked,
    english,
    kinds,
    known_kinds,
    sentence,
    syllabus_kinds,
    within_syllabus,
)
from .draw import level
from .networks import check_network
from .parallel import in_batches
from .syllabus import LECTURE
from .syllabus import check as check_syllabus

DEFAULT_TITLE = "CNN quiz"
DEFAULT_SEED = 2022  # the lecture's spring term: `make demo` is reproducible
DEFAULT_COUNT = 10
MAX_COUNT = 200
MAX_VERSIONS = 1000
DIFFICULTIES = ("easy", "medium", "hard", "mixed")
REDRAWS = 50  # draws of a slot at most, to find a question its sheet does not already have


@dataclass
class Question:
    id: str
    slot: int
    kind: str
    prompt: str
    answer: Any
    answer_text: str
    solution: list[str]
    spec: str | None
    points: int
    difficulty: str
    tags: list[str]
    table: dict | None = None
    choices: list[Choice] | None = None
    specs: list[str] = field(default_factory=list)  # what --verify rebuilds in Keras
    numbers: dict = field(default_factory=dict)
    data: dict | None = None
    grids: list[dict] | None = None
    hint: str | None = None  # practice's hint where the steps hold no formula (not in the JSON)
    labels: list[str] | None = None  # what each entry of a list answer answers ("S = 2"; not in the JSON)
    redraw: int = 0  # which draw of its slot (make_question's): above 0 where the sheet had the earlier ones
    blanks: Blanked | None = field(default=None, repr=False, compare=False)  # core.blanked's, once laid out

    def content(self) -> str:
        """What a student is shown, as one string: two questions of one kind with the same text, table and
        matrices are the same question, whatever numbers they hide (an output size's filter count is not shown)."""
        return json.dumps([self.kind, self.prompt, self.table, self.data], sort_keys=True)

    def check(self, typed: str | list[str]):
        """A Verdict on what a student typed (true when right; ``score``, ``mistake``): see practice.check."""
        from .practice import check  # (only here: drawing and writing a quiz grade nothing)

        return check(self, typed)

    def to_dict(self, drawing: bool = True) -> dict:
        """The question as quiz.json holds it; ``drawing`` adds its redraw, where not 0 (grade draws it again)."""
        out = {
            "id": self.id,
            "slot": self.slot,
            "kind": self.kind,
            "prompt": self.prompt,
            "answer": self.answer,
            "answer_text": self.answer_text,
            "solution": self.solution,
            "spec": self.spec,
            "points": self.points,
            "difficulty": self.difficulty,
            "tags": self.tags,
        }
        if self.table is not None:
            out["table"] = self.table
        if self.data is not None:
            out["data"] = self.data
        if self.choices is not None:
            out["choices"] = [c.to_dict() for c in self.choices]
        if drawing and self.redraw:
            out["redraw"] = self.redraw
        return out


@dataclass
class Version:
    version: str
    seed: int
    questions: list[Question]
    student: dict | None = None  # {"id", "name"} for a version made for one student of a roster

    def to_dict(self, drawing: bool = True) -> dict:
        out = {"version": self.version, "seed": self.seed}
        if self.student is not None:
            out["student"] = self.student
        return {**out, "questions": [q.to_dict(drawing) for q in self.questions]}


@dataclass
class Quiz:
    title: str
    seed: int
    versions: list[Version]
    syllabus: str = LECTURE
    networks: tuple[str, ...] = ()  # --spec

    @property
    def questions(self) -> list[Question]:
        """Every version's questions, version after version."""
        return [q for v in self.versions for q in v.questions]

    def __iter__(self):
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, index: int) -> Question:
        return self.questions[index]

    def to_dict(self, drawing: bool = True) -> dict:
        """The quiz as quiz.json holds it (questions/record.py adds what grade reads). ``drawing`` adds what the
        questions were drawn with besides the seed: the syllabus, the --spec networks (where there are some) and
        each question's redraw (where not 0); without it, only what the questions are (what an LMS export tells
        quizzes apart by)."""
        return {**self.head(drawing), "versions": [v.to_dict(drawing) for v in self.versions]}

    def head(self, drawing: bool = True) -> dict:
        """What quiz.json holds before the versions (see ``to_dict``)."""
        head = {"title": self.title, "seed": self.seed}
        if drawing:
            head["syllabus"] = self.syllabus
            if self.networks:
                head["networks"] = list(self.networks)
        return head


def version_label(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheet columns."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def draw_key(seed: int, label: str, student_id: str | None = None, secret: str = "") -> str:
    """What a version's numbers and order are drawn from (quiz draws with it, grade draws again with it): the
    quiz seed and the version's label; for a student of a roster, an HMAC of the seed and the student id under
    the instructor's secret, so a student who knows the roster and the seed still cannot rebuild a classmate's
    version."""
    if student_id is None:
        return f"{seed}:{label}"
    return hmac.new(secret.encode(), f"{seed}:{student_id}".encode(), hashlib.sha256).hexdigest()


def derived_seed(key: str) -> int:
    """A stable 63-bit seed from a version's draw key (the version's seed in the JSON)."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def make_question(
    kind: Kind,
    seed: int,
    version: str,
    slot: int,
    difficulty: str,
    mc: bool,
    key: str | None = None,
    *,
    syllabus: str = LECTURE,
    networks: tuple[str, ...] = (),
    redraw: int = 0,
) -> Question:
    """Slot ``slot`` of ``version``; its numbers come from the version's draw ``key`` (default: the seed and
    version's), and from ``redraw`` where the sheet already had the first draw."""
    rng = random.Random(f"convzoo:{key or draw_key(seed, version)}:{slot}" + (f":{redraw}" if redraw else ""))
    draft = kind.generate(rng, level(difficulty, syllabus, networks))
    answer = kind.key(EngineOracle, draft)
    solution = [english(step) for step in draft.solution]
    options = multiple_choice(rng, kind, answer, draft.numbers, solution) if mc else None
    return Question(
        id=f"{version}{slot + 1}",
        slot=slot + 1,
        kind=kind.name,
        prompt=sentence(draft.prompt),
        answer=answer,
        answer_text=kind.form.text(answer, draft.labels),
        solution=solution,
        spec=draft.specs[-1] if draft.show_spec else None,
        points=kind.points,
        difficulty=difficulty,
        tags=list(kind.tags),
        table=draft.table,
        choices=options,
        specs=draft.specs,
        numbers=draft.numbers,
        data=draft.data,
        grids=draft.grids,
        hint=draft.hint and english(draft.hint),
        labels=draft.labels,
        redraw=redraw,
    )


def describe_kinds() -> list[dict]:
    """Every kind: name, syllabus, what the extended syllabus adds, a one-line description, and an example (the
    easy question of the default seed) with its answer."""
    out = []
    for name, kind in kinds().items():
        example = make_question(kind, DEFAULT_SEED, "A", 0, "easy", False, syllabus=kind.syllabus)
        answer = example.answer_text if len(example.answer_text) <= 60 else example.answer_text[:57] + "..."
        table = example.table  # the network a table question is about
        shown = example.prompt + (f" [{table['title']}, {', '.join(row[0] for row in table['rows'])}]" if table else "")
        out.append(
            {
                "name": name,
                "syllabus": kind.syllabus,
                "extended": kind.extended,
                "description": kind.description,
                "example": shown,
                "answer": answer,
            }
        )
    return out


def slot_plan(seed: int, count: int, kind_names: list[str], difficulty: str) -> list[tuple[str, str]]:
    """(kind, difficulty) per slot, the same in every version, so slot 3 of version A and of version B ask the
    same kind of question at the same level with other numbers."""
    rng = random.Random(f"convzoo:{seed}:slots")
    order = list(kind_names)
    rng.shuffle(order)
    return [(order[i % len(order)], drawn_level(rng, difficulty)) for i in range(count)]


def drawn_level(rng: random.Random, difficulty: str) -> str:
    """A slot's level: ``difficulty``, or with "mixed" one of the three drawn from ``rng``."""
    return rng.choice(("easy", "medium", "hard")) if difficulty == "mixed" else difficulty


@dataclass(frozen=True)
class Settings:
    """Everything a quiz's content depends on."""

    title: str = DEFAULT_TITLE
    seed: int = DEFAULT_SEED
    count: int = DEFAULT_COUNT
    kind_names: tuple[str, ...] | None = None
    difficulty: str = "mixed"
    versions: int = 1
    mc: bool = False
    students: tuple[tuple[str, str], ...] | None = None  # (id, name) of a roster: one version each
    secret: str = ""  # the instructor's secret for the students' draw keys
    syllabus: str = LECTURE  # "lecture" (the default) or "extended": see questions/syllabus.py
    networks: tuple[str, ...] = ()  # the instructor's networks (--spec) for the table and total-parameter kinds
    first: tuple[str, ...] = ()  # kinds asked first, one question each, in this order (practice: what is due)

    def __post_init__(self):  # the command line's options check the same, with click's words
        check_syllabus(self.syllabus)
        for number, spec in enumerate(self.networks, start=1):
            check_network(spec, f"network {number}")
        if self.kind_names is not None:
            within_syllabus(known_kinds(self.kind_names), self.syllabus)
        if self.first:
            within_syllabus(known_kinds(self.first), self.syllabus)
        if self.difficulty not in DIFFICULTIES:
            raise ConvzooError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {self.difficulty!r}")
        for what, value, most in (("count", self.count, MAX_COUNT), ("versions", self.versions, MAX_VERSIONS)):
            if not isinstance(value, int) or not 1 <= value <= most:
                raise ConvzooError(f"{what} must be a whole number from 1 to {most}, got {value!r}")

    @property
    def labels(self) -> list[str]:
        return [version_label(i) for i in range(len(self.students) if self.students else self.versions)]

    def sheet(self, plan: list[tuple[str, str]], label: str, key: str) -> list[Question]:
        """A version's questions in slot order, none the same as another (a slot draws again, up to REDRAWS
        times, where its question is already on the sheet: only a pool smaller than the sheet repeats)."""
        registry, seen, questions = kinds(), set(), []
        for slot, (name, level_name) in enumerate(plan):
            for redraw in range(REDRAWS):
                question = make_question(
                    registry[name],
                    self.seed,
                    label,
                    slot,
                    level_name,
                    self.mc,
                    key,
                    syllabus=self.syllabus,
                    networks=self.networks,
                    redraw=redraw,
                )
                content = question.content()
                if content not in seen:
                    break
            seen.add(content)
            questions.append(question)
        return questions

    @property
    def asked_first(self) -> tuple[str, ...]:
        """The ``first`` kinds that the count has room for."""
        return self.first[: self.count]

    def plan(self) -> list[tuple[str, str]]:
        """(kind, difficulty) per slot: the ``asked_first`` kinds', then ``slot_plan``'s."""
        rng = random.Random(f"convzoo:{self.seed}:first")
        every = list(self.kind_names or syllabus_kinds(self.syllabus))
        return [(kind, drawn_level(rng, self.difficulty)) for kind in self.asked_first] + slot_plan(
            self.seed, self.count - len(self.asked_first), every, self.difficulty
        )

    def build_versions(self, labels: list[str]) -> list[Version]:
        """The versions with these labels; each depends only on the settings and its label. The ``first`` kinds'
        questions stay first; the rest are put in the version's own order."""
        plan = self.plan()
        first = len(self.asked_first)
        index = {label: i for i, label in enumerate(self.labels)}
        out = []
        for label in labels:
            student = self.students[index[label]] if self.students else None
            key = draw_key(self.seed, label, student[0] if student else None, self.secret)
            questions = self.sheet(plan, label, key)
            for question in questions:  # laid out where it is drawn (over the cores): every format reads them
                blanked(question)
            rest = questions[first:]
            random.Random(f"convzoo:{key}:order").shuffle(rest)
            questions[first:] = rest
            out.append(
                Version(
                    label, derived_seed(key), questions, {"id": student[0], "name": student[1]} if student else None
                )
            )
        return out


def assemble(settings: Settings, done: list[tuple[list[str], list[Version]]]) -> Quiz:
    """The Quiz from the batches' versions, in label order."""
    built = {v.version: v for _, versions in done for v in versions}
    return Quiz(
        settings.title, settings.seed, [built[label] for label in settings.labels], settings.syllabus, settings.networks
    )


def draw(settings: Settings) -> Quiz:
    """Every version of the quiz, each with its own question order, drawn over the cores where there are many
    (the formats render what is drawn: questions/formats/)."""
    with collector_paused():  # the workers (forked meanwhile) draw with it paused; their versions are unpickled here
        return assemble(settings, in_batches(settings.labels, settings.build_versions))


def build_quiz(**options) -> Quiz:
    """Draw the quiz of these options (the fields of Settings)."""
    return draw(Settings(**options))
