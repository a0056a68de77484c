"""Render a quiz through the Jinja templates: question sheets and answer keys in md, html and tex, or JSON."""

from __future__ import annotations

import json

from questions.quiz import Quiz
from zoo.grid import number_text
from zoo.spec import fmt_dims

FORMATS = ("md", "html", "tex", "json")
LETTERS = "abcdefgh"


def _cell(answer_row: dict, column: int) -> str:
    return fmt_dims(answer_row["output_shape"]) if column == 1 else f"{answer_row['params']:,}"


def table_view(question, key: bool) -> dict | None:
    """The question's table with its blanks: empty on the sheet, filled from the answer in the key."""
    table = question.table
    if table is None:
        return None
    rows = []
    for i, row in enumerate(table["rows"]):
        rows.append([
            {"text": _cell(question.answer[i], c) if key else "", "blank": True} if cell is None
            else {"text": cell, "blank": False}
            for c, cell in enumerate(row)
        ])
    return {"title": table.get("title", ""), "columns": table["columns"], "rows": rows}


def grid_views(question, key: bool) -> list[dict]:
    """The question's matrices as grids of cells {"text", "marked"}: the asked output cells show '?' on the
    sheet and their value in the key; a whole map to fill in is blank on the sheet."""
    views = []
    for grid in question.grids or []:
        if "matrix" in grid:
            marked = {tuple(cell) for cell in grid["marked"]}
            rows = [[{"text": number_text(v), "marked": (i, j) in marked} for j, v in enumerate(row)]
                    for i, row in enumerate(grid["matrix"])]
        else:
            h, w = grid["shape"]
            asked = None if grid["asked"] is None else {tuple(cell) for cell in grid["asked"]}
            answer = question.answer

            def value(i, j):
                if not key:
                    return "?" if asked else ""
                return number_text(answer[i][j] if asked is None else answer)

            rows = [[{"text": value(i, j) if asked is None or (i, j) in asked else "",
                      "marked": asked is not None and (i, j) in asked} for j in range(w)] for i in range(h)]
        views.append({"label": grid["label"], "rows": rows})
    return views


def document_names(fmt: str) -> list[str]:
    """The files a format writes: ``sheets.<fmt>`` and ``keys.<fmt>`` (every version in each), or
    ``quiz.json``."""
    return ["quiz.json"] if fmt == "json" else [f"sheets.{fmt}", f"keys.{fmt}"]


def render_documents(quiz: Quiz, fmt: str) -> dict[str, str]:
    """File name -> text, for ``document_names(fmt)``."""
    if fmt == "json":
        return {"quiz.json": json.dumps(quiz.to_dict(), indent=2, ensure_ascii=False) + "\n"}
    from templates import render

    sheets, keys = document_names(fmt)
    return {name: render(f"quiz.{fmt}.j2", quiz=quiz, key=key, table_view=table_view, grid_views=grid_views,
                         letters=LETTERS)
            for name, key in ((sheets, False), (keys, True))}
