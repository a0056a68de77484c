"""Answer forms: how a question's answer is laid out in blanks, and how each blank reads what people type.

Every kind declares its form (``Single(COUNT)``, ``Table()``, ``Map()``, ``FitList()``); the key, ``practice``,
the self-test page and the LMS exports read answers through it, so they all agree on what is right. A blank's
type (``SIZE``, ``VOLUME``, ``COUNT``, ``PERCENT``, ``VALUE``, ``FIT``), never its value, decides how the LMS
asks for it: a size that happens to fit is asked the same way as one that does not.

The self-test page reads typed answers with the same rules, written once more in JavaScript
(``templates/answers.js.j2``); ``tests/answer_corpus.tsv`` holds both to the same verdicts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from ..zoo.errors import ConvzooError
from ..zoo.grid import number_text
from ..zoo.spec import fmt_dims

DOES_NOT_FIT = "does not fit"
AVERAGE_TOLERANCE = 0.01  # averages are exact quarters; the tolerance forgives a rounded 2.25 -> 2.3 no more
PERCENT_TOLERANCE = 0.5  # the key is rounded to a whole percent: the unrounded share is right too

# What phones and other keyboards put in the place of plain characters
_PLAIN = str.maketrans(
    {
        "×": "x",
        "✕": "x",
        "∗": "*",
        "’": "'",
        "‘": "'",
        "`": "'",
        "−": "-",
        "–": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "％": "%",
        "٫": ".",
        "٬": ",",
        **{chr(0x660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x6F0 + d): str(d) for d in range(10)},
    }
)  # Eastern Arabic-Indic digits
NOT_FIT = frozenset(
    {
        "does not fit",
        "doesnt fit",
        "doesn't fit",
        "it does not fit",
        "it doesn't fit",
        "not fit",
        "no fit",
        "dnf",
        "won't fit",
        "wont fit",
        "does not",
        "doesn't",
        "not fitting",
    }
)
FITS = frozenset({"fits", "fit", "it fits", "yes", "y", "true"})
NO = frozenset({"no", "n", "false"})


class Unreadable(ConvzooError):
    """What was typed is not an answer of the blank's type: the message says what is expected."""


def clean(text: str) -> str:
    """Lower case, plain characters, single spaces, no full stop or exclamation mark at the end."""
    text = " ".join(str(text).translate(_PLAIN).lower().split())
    return text.rstrip(".!").strip()


def _whole(digits: str) -> int | float:
    """A run of digits as a number. A very long one (a pasted page of 9s: Python converts no more than 4,300
    digits to an int, and a quotient of two long ints overflows a float) is read as the self-test page's
    Number() reads it, as a float: infinity past about 309 digits, an answer that is simply wrong."""
    return int(digits) if len(digits) <= 300 else float(digits)


def read_number(text: str) -> int | float | None:
    """A number as people type it, or None: 416, -3, 2.75, .25, 1,199,882 or 1 199 882 (thousands), 2,75
    (a decimal comma), 1e3, 11/4. A whole value comes back as an int (-0 is 0)."""
    t = clean(text)
    fraction = re.fullmatch(r"([-+]?[0-9]+) ?/ ?([0-9]+)", t)
    if fraction:
        numerator, denominator = fraction.group(1), fraction.group(2)
        if _whole(denominator) == 0:
            return None
        sign = -1 if numerator[0] == "-" else 1
        value = sign * _whole(numerator.lstrip("+-")) / _whole(denominator)
    else:
        if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", t):
            t = t.replace(",", "")
        elif re.fullmatch(r"[-+]?[0-9]{1,3}( [0-9]{3})+(\.[0-9]+)?", t):
            t = t.replace(" ", "")
        elif re.fullmatch(r"[-+]?[0-9]*,[0-9]+", t):
            t = t.replace(",", ".")
        if not re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?", t):
            return None
        value = float(t)
    return int(value) if value.is_integer() else value


def _dims(text: str) -> tuple[int, ...] | None:
    """32x32x10, 32 x 32 x 10, (32, 32, 10), [32,32,10], 32*32*10 -> (32, 32, 10)."""
    t = clean(text)
    if t[:1] in "([" and t[-1:] in ")]":
        t = t[1:-1]
    pieces = [p for p in re.split(r"\s*[x*,]\s*|\s+", t.strip()) if p]
    if not pieces or not all(re.fullmatch("[0-9]+", p) for p in pieces):
        return None
    return tuple(_whole(p) for p in pieces)


def _same_number(value, key, tolerance: float) -> bool:
    return isinstance(value, (int, float)) and abs(value - key) <= tolerance + 1e-9


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
    """One kind of blank: how it reads typed text, compares it with its key and writes the key."""

    name: str  # size, volume, count, percent, value, fit: what the page's script dispatches on
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
        if self.name == "fit":
            return isinstance(value, bool)
        if value == DOES_NOT_FIT:
            return self.may_not_fit
        if self.name == "volume":
            return isinstance(value, (list, tuple)) and bool(value) and all(type(v) is int for v in value)
        return type(value) in (int, float) and math.isfinite(value)

    def read(self, typed: str, key: Any = None):
        """The value typed; Unreadable where it is not an answer of this type (empty included)."""
        if not clean(typed):
            raise Unreadable(f"no answer given; expected {self.expected}")
        value = self._read(clean(typed), key)
        if value is None:
            raise Unreadable(f"could not read '{typed.strip()}': expected {self.expected}")
        return value

    def same(self, value, key, tolerance: float = 0) -> bool:
        """Whether two answers of this type are the same (a volume as a list or a tuple alike)."""
        if key == DOES_NOT_FIT or value == DOES_NOT_FIT:
            return value == key
        if isinstance(key, (list, tuple)):
            return isinstance(value, (list, tuple)) and tuple(value) == tuple(key)
        if isinstance(key, bool):
            return value is key
        return _same_number(value, key, tolerance)

    def text(self, key) -> str:
        if key == DOES_NOT_FIT:
            return DOES_NOT_FIT
        if isinstance(key, bool):
            return "fits" if key else DOES_NOT_FIT
        if isinstance(key, (list, tuple)):
            return fmt_dims(key)
        if self.name == "percent":
            return f"{key}%"
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
        numbers = _number_spellings(key)
        if self.name == "percent":
            return tuple(
                dict.fromkeys(s for n in numbers if not n.endswith(".") for s in (n, f"{n}%", f"{n} %", f"{n} percent"))
            )
        return numbers

    def _read(self, t: str, key):
        if self.name == "fit":
            return True if t in FITS else False if t in NOT_FIT | NO else None
        if self.name in ("size", "volume") and t in NOT_FIT:
            return DOES_NOT_FIT
        if self.name == "volume":
            flat = isinstance(key, (list, tuple)) and len(key) == 1
            number = read_number(t) if flat else None  # a flat volume is one number: 294,912
            return (number,) if isinstance(number, int) else _dims(t)
        if self.name == "percent":
            t = re.sub(r"\s*(%|percent|per cent)$", "", t)
        return read_number(t)


SIZE = BlankType("size", "a whole number, or 'does not fit'", "text", numeric_keyboard=False, may_not_fit=True, least=1)
VOLUME = BlankType(
    "volume",
    "a volume such as 32x32x10 (or one number after flatten), or 'does not fit'",
    "text",
    numeric_keyboard=False,
    may_not_fit=True,
    least=1,
)
COUNT = BlankType("count", "a whole number, such as 1,199,882", "number", least=0)
# (a phone's number pad has no '-', '.' or '%': only whole counts get it)
PERCENT = BlankType("percent", "a percentage, such as 18 or 18%", "text", numeric_keyboard=False, least=0, most=100)
VALUE = BlankType("value", "a number, such as -3 or 2.75", "number", numeric_keyboard=False)
FIT = BlankType("fit", "'fits' or 'does not fit' (or yes/no)", "choice", numeric_keyboard=False)
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
    mistakes: tuple = ()  # the named misconceptions (Wrong) whose wrong answers this blank may get
    working: tuple[str, ...] = ()  # the solution's steps for this blank alone, where the answer has several
    accepted: tuple = ()  # answers also marked right, besides the key (grade --accept)

    def read(self, typed: str):
        return self.type.read(typed, self.key)

    def with_mistakes(self, wrongs) -> Blank:
        """This blank, carrying the named misconceptions whose wrong answers are not its key."""
        return replace(self, mistakes=tuple(w for w in wrongs if not self.type.same(w.value, self.key, self.tolerance)))

    def mistake(self, value):
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

    # what the exporters read: the kind of LMS answer, and what it accepts
    @property
    def kind(self) -> str:
        return self.type.export

    @property
    def number(self):
        return self.key if self.kind == "number" else None

    @property
    def texts(self) -> tuple[str, ...]:
        return self.type.spellings(self.key)

    @property
    def options(self) -> tuple[str, ...]:
        return FIT_OPTIONS if self.kind == "choice" else ()

    @property
    def correct(self) -> str:
        return self.type.text(self.key) if self.kind == "choice" else ""

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
            "mistakes": [{"value": w.value, "mistake": w.mistake, "explanation": w.explanation} for w in self.mistakes],
        }


@dataclass(frozen=True)
class Blanked:
    """A question's blanks, and where each goes in the table or grid cells ({(grid, row, column): blank index});
    a question whose blanks stand on their own needs no cells."""

    parts: tuple[Blank, ...]
    cells: dict
    wholes: tuple = ()  # the named mistakes (Wrong) that make a whole answer at once (a map typed as one)


class Form:
    """How a question's answer is laid out in blanks. ``lms`` is how an LMS asks for it: "number" or "text"
    (one blank, numerical or short answer), or "blanks" (cloze, fill in multiple blanks)."""

    lms = "blanks"
    may_not_fit = False  # a single blank whose answer may be "does not fit"

    def blanked(self, question) -> Blanked:
        raise NotImplementedError

    def text(self, answer, labels: list[str] | None = None) -> str:
        """An answer (the key, or a multiple-choice option) as a person writes it."""
        raise NotImplementedError

    def items(self, question) -> list[tuple[str, tuple[int, ...]]]:
        """What a student types, in order: (label, the blanks it fills)."""
        parts = self.blanked(question).parts
        return [(p.label, (i,)) for i, p in enumerate(parts)]


class Single(Form):
    """One blank: a size, a volume, a count, a percentage or a value."""

    def __init__(self, blank_type: BlankType, tolerance: float = 0):
        self.type, self.tolerance = blank_type, tolerance
        self.lms, self.may_not_fit = blank_type.export, blank_type.may_not_fit

    def blanked(self, question) -> Blanked:
        return Blanked((Blank("answer", self.type, question.answer, self.tolerance),), {})

    def text(self, answer, labels=None) -> str:
        return self.type.text(answer)


class Table(Form):
    """A network's table with blanks: output shapes (volumes) and parameter counts. ``row_mistakes(question)``
    gives the named misconceptions of a blank, {(row, column): [Wrong, ...]}."""

    def __init__(self, row_mistakes=None):
        self.row_mistakes = row_mistakes

    def blanked(self, question) -> Blanked:
        from ..zoo.engine import analyze

        mistakes = self.row_mistakes(question) if self.row_mistakes else {}
        names = [r.name for r in analyze(question.specs[0], floor=True).layers]
        parts, cells = [], {}
        for i, row in enumerate(question.table["rows"]):
            steps = [(step, step.split(": ", 1)[1]) for step in _steps(question.solution, f"{names[i]}: ")]
            # the steps of the output shape, and of the parameters ("shape unchanged; params = 0" is both)
            working = {
                1: tuple(step for step, what in steps if not what.startswith("params")),
                2: tuple(step for step, what in steps if "params" in what),
            }
            for c, cell in enumerate(row):
                if cell is None:
                    cells[("table", i, c)] = len(parts)
                    label = f"row {i + 1}, {question.table['columns'][c]}"
                    answer = question.answer[i]
                    blank_type, key = (VOLUME, tuple(answer["output_shape"])) if c == 1 else (COUNT, answer["params"])
                    parts.append(
                        Blank(label, blank_type, key, working=working[c]).with_mistakes(mistakes.get((i, c), ()))
                    )
        return Blanked(tuple(parts), cells)

    def text(self, answer, labels=None) -> str:
        return "; ".join(f"{VOLUME.text(row['output_shape'])}, {COUNT.text(row['params'])} params" for row in answer)


class Map(Form):
    """A feature map or a pooled map: a value per cell, typed row by row. ``whole_mistakes(question)``: the
    whole maps that named mistakes make (a map typed as one of them is named by it, not cell by cell)."""

    def __init__(self, whole_mistakes=None):
        self.whole_mistakes = whole_mistakes

    def blanked(self, question) -> Blanked:
        answer = question.answer
        averages = any(isinstance(v, float) for row in answer for v in row)  # one tolerance for the whole map
        parts, cells = [], {}
        for i, row in enumerate(answer):
            for j, value in enumerate(row):
                cells[("output", i, j)] = len(parts)
                parts.append(
                    Blank(
                        f"output row {i}, column {j}",
                        VALUE,
                        value,
                        AVERAGE_TOLERANCE if averages else 0,
                        working=_steps(question.solution, cell_step(i, j)),
                    )
                )
        return Blanked(tuple(parts), cells, tuple(self.whole_mistakes(question)) if self.whole_mistakes else ())

    def text(self, answer, labels=None) -> str:  # rows split by ';', as the calculators read them
        return "; ".join(" ".join(number_text(v) for v in row) for row in answer)

    def items(self, question):
        width = len(question.answer[0])
        return [(f"row {r}", tuple(range(r * width, (r + 1) * width))) for r in range(len(question.answer))]


class FitList(Form):
    """Fits or does not fit, for each of several strides. ``blank_mistakes(question)`` gives each blank's named
    misconceptions, [[Wrong, ...], ...]."""

    def __init__(self, blank_mistakes=None):
        self.blank_mistakes = blank_mistakes

    def text(self, answer, labels=None) -> str:
        return "; ".join(f"{label}: {FIT.text(fits)}" for label, fits in zip(labels, answer))

    def blanked(self, question) -> Blanked:
        mistakes = self.blank_mistakes(question) if self.blank_mistakes else [()] * len(question.answer)
        return Blanked(
            tuple(
                Blank(label, FIT, fits, working=_steps(question.solution, f"{label}: ")).with_mistakes(wrongs)
                for label, fits, wrongs in zip(question.labels, question.answer, mistakes)
            ),
            {},
        )


def cell_step(i: int, j: int) -> str:
    """How a map's worked solution starts the step of output cell (i, j): counted from 1, as the sheets, the
    answers files and the report count a map's cells."""
    return f"row {i + 1}, column {j + 1}: "


def _steps(solution: list[str], prefix: str) -> tuple[str, ...]:
    """The solution's steps about one blank: those that start with its layer's name, its cell or its stride."""
    return tuple(step for step in solution if step.startswith(prefix))
