"""Answers, blank by blank: each gradable blank's type, key and named mistakes, and how it reads what people type.

A question's form (questions/forms.py) lays its answer out in blanks; the key, ``practice``, the self-test page
and the LMS exports read answers through them, so they all agree on what is right. A blank's type (``SIZE``,
``VOLUME``, ``COUNT``, ``PERCENT``, ``VALUE``, ``FIT``), never its value, decides how the LMS asks for it: a size
that happens to fit is asked the same way as one that does not.

A type reads typed text by the rules of questions/reading.py; where a type reads, holds or writes otherwise (a
volume, a percentage, a verdict on fitting) its class says how. The self-test page's script
(templates/answers.js.j2) repeats both, dispatching on the type's name; ``tests/answer_corpus.tsv`` holds the
two to the same verdicts (tests/test_answers.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..zoo.errors import ConvzooError
from ..zoo.grid import number_text
from ..zoo.spec import fmt_dims
from .reading import FITS, NO, NOT_FIT, clean, read_dims, read_number

if TYPE_CHECKING:
    from .core import Wrong

DOES_NOT_FIT = "does not fit"
AVERAGE_TOLERANCE = 0.01  # averages are exact quarters; the tolerance forgives a rounded 2.25 -> 2.3 no more
PERCENT_TOLERANCE = 0.5  # the key is rounded to a whole percent: the unrounded share is right too


class Unreadable(ConvzooError):
    """What was typed is not an answer of the blank's type: the message says what is expected."""


@lru_cache(maxsize=4096, typed=True)  # a class's export spells the same few hundred keys thousands of times
def _number_spellings(key: int | float) -> tuple[str, ...]:
    """The ways a number is written, for LMS blanks that match text exactly: 1199882, 1,199,882, 1 199 882,
    1199882.0 and 1199882.; 0.25, .25, 0.250, 0,25 and 1/4 (quarters and halves); -3 also with the minus sign
    −3."""
    from fractions import Fraction

    plain = number_text(key)
    spellings = [plain]
    if isinstance(key, int) or float(key).is_integer():
        whole = int(key)
        spellings += [f"{whole:,}", f"{whole:,}".replace(",", " "), f"{whole}.0", f"{whole}."]
    else:
        short = plain.replace("0.", ".", 1) if plain.startswith(("0.", "-0.")) else plain
        fraction = Fraction(key).limit_denominator(4)
        spellings += [
            short,
            f"{key:.2f}",
            f"{key:.3f}",
            plain.replace(".", ","),
            *([f"{fraction.numerator}/{fraction.denominator}"] if fraction == key else []),
        ]
    spellings += [s.replace("-", "−", 1) for s in spellings if s.startswith("-")]
    return tuple(dict.fromkeys(s for s in spellings if read_number(s) == key))


@dataclass(frozen=True)
class BlankType:
    """One kind of blank: how it reads typed text, compares it with its key and writes the key. This class is a
    number's (a size, a count, a value); the subclasses below are the types that read, hold or write otherwise
    (with no fields of their own, they need no @dataclass of their own: making one costs a millisecond at import)."""

    name: str  # size, volume, count, percent, value, fit: what quiz.json records and the page's script reads
    expected: str  # for "could not read that, expected ..."
    export: str  # how every LMS asks for it: "number" (numerical), "text" (short answer), "choice"
    numeric_keyboard: bool = True  # the page asks phones for the number pad
    may_not_fit: bool = False  # "does not fit" is an answer of this type: multiple choice always offers it
    least: float | None = None  # the smallest possible answer (of each dimension of a volume), if any
    most: float | None = None  # the largest, if any

    def __reduce__(self):  # one object per type, in any process: blanks compare their types with `is`
        return blank_type, (self.name,)

    def possible(self, value) -> bool:
        """Whether ``value`` could be an answer of this type: multiple choice offers no impossible one."""
        if value == DOES_NOT_FIT:
            return self.may_not_fit
        return all(
            (self.least is None or v >= self.least) and (self.most is None or v <= self.most)
            for v in (value if isinstance(value, (list, tuple)) else (value,))
        )

    def holds(self, value) -> bool:
        """Whether ``value`` is an answer of this type, as its keys and named mistakes' answers are (what quiz.json
        records is read back through this)."""
        if value == DOES_NOT_FIT:
            return self.may_not_fit
        return self._holds(value)

    def _holds(self, value) -> bool:
        return type(value) in (int, float) and math.isfinite(value)

    def read(self, typed: str, key: Any = None):
        """The value typed; Unreadable where it is not an answer of this type (empty included)."""
        if not clean(typed):
            raise Unreadable(f"no answer given; expected {self.expected}")
        value = self._read(clean(typed), key)
        if value is None:
            raise Unreadable(f"could not read '{typed.strip()}': expected {self.expected}")
        return value

    def _read(self, t: str, key):
        """What the cleaned text ``t`` reads as, or None (``key``: the blank's, where its shape matters)."""
        if self.may_not_fit and t in NOT_FIT:
            return DOES_NOT_FIT
        return read_number(t)

    def same(self, value, key, tolerance: float = 0) -> bool:
        """Whether two answers of this type are the same (a volume as a list or a tuple alike)."""
        if key == DOES_NOT_FIT or value == DOES_NOT_FIT:
            return value == key
        if isinstance(key, (list, tuple)):
            return isinstance(value, (list, tuple)) and tuple(value) == tuple(key)
        if isinstance(key, bool):
            return value is key
        return isinstance(value, (int, float)) and abs(value - key) <= tolerance + 1e-9

    def text(self, key) -> str:
        if key == DOES_NOT_FIT:
            return DOES_NOT_FIT
        if isinstance(key, bool):
            return "fits" if key else DOES_NOT_FIT
        if isinstance(key, (list, tuple)):
            return fmt_dims(key)
        return f"{key:,}" if isinstance(key, int) else number_text(key)

    def spellings(self, key) -> tuple[str, ...]:
        """Every spelling of the key this type reads as right, for LMS formats that match text exactly."""
        if key == DOES_NOT_FIT or key is False:
            return (
                DOES_NOT_FIT,
                "doesn't fit",
                "doesn’t fit",
                "doesnt fit",
                "it does not fit",
                "not fit",
                f"{DOES_NOT_FIT}.",
                f"{DOES_NOT_FIT}!",
                *(("no",) if key is False else ()),
            )
        if key is True:
            return ("fits", "fit", "it fits", "yes")
        if isinstance(key, (list, tuple)):
            if len(key) == 1:
                return tuple(dict.fromkeys((*_number_spellings(key[0]), f"({key[0]},)")))
            # '*' is Moodle's wildcard in short answers: its exports escape it (questions/lms.py)
            joined = [sep.join(map(str, key)) for sep in ("x", " x ", "×", " × ", ",", ", ", " ", "*")]
            return (
                *joined,
                f"({', '.join(map(str, key))})",
                f"({','.join(map(str, key))})",
                f"[{', '.join(map(str, key))}]",
            )
        return _number_spellings(key)


class VolumeType(BlankType):
    """A volume, W2xH2xD2 (or one number after flatten)."""

    def _holds(self, value) -> bool:
        return isinstance(value, (list, tuple)) and bool(value) and all(type(v) is int for v in value)

    def _read(self, t: str, key):
        if t in NOT_FIT:
            return DOES_NOT_FIT
        flat = isinstance(key, (list, tuple)) and len(key) == 1
        number = read_number(t) if flat else None  # a flat volume is one number: 294,912
        return (number,) if isinstance(number, int) else read_dims(t)


class PercentType(BlankType):
    """A percentage: 18, 18% or 18 percent."""

    def _read(self, t: str, key):
        return read_number(re.sub(r"\s*(%|percent|per cent)$", "", t))

    def text(self, key) -> str:
        return f"{key}%"

    def spellings(self, key) -> tuple[str, ...]:
        numbers = _number_spellings(key)
        return tuple(
            dict.fromkeys(s for n in numbers if not n.endswith(".") for s in (n, f"{n}%", f"{n} %", f"{n} percent"))
        )


class FitType(BlankType):
    """Whether a window fits: True or False."""

    def _holds(self, value) -> bool:
        return isinstance(value, bool)

    def _read(self, t: str, key):
        return True if t in FITS else False if t in NOT_FIT | NO else None


SIZE = BlankType("size", "a whole number, or 'does not fit'", "text", numeric_keyboard=False, may_not_fit=True, least=1)
VOLUME = VolumeType(
    "volume",
    "a volume such as 32x32x10 (or one number after flatten), or 'does not fit'",
    "text",
    numeric_keyboard=False,
    may_not_fit=True,
    least=1,
)
COUNT = BlankType("count", "a whole number, such as 1,199,882", "number", least=0)
# (a phone's number pad has no '-', '.' or '%': only whole counts get it)
PERCENT = PercentType("percent", "a percentage, such as 18 or 18%", "text", numeric_keyboard=False, least=0, most=100)
VALUE = BlankType("value", "a number, such as -3 or 2.75", "number", numeric_keyboard=False)
FIT = FitType("fit", "'fits' or 'does not fit' (or yes/no)", "choice", numeric_keyboard=False)
FIT_OPTIONS = ("fits", DOES_NOT_FIT)
BLANK_TYPES = {t.name: t for t in (SIZE, VOLUME, COUNT, PERCENT, VALUE, FIT)}


def blank_type(name: str) -> BlankType:
    """The blank type of this name (quiz.json's record names its blanks' types)."""
    return BLANK_TYPES[name]


@dataclass(frozen=True)
class Blank:
    """One gradable blank of a question: its label, type and key."""

    label: str
    type: BlankType
    key: Any
    tolerance: float = 0
    mistakes: tuple[Wrong, ...] = ()  # the named misconceptions whose wrong answers this blank may get
    working: tuple[str, ...] = ()  # the solution's steps for this blank alone, where the answer has several
    accepted: tuple = ()  # answers also marked right, besides the key (grade --accept)

    def read(self, typed: str):
        return self.type.read(typed, self.key)

    def with_mistakes(self, wrongs) -> Blank:
        """This blank, carrying the named misconceptions whose wrong answers are not its key."""
        return replace(self, mistakes=tuple(w for w in wrongs if not self.type.same(w.value, self.key, self.tolerance)))

    def mistake(self, value) -> Wrong | None:
        """The first named misconception that gives ``value``, if any."""
        return next((w for w in self.mistakes if self.type.same(value, w.value, self.tolerance)), None)

    def right(self, value) -> bool:
        """Whether a value read from this blank is right: the key, or an answer accepted besides it."""
        return any(self.type.same(value, key, self.tolerance) for key in (self.key, *self.accepted))

    def is_right(self, typed: str) -> bool:
        """Whether ``typed`` is right; an unreadable answer is not."""
        try:
            return self.right(self.read(typed))
        except Unreadable:
            return False

    # what the exporters read: the type of LMS answer ("number", "text" or "choice"), and what it accepts
    @property
    def lms_type(self) -> str:
        return self.type.export

    @property
    def number(self):
        return self.key if self.lms_type == "number" else None

    @property
    def texts(self) -> tuple[str, ...]:
        return self.type.spellings(self.key)

    @property
    def options(self) -> tuple[str, ...]:
        return FIT_OPTIONS if self.lms_type == "choice" else ()

    @property
    def correct(self) -> str:
        return self.type.text(self.key) if self.lms_type == "choice" else ""

    @property
    def answer_text(self) -> str:
        return " or ".join(self.type.text(key) for key in (self.key, *self.accepted))

    def to_dict(self) -> dict:
        """What the self-test page needs to read and grade this blank."""
        key = list(self.key) if isinstance(self.key, tuple) else self.key
        return {
            "label": self.label,
            "type": self.type.name,
            "key": key,
            "tolerance": self.tolerance,
            "text": self.answer_text,
            "expected": self.type.expected,
            "numeric_keyboard": self.type.numeric_keyboard,
            "mistakes": [{"value": w.value, "mistake": w.name, "explanation": w.explanation} for w in self.mistakes],
        }


@dataclass(frozen=True)
class Blanked:
    """A question's blanks, and where each goes in the table or grid cells ({(grid, row, column): blank index});
    a question whose blanks stand on their own needs no cells."""

    parts: tuple[Blank, ...]
    cells: dict
    wholes: tuple[Wrong, ...] = ()  # the named mistakes that make a whole answer at once (a map typed as one)
