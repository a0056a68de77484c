"""Render a quiz through the Jinja templates: question sheets and answer keys in md, html and tex, or JSON."""

from __future__ import annotations

import json

from convzoo.questions.quiz import Quiz, Settings, assemble, in_batches
from convzoo.questions.core import answer_text
from convzoo.zoo.grid import number_text
from convzoo.zoo.spec import fmt_dims

FORMATS = ("md", "html", "tex", "json", "moodle", "gift", "qti", "pdf", "selftest")
FILE_FORMATS = ("html", "tex", "qti", "pdf", "selftest")  # formats that are never written to stdout
EXPORTS = {"json": "quiz.json", "moodle": "quiz.moodle.xml", "gift": "quiz.gift.txt", "qti": "quiz.qti.zip"}
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
    """The question's matrices as grids of (text, marked) cells: the asked output cells show '?' on the sheet
    and their value in the key; a whole map to fill in is blank on the sheet."""
    views = []
    for grid in question.grids or []:
        if "matrix" in grid:
            marked = {tuple(cell) for cell in grid["marked"]}
            rows = [[(number_text(v), (i, j) in marked) for j, v in enumerate(row)]
                    for i, row in enumerate(grid["matrix"])]
        elif grid["asked"] is None:  # the whole map
            h, w = grid["shape"]
            rows = ([[(number_text(v), False) for v in row] for row in question.answer] if key
                    else [[("", False)] * w for _ in range(h)])
        else:  # one cell, marked
            h, w = grid["shape"]
            asked = {tuple(cell) for cell in grid["asked"]}
            shown = number_text(question.answer) if key else "?"
            rows = [[(shown, True) if (i, j) in asked else ("", False) for j in range(w)] for i in range(h)]
        views.append({"label": grid["label"], "rows": rows})
    return views


def document_names(fmt: str, labels: list[str]) -> list[str]:
    """The files a format writes: ``sheets.<fmt>`` and ``keys.<fmt>`` (every version in each; pdf: printed from
    the html), the one file of an export (``quiz.json``, ``quiz.moodle.xml``, ``quiz.gift.txt``,
    ``quiz.qti.zip``), or a self-test page per version (``selftest-A.html``, ...)."""
    if fmt == "selftest":
        return [f"selftest-{label}.html" for label in labels]
    return [EXPORTS[fmt]] if fmt in EXPORTS else [f"sheets.{fmt}", f"keys.{fmt}"]


def selftest_page(title: str, version) -> str:
    """One version as a standalone page that checks its own answers (see templates/selftest.html.j2)."""
    from convzoo.questions.lms import blanked
    from convzoo.questions.practice import likely_mistakes, normalize
    from convzoo.templates import render

    shapes = [blanked(q) for q in version.questions]
    keys = [{"parts": [{"kind": p.kind, "number": p.number, "tolerance": p.tolerance, "texts": list(p.texts),
                        "correct": p.correct} for p in shape.parts],
             "mistakes": [{"answer": normalize(answer_text(w.value)), "mistake": w.mistake,
                           "explanation": w.explanation} for w in likely_mistakes(q)]}
            for q, shape in zip(version.questions, shapes)]
    return render("selftest.html.j2", title=title, v=version, keys=keys, parts=[s.parts for s in shapes],
                  cells=[s.cells for s in shapes], table_view=table_view, grid_views=grid_views)


def _export(quiz: Quiz, fmt: str) -> str | bytes:
    from convzoo.questions import lms

    if fmt == "json":
        return json.dumps(quiz.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return {"moodle": lms.moodle_xml, "gift": lms.gift, "qti": lms.qti_zip}[fmt](quiz)


def render_documents(quiz: Quiz, fmt: str) -> dict[str, str | bytes]:
    """File name -> content, for ``document_names(fmt)``."""
    if fmt in EXPORTS:
        return {EXPORTS[fmt]: _export(quiz, fmt)}
    if fmt == "selftest":
        return {f"selftest-{v.version}.html": selftest_page(quiz.title, v) for v in quiz.versions}
    if fmt == "pdf":
        from convzoo.questions.pdf import print_pdf

        return {name.replace(".html", ".pdf"): print_pdf(html) for name, html in render_documents(quiz, "html").items()}
    by_label = {v.version: v for v in quiz.versions}
    done = in_batches([v.version for v in quiz.versions],
                      lambda labels: _render_versions(quiz.title, [by_label[label] for label in labels], fmt))
    return _pages(quiz.title, fmt, [v.version for v in quiz.versions], done)


def quiz_documents(settings: Settings, fmt: str, keep: bool) -> tuple[Quiz | None, dict[str, str]]:
    """Build and render in one pass, each batch of versions in one worker: only the rendered text comes back,
    and the Quiz itself (for JSON or --verify) only when ``keep``."""
    if fmt in EXPORTS or fmt in ("pdf", "selftest"):
        quiz = assemble(settings, in_batches(settings.labels, settings.build_versions))
        return quiz, render_documents(quiz, fmt)

    def work(labels):
        versions = settings.build_versions(labels)
        return (versions if keep else None), _render_versions(settings.title, versions, fmt)

    done = in_batches(settings.labels, work)
    quiz = assemble(settings, [(labels, versions) for labels, (versions, _) in done]) if keep else None
    return quiz, _pages(settings.title, fmt, settings.labels, [(labels, sections) for labels, (_, sections) in done])


def _render_versions(title: str, versions: list, fmt: str) -> dict[bool, list[str]]:
    """Each version's sheet (False) and key (True) sections."""
    from markupsafe import Markup

    from convzoo.templates import render

    # a section is a finished piece of the page: Markup, so the page template does not escape it again
    return {key: [Markup(render(f"quiz_version.{fmt}.j2", title=title, v=v, key=key, table_view=table_view,
                                grid_views=grid_views, letters=LETTERS)) for v in versions]
            for key in (False, True)}


def _pages(title: str, fmt: str, labels: list[str], done: list[tuple[list[str], dict]]) -> dict[str, str]:
    from convzoo.templates import render

    sections = {key: {} for key in (False, True)}
    for batch, rendered in done:
        for key in (False, True):
            sections[key].update(zip(batch, rendered[key]))
    sheets, keys = document_names(fmt, labels)
    return {name: render(f"quiz.{fmt}.j2", title=title, key=key, sections=[sections[key][x] for x in labels])
            for name, key in ((sheets, False), (keys, True))}
