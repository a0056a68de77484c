"""Answer forms: how a question's answer is laid out in blanks (questions/answers.py: each blank's type, key
and named mistakes). Every kind declares its form: ``Single(COUNT)``, ``Table()``, ``Map()``, ``FitList()``."""

from __future__ import annotations

from ..zoo.grid import number_text
from .answers import AVERAGE_TOLERANCE, COUNT, FIT, VALUE, VOLUME, Blank, Blanked, BlankType


class Form:
    """How a question's answer is laid out in blanks. ``lms`` is how an LMS asks for it: "number" or "text"
    (one blank, numerical or short answer), or "blanks" (cloze, fill in multiple blanks)."""

    lms = "blanks"
    may_not_fit = False  # a single blank whose answer may be "does not fit"
    decimals = False  # its values may have decimals (a printed answer sheet gives them a decimal point)

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
    gives the named misconceptions of a blank, {(row, column): (Wrong, ...)}."""

    def __init__(self, row_mistakes=None):
        self.row_mistakes = row_mistakes

    def blanked(self, question) -> Blanked:
        from ..zoo.engine import analyze

        mistakes = self.row_mistakes(question) if self.row_mistakes else {}
        names = [r.name for r in analyze(question.specs[0], floor=True).layers]
        by_prefix = _steps_by_prefix(question.solution)
        parts: list[Blank] = []
        cells: dict[tuple, int] = {}
        for i, row in enumerate(question.table["rows"]):
            steps = [(step, step.split(": ", 1)[1]) for step in by_prefix.get(f"{names[i]}: ", ())]
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
    whole maps that named mistakes make (a map typed as one of them is named by it, not cell by cell);
    ``decimals``: the kind's values may have decimals (averages), whatever this question's are, so that a
    printed answer sheet says as much for every question of the kind (questions/scansheet.py)."""

    def __init__(self, whole_mistakes=None, decimals: bool = False):
        self.whole_mistakes, self.decimals = whole_mistakes, decimals

    def blanked(self, question) -> Blanked:
        answer = question.answer
        averages = any(isinstance(v, float) for row in answer for v in row)  # one tolerance for the whole map
        by_prefix = _steps_by_prefix(question.solution)
        parts: list[Blank] = []
        cells: dict[tuple, int] = {}
        for i, row in enumerate(answer):
            for j, value in enumerate(row):
                cells[("output", i, j)] = len(parts)
                parts.append(
                    Blank(
                        f"output row {i}, column {j}",
                        VALUE,
                        value,
                        AVERAGE_TOLERANCE if averages else 0,
                        working=by_prefix.get(cell_step(i, j), ()),
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
        by_prefix = _steps_by_prefix(question.solution)
        return Blanked(
            tuple(
                Blank(label, FIT, fits, working=by_prefix.get(f"{label}: ", ())).with_mistakes(wrongs)
                for label, fits, wrongs in zip(question.labels, question.answer, mistakes)
            ),
            {},
        )


def cell_step(i: int, j: int) -> str:
    """How a map's worked solution starts the step of output cell (i, j): counted from 1, as the sheets, the
    answers files and the report count a map's cells."""
    return f"row {i + 1}, column {j + 1}: "


def _steps_by_prefix(solution: list[str]) -> dict[str, tuple[str, ...]]:
    """The solution's steps by how they start, up to their first ': ' (a layer's name, a cell, a stride): a
    blank's steps are those that start with its prefix, looked up here, not searched for in the whole solution
    blank after blank (a map has dozens of cells, each with its step)."""
    found: dict[str, list[str]] = {}
    for step in solution:
        head, colon, _ = step.partition(": ")
        if colon:
            found.setdefault(head + colon, []).append(step)
    return {prefix: tuple(steps) for prefix, steps in found.items()}
