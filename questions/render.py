"""Render a quiz through the Jinja templates: question sheets and answer keys in md, html and tex, or JSON."""

from __future__ import annotations

import json

from convzoo.questions.answers import FITS, NO, NOT_FIT
from convzoo.questions.core import blanked
from convzoo.questions.quiz import Quiz, Settings, assemble, in_batches
from convzoo.questions.views import grid_views, table_view

FORMATS = ("md", "html", "tex", "json", "moodle", "gift", "qti", "pdf", "selftest")
FILE_FORMATS = ("html", "tex", "qti", "pdf", "selftest")  # formats that are never written to stdout
EXPORTS = {"json": "quiz.json", "moodle": "quiz.moodle.xml", "gift": "quiz.gift.txt", "qti": "quiz.qti.zip"}
LETTERS = "abcdefgh"


def document_names(fmt: str, labels: list[str]) -> list[str]:
    """The files a format writes: ``sheets.<fmt>`` and ``keys.<fmt>`` (every version in each; pdf: printed from
    the html), the one file of an export (``quiz.json``, ``quiz.moodle.xml``, ``quiz.gift.txt``,
    ``quiz.qti.zip``), or a self-test page per version (``selftest-A.html``, ...)."""
    if fmt == "selftest":
        return [f"selftest-{label}.html" for label in labels]
    return [EXPORTS[fmt]] if fmt in EXPORTS else [f"sheets.{fmt}", f"keys.{fmt}"]


def selftest_page(title: str, version) -> str:
    """One version as a standalone page that checks its own answers (see templates/selftest.html.j2)."""
    from convzoo.templates import render

    shapes = [blanked(q) for q in version.questions]
    keys = [page_key(q, shape) for q, shape in zip(version.questions, shapes)]
    return render("selftest.html.j2", title=title, v=version, keys=keys,
                  widths=[_box_widths(s.parts) for s in shapes], parts=[s.parts for s in shapes],
                  cells=[s.cells for s in shapes], table_view=table_view, grid_views=grid_views,
                  not_fit=sorted(NOT_FIT), fits=sorted(FITS), no=sorted(NO))


def _box_widths(parts) -> dict[str, int]:
    """Characters per answer box, by blank type: the longest answer of that type in the question (so no box's
    width gives its own answer away), and room for "doesn't fit" where that is an answer."""
    widths: dict[str, int] = {}
    for blank in parts:
        longest = max(len(blank.answer_text), len("doesn't fit") if blank.type.may_not_fit else 1)
        widths[blank.type.name] = max(widths.get(blank.type.name, 3), longest + 2)
    return widths


def page_key(question, shape=None) -> dict:
    """What the self-test page grades a question with: its blanks (``shape``, if already laid out) with their
    named mistakes, and the options of --mc."""
    choices = [c.to_dict() for c in question.choices] if question.choices else None
    return {"blanks": [b.to_dict() for b in (shape or blanked(question)).parts], "choices": choices}


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
