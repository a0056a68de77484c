"""What a question shows, apart from its prompt: its table with blanks, its matrices as grids. Every sheet, the
LMS question texts, the self-test page and the terminal draw them from these views."""

from __future__ import annotations

from ..zoo.grid import number_text
from ..zoo.spec import fmt_dims
from .core import blanked


def _cell(answer_row: dict, column: int) -> str:
    return fmt_dims(answer_row["output_shape"]) if column == 1 else f"{answer_row['params']:,}"


def table_view(question, key: bool) -> dict | None:
    """The question's table with its blanks: empty on the sheet, filled from the answer in the key."""
    table = question.table
    if table is None:
        return None
    rows = []
    for i, row in enumerate(table["rows"]):
        rows.append(
            [
                {"text": _cell(question.answer[i], c) if key else "", "blank": True}
                if cell is None
                else {"text": cell, "blank": False}
                for c, cell in enumerate(row)
            ]
        )
    return {"title": table.get("title", ""), "columns": table["columns"], "rows": rows}


def grid_views(question, key: bool) -> list[dict]:
    """The question's matrices as grids of (text, marked) cells: the asked output cells show '?' on the sheet
    and their value in the key; a whole map to fill in is blank on the sheet."""
    views = []
    for grid in question.grids or []:
        if "matrix" in grid:
            marked = {tuple(cell) for cell in grid["marked"]}
            rows = [
                [(number_text(v), (i, j) in marked) for j, v in enumerate(row)] for i, row in enumerate(grid["matrix"])
            ]
        elif grid["asked"] is None:  # the whole map
            h, w = grid["shape"]
            rows = (
                [[(number_text(v), False) for v in row] for row in question.answer]
                if key
                else [[("", False)] * w for _ in range(h)]
            )
        else:  # one cell, marked
            h, w = grid["shape"]
            asked = {tuple(cell) for cell in grid["asked"]}
            shown = number_text(question.answer) if key else "?"
            rows = [[(shown, True) if (i, j) in asked else ("", False) for j in range(w)] for i in range(h)]
        views.append({"label": grid["label"], "rows": rows})
    return views


# An answer box's width in characters, by the blank's declared type: the longest answer of that type a sheet
# asks for, so that no box's width tells its own answer ("does not fit" where that is an answer).
BOX_WIDTHS = {"size": 14, "volume": 18, "count": 16, "percent": 8, "value": 10, "fit": 22}


def answer_boxes(question) -> list[dict]:
    """The boxes a sheet gives an open question to write in: one per blank that has no table or grid cell of
    its own, labelled ("Answer", "S = 2") and as wide as its type needs; none for multiple choice."""
    if question.choices:
        return []
    shape = blanked(question)
    in_cells = set(shape.cells.values())
    return [
        {
            "label": "Answer" if blank.label == "answer" else blank.label,
            "width": BOX_WIDTHS[blank.type.name],
            "circle": blank.type.name == "fit",
        }
        for i, blank in enumerate(shape.parts)
        if i not in in_cells
    ]
