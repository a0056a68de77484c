"""Grading what a student typed, blank by blank, with the likely mistake and a hint: the rules ``practice``,
``Question.check`` and the self-test page share. Every blank is read by its answer form
(``questions/answers.py``).

Pure functions: the terminal session that asks and prints lives in ``questions/session.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..zoo.engine import analyze
from .answers import COUNT, Unreadable
from .core import Wrong, blanked, kinds


@dataclass(frozen=True)
class BlankResult:
    """One blank after grading: its state (right, wrong, unreadable, or empty: not answered), what was typed,
    the key as text, the named mistake where one explains a wrong answer, and why it could not be read."""

    label: str
    state: str
    typed: str
    answer: str
    mistake: Wrong | None = None
    message: str | None = None

    @property
    def right(self) -> bool:
        return self.state == "right"


@dataclass(frozen=True)
class Verdict:
    """How a typed answer fares: right or not, the share of blanks right, and the named mistake that explains
    it where one does. True when right; ``blanks`` holds each blank's result."""

    correct: bool
    score: float
    mistake: Wrong | None = None
    blanks: tuple[BlankResult, ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return self.correct


def items(question) -> list[tuple[str, tuple[int, ...]]]:
    """What a student types, in order, as (label, the blanks it fills): a map row by row, else blank by blank."""
    return kinds()[question.kind].form.items(question)


def split_row(text: str) -> list[str]:
    """The values of a typed map row: '3 -1 0', '3, -1, 0', '3,-1,0'."""
    return [piece for piece in re.split(r"[\s,;]+", text.strip()) if piece]


def _pieces(indices: tuple[int, ...], typed: str) -> list[str]:
    """What one item's text gives each of its blanks: a map row's values, or the whole text."""
    return split_row(typed) if len(indices) > 1 else [typed]


def read_item(question, item: tuple[str, tuple[int, ...]], typed: str) -> list[str]:
    """The text of each blank of one item (a row's values), having checked that each can be read; Unreadable
    says what is expected otherwise (an empty answer, a word for a number, a row of the wrong length)."""
    label, indices = item
    parts = blanked(question).parts
    pieces = _pieces(indices, typed)
    for index, piece in zip(indices, pieces):  # a word among the numbers first: that is what to fix
        parts[index].read(piece)
    if len(indices) > 1 and len(pieces) != len(indices):
        comma = "; commas separate values: write a decimal with a point (3.5)" if "," in typed else ""
        raise Unreadable(f"{label} has {len(indices)} values; {len(pieces)} typed in '{typed.strip()}'{comma}")
    return pieces


def likely_mistakes(question) -> list[Wrong]:
    """The named misconceptions of a single-blank question, with wrong answers unlike the key."""
    parts = blanked(question).parts
    return list(parts[0].mistakes) if len(parts) == 1 else []


def grade_blank(blank, text: str | None) -> BlankResult:
    """One blank's result for the text typed in it (None or blank: not answered)."""
    if text is None or not text.strip():
        return BlankResult(blank.label, "empty", "", blank.answer_text)
    try:
        value = blank.read(text)
    except Unreadable as err:
        return BlankResult(blank.label, "unreadable", text, blank.answer_text, message=str(err))
    right = blank.right(value)
    return BlankResult(
        blank.label, "right" if right else "wrong", text, blank.answer_text, None if right else blank.mistake(value)
    )


def grade(question, texts: list[str | None], parts=None, seen: dict | None = None) -> Verdict:
    """Grade one text per blank (None or blank: not answered); ``parts``: the question's blanks, where already
    laid out; ``seen``: the blanks' results so far by (blank index, text), where a class is graded (a class
    types the same few answers in each blank, and each is read once). The self-test page runs the same rules
    (templates/answers.js.j2); tests/answer_corpus.tsv holds both to the same verdicts."""
    parts = parts or blanked(question).parts
    texts = list(texts[: len(parts)]) + [None] * (len(parts) - len(texts))
    if seen is None:
        results = [grade_blank(blank, text) for blank, text in zip(parts, texts)]
    else:
        results = []
        for index, (blank, text) in enumerate(zip(parts, texts)):
            result = seen.get((index, text))
            if result is None:
                result = seen[index, text] = grade_blank(blank, text)
            results.append(result)
    right = sum(r.right for r in results)
    mistake = next((r.mistake for r in results if r.mistake), None)  # the first blank's that has one
    return Verdict(right == len(results), right / len(results), mistake, tuple(results))


def check(question, typed: str | list[str]) -> Verdict:
    """Grade what a student typed: one text per item (see ``items``), or one string with the items separated by
    ';' or new lines (a map row by row: '3 0; 3 1'; a table blank by blank). Each item is read as ``practice``
    reads it: where practice would ask again (an item missing or empty, a word for a number, a map row of the
    wrong length), Unreadable (a ConvzooError) says what is wrong and where. Each blank is right or wrong on its
    own; the score is the share of blanks right."""
    asked = items(question)
    if isinstance(typed, str):
        typed = [typed] if len(asked) == 1 else re.split(r"[;\n]", re.sub(r"[;\s]+$", "", typed))
    typed = list(typed)
    if len(typed) != len(asked):
        labels = ", ".join(label for label, _ in asked) if len(asked) <= 3 else f"{asked[0][0]}, ..., {asked[-1][0]}"
        raise Unreadable(f"expected {len(asked)} answers separated by ';' or new lines ({labels}); {len(typed)} given")
    texts: list[str | None] = [None] * len(blanked(question).parts)
    for item, text in zip(asked, typed):
        try:
            pieces = read_item(question, item, text)
        except Unreadable as err:  # said with the item's label, where the message does not start with it
            raise Unreadable(
                str(err) if len(asked) == 1 or str(err).startswith(item[0]) else f"{item[0]}: {err}"
            ) from None
        for index, piece in zip(item[1], pieces):
            texts[index] = piece
    return grade(question, texts)


def hint(question, item: tuple[str, tuple[int, ...]] | None = None) -> str:
    """The formula to use, without the numbers: from the worked steps of the layer of a table's blank (its
    size or its parameters), else from the question's first step written as a formula."""
    steps = question.solution
    shape = blanked(question)
    where = (
        next((w for w, index in shape.cells.items() if w[0] == "table" and (index,) == item[1]), None) if item else None
    )
    if where and item:  # table steps start with the layer's name; the parameter column's with "params"
        layer = analyze(question.specs[0], floor=True).layers[where[1]].name
        steps = [s[len(layer) + 2 :] for s in steps if s.startswith(f"{layer}: ")]
        steps = [s for s in steps if s.startswith("params") == (shape.parts[item[1][0]].type is COUNT)] or steps
    for step in steps:
        pieces = re.sub(r"^[A-Za-z_][\w.-]*: ", "", step).split(" = ")  # table steps start with the layer's name
        if len(pieces) >= 3:
            lhs, rhs = pieces[0], pieces[1]
            if re.search(r"[A-Z]", rhs):  # W2 = (W1 - F + 2P)/S + 1
                return f"use {lhs} = {rhs}"
            if re.search(r"[A-Z]", lhs) and re.search(r"[-+*/]", lhs):  # (W1 - F)/S + 1 = ..., F*F*D1 + 1 = ...
                return f"use {lhs}"
    if where and steps:  # a table row without a formula: params = 0 (pooling ...)
        return f"use {steps[0]}"
    if question.hint:
        return question.hint
    return "work it as in the lecture: (N - F + 2P)/S + 1 for sizes, (F*F*D1 + 1)*K for parameters"


def hint_steps(question) -> list[str]:
    """The self-test page's hints, one step at a time before the worked solution: the formula (``hint``), then
    the numbers put in (the first worked step with numbers, without its result), then the answer."""
    formula = hint(question)
    steps = [formula[:1].upper() + formula[1:] + "."]
    numbers = next((step for step in question.solution if " = " in step and re.search(r"\d", step)), None)
    if numbers:
        steps.append(f"Put in the numbers: {numbers.rsplit(' = ', 1)[0]} = ?")
    return steps + [f"The answer: {question.answer_text}."]
