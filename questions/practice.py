"""Checking a student's answer the way people type them, naming the likely mistake, and giving a hint.

Pure functions: the terminal loop lives in ``cli.py``; the self-test page (``templates/selftest.html.j2``) does
the same checks in its own small script, from the data ``selftest_data`` gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from convzoo.questions.core import DOES_NOT_FIT, answer_text, kinds
from convzoo.questions.lms import Part, blanked

_NOT_FIT = {"does not fit", "doesnt fit", "doesn't fit", "not fit", "no fit", "dnf"}
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def normalize(text: str) -> str:
    """'32 x 32 x 10', '(32, 32, 10)' -> '32x32x10'; '1,199,882' -> '1199882'; 'Doesn't fit.' -> 'does not fit'."""
    text = text.strip().lower().rstrip(".!")
    if text in _NOT_FIT:
        return DOES_NOT_FIT
    if text in ("y", "yes", "fits", "fit", "true"):
        return "fits"
    if text in ("n", "no", "false"):
        return DOES_NOT_FIT
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,199,882: thousands separators, not a list
        text = text.replace(",", "")
    found = _NUMBER.findall(text)
    rest = re.sub(r"[-+]?\d+(?:\.\d+)?|[\sx×*,()\[\]]", "", text)
    if found and not rest:
        return "x".join(_clean(n) for n in found)
    return " ".join(text.split())


def numbers_in(text: str) -> list[float]:
    """The numbers of a typed map row: '3 -1 0', '3, -1, 0'."""
    return [float(n) for n in _NUMBER.findall(text)]


def _clean(number: str) -> str:
    value = float(number)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def part_is_right(part: Part, typed: str) -> bool:
    given = normalize(typed)
    if part.kind == "number":
        try:
            return abs(float(given) - part.number) <= part.tolerance + 1e-9
        except ValueError:
            return False
    if part.kind == "choice":
        return given == normalize(part.correct)
    return given in {normalize(t) for t in part.texts}


def likely_mistakes(question) -> list:
    """The named misconceptions of a single-answer question, with wrong answers unlike the right one."""
    kind = kinds()[question.kind]
    if kind.misconceptions is None or len(blanked(question).parts) != 1:
        return []
    right = normalize(question.answer_text)
    return [w for w in kind.misconceptions(question.answer, question.numbers) if normalize(answer_text(w.value)) != right]


def likely_mistake(question, typed: str):
    """The named misconception whose wrong answer the student gave, if any."""
    given = normalize(typed)
    return next((w for w in likely_mistakes(question) if normalize(answer_text(w.value)) == given), None)


def hint(question) -> str:
    """The formula to use, without the numbers: from the first worked step written as a formula."""
    for step in question.solution:
        pieces = re.sub(r"^[A-Za-z_][\w.-]*: ", "", step).split(" = ")  # table steps start with the layer's name
        if len(pieces) >= 3:
            lhs, rhs = pieces[0], pieces[1]
            if re.search(r"[A-Z]", rhs):  # W2 = (W1 - F + 2P)/S + 1
                return f"use {lhs} = {rhs}"
            if re.search(r"[A-Z]", lhs) and re.search(r"[-+*/]", lhs):  # (W1 - F)/S + 1 = ..., F*F*D1 + 1 = ...
                return f"use {lhs}"
    if question.kind.startswith("conv") or question.kind == "feature_map":
        return "multiply each input value by the kernel weight over it, add them up (and the bias)"
    if question.kind.endswith("pool"):
        return "each output cell is the max (or the average) of its window; move the window by the stride"
    return "work it as in the lecture: (N - F + 2P)/S + 1 for sizes, (F*F*D1 + 1)*K for parameters"


def row_groups(question) -> list[list[int]] | None:
    """For a map, the part indices of each output row, so a student types a map row by row."""
    answer = question.answer
    if isinstance(answer, list) and answer and isinstance(answer[0], list):
        width = len(answer[0])
        return [list(range(r * width, (r + 1) * width)) for r in range(len(answer))]
    return None


@dataclass(frozen=True)
class Verdict:
    """How a typed answer fares: right or not, the share of blanks right, and the named mistake that explains
    it where one does. True when right."""

    correct: bool
    score: float
    mistake: str | None = None

    def __bool__(self) -> bool:
        return self.correct


def asked_items(question) -> list[tuple[str, list[int]]]:
    """What a student types, in order, as (label, the blanks it fills): a map row by row, else blank by blank."""
    rows = row_groups(question)
    if rows:
        return [(f"row {r}", group) for r, group in enumerate(rows)]
    parts = blanked(question).parts
    return [(p.label if len(parts) > 1 else "answer", [i]) for i, p in enumerate(parts)]


def check(question, typed: str | list[str]) -> Verdict:
    """Check what a student typed: one text per asked item (see ``asked_items``), or one string with the items
    separated by ';' or new lines (for a map, a row per item: '3 0; 3 1')."""
    items = asked_items(question)
    if isinstance(typed, str):
        typed = [typed] if len(items) == 1 else [t for t in re.split(r"[;\n]", typed) if t.strip()]
    parts = blanked(question).parts
    right = [False] * len(parts)
    for (_, group), text in zip(items, typed):
        if len(group) == 1 and row_groups(question) is None:
            right[group[0]] = part_is_right(parts[group[0]], text)
            continue
        values = numbers_in(text)
        if len(values) == len(group):  # a map row: every number in its place, no more, no fewer
            for index, value in zip(group, values):
                right[index] = part_is_right(parts[index], str(value))
    correct = all(right)
    mistake = None if correct or len(typed) != 1 else likely_mistake(question, typed[0])
    return Verdict(correct, sum(right) / len(right), f"{mistake.mistake} ({mistake.explanation})" if mistake else None)
