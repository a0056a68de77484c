"""What a question is, and the registry of question kinds.

A kind is one module in ``questions/kinds/`` (after R/exams' exercise files and PrairieLearn's ``generate()``):
it draws numbers from the seeded RNG it is given, writes the prompt and the worked solution, and names the
specs its answer comes from together with a ``key`` function that reads the answer off those specs' layer rows.
The same ``key`` runs on the engine's rows (the answer printed in the key) and on a real Keras model's rows
(``--verify``), so an answer key can be checked against Keras without the kind knowing about Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..zoo.engine import Row, analyze
from ..zoo.errors import ConvzooError
from ..zoo.plugins import import_submodules
from ..zoo.spec import did_you_mean, english
from .answers import Blanked
from .forms import Form
from .syllabus import EXTENDED, LECTURE


def sentence(text: str) -> str:
    """A prompt as a sentence: 'a'/'an' as spoken, and a capital first letter."""
    text = english(text)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str
    mistake: Wrong | None = None  # a wrong option's named mistake (questions/misconceptions.py), or a slip

    def to_dict(self) -> dict:
        return {"text": self.text, "correct": self.correct, "feedback": self.feedback}


@dataclass(frozen=True)
class Wrong:
    """A named mistake and the wrong answer it produces: multiple choice's wrong options, practice's and the
    self-test page's feedback and grade's pages and report all carry this object, and put it in words where they
    show it."""

    value: Any
    name: str  # e.g. "forgot the +1"
    explanation: str  # one sentence: what the right working does instead

    def __post_init__(self):  # every kind's explanation reads 'an 11x11 filter' without minding it
        object.__setattr__(self, "explanation", english(self.explanation))

    @property
    def described(self) -> str:
        """The mistake as feedback names it: 'forgot the bias (each filter has one bias: +1 for 16 filters)'."""
        return f"{self.name} ({self.explanation})"


@dataclass
class Draft:
    """What a kind's ``generate`` returns; ``questions.quiz`` completes it into a Question."""

    prompt: str
    specs: list[str]  # the networks the answer is read from; the asked-about layer is each spec's last
    solution: list[str]
    numbers: dict = field(default_factory=dict)  # the drawn numbers, for the kind's key and misconceptions
    data: dict | None = None  # what the question is computed on, for the JSON's "data" (matrices, stride, ...)
    grids: list[dict] | None = None  # matrices drawn as grids: {"label", "matrix" | "shape", "marked": [[i, j]]}
    table: dict | None = None  # {"columns": [...], "rows": [[cell, ...]]}; a None cell is a blank to fill in
    show_spec: bool = True  # whether the JSON's "spec" names specs[-1] (False where it would give the answer away)
    labels: list[str] | None = None  # for a list answer: what each entry answers ("S = 2")
    hint: str | None = None  # for practice's '?', where the worked steps hold no formula to show


@dataclass(frozen=True)
class Kind:
    name: str
    generate: Callable[..., Draft]  # (rng, level) -> Draft
    key: Callable[[Any, Any], Any]  # (oracle, question) -> answer; the question has .specs, .numbers, .data
    form: Form  # how the answer is laid out in blanks and read (questions/forms.py)
    misconceptions: Callable[[Any, dict], list[Wrong]] | None  # (answer, numbers) -> wrong answers; None: no --mc
    points: int
    tags: tuple[str, ...]
    syllabus: str  # "lecture": in the default quiz; "extended": only with --syllabus extended
    extended: str  # what --syllabus extended adds to the kind's draws ("" where nothing)

    @property
    def description(self) -> str:
        """One line: the first line of the kind's ``generate`` docstring."""
        return (self.generate.__doc__ or "").strip().splitlines()[0]


_KINDS: dict[str, Kind] = {}


def question_kind(
    name: str,
    *,
    key,
    form: Form,
    misconceptions=None,
    points: int = 1,
    tags: tuple[str, ...] = (),
    syllabus: str = LECTURE,
    extended: str = "",
):
    """Decorator for a kind's ``generate(rng, level) -> Draft``; ``form`` says how its answer is read, ``syllabus``
    whether the lecture teaches it (questions/syllabus.py) and ``extended`` what the extended syllabus adds."""

    def decorate(generate):
        if name in _KINDS:
            raise ValueError(f"question kind {name!r} is registered twice")
        _KINDS[name] = Kind(name, generate, key, form, misconceptions, points, tags, syllabus, extended)
        return generate

    return decorate


def kinds() -> dict[str, Kind]:
    import_submodules("convzoo.questions.kinds")
    return dict(sorted(_KINDS.items()))


def blanked(question) -> Blanked:
    """The question's blanks, as its kind's answer form lays them out (questions/forms.py); a single blank
    carries the kind's named misconceptions whose wrong answers differ from the key. Laid out once per question
    (kept in ``question.blanks``; a question read back from quiz.json's record comes with its own)."""
    if question.blanks is None:
        question.blanks = _laid_out(question)
    return question.blanks


def _laid_out(question) -> Blanked:
    kind = kinds()[question.kind]
    shape = kind.form.blanked(question)
    if kind.misconceptions is None or len(shape.parts) != 1:
        return shape
    blank = shape.parts[0].with_mistakes(kind.misconceptions(question.answer, question.numbers))
    return Blanked((blank,), shape.cells)


def known_kinds(names) -> tuple[str, ...]:
    """The names, each a question kind; else a ConvzooError naming the first unknown one and the accepted ones."""
    known = kinds()
    names = tuple(names)
    for name in names:
        if name not in known:
            raise ConvzooError(
                f"unknown question kind '{name}'{did_you_mean(name, known)}; accepted: {', '.join(known)}"
            )
    if not names:
        raise ConvzooError(f"no kind given; accepted: {', '.join(known)}")
    return names


def syllabus_kinds(syllabus: str) -> list[str]:
    """The kinds a quiz of this syllabus draws by default: all of them for the extended one."""
    return [name for name, kind in kinds().items() if syllabus == EXTENDED or kind.syllabus == LECTURE]


def within_syllabus(names, syllabus: str) -> tuple[str, ...]:
    """The names, each in the syllabus; else a ConvzooError naming the first one beyond it."""
    inside = syllabus_kinds(syllabus)
    for name in names:
        if name not in inside:
            raise ConvzooError(f"question kind '{name}' is beyond the lecture; add --syllabus extended to ask it")
    return tuple(names)


class EngineOracle:
    """What a key is read from, computed by convzoo's own engine. ``zoo.keras_build.KerasOracle`` answers the
    same three questions from real Keras layers, so ``--verify`` runs each kind's key against Keras."""

    @staticmethod
    def rows(spec: str) -> list[Row]:
        """The rows of every layer after the input, floored where a window does not fit (``fits`` says so)."""
        return analyze(spec, floor=True).rows()

    @staticmethod
    def convolve(data: dict):
        from ..zoo.grid import convolve, convolve_args

        return convolve(**convolve_args(data)).output

    @staticmethod
    def pool(data: dict):
        from ..zoo.grid import pool, pool_args

        return pool(**pool_args(data)).output


QUIZ_STEPS = ("F'", "W2", "H2", "D2", "output", "params", "Dense", "shape")  # sizes and parameters


def worked(spec: str) -> list[str]:
    """The size and parameter steps of a spec's last layer; where it does not fit, the lecture's explanation."""
    result = analyze(spec, floor=True)  # the analysis EngineOracle.rows reads too (cached, as its error is)
    if all(r.fits for r in result.layers):
        return [step for step in result.layers[-1].steps if step.startswith(QUIZ_STEPS)]
    from ..zoo.spec import SpecError

    try:
        analyze(spec)
    except SpecError as err:
        return [err.message]
    raise AssertionError(f"{spec!r} fits only when floored")  # unreachable: floor changes only misfits
