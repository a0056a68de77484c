"""Render a quiz through the Jinja templates: question sheets and answer keys in md, html and tex, or JSON."""

from __future__ import annotations

import json

from questions.quiz import Quiz
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
    return {name: render(f"quiz.{fmt}.j2", quiz=quiz, key=key, table_view=table_view, letters=LETTERS)
            for name, key in ((sheets, False), (keys, True))}
