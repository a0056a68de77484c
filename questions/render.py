"""Render a quiz through the Jinja templates: question sheets and answer keys in md, html and tex, or JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .core import blanked
from .quiz import Quiz, Settings, assemble, in_batches
from .reading import FITS, NO, NOT_FIT
from .record import quiz_json
from .views import answer_boxes, grid_views, table_view

FORMATS = ("md", "html", "tex", "json", "moodle", "gift", "qti", "pdf", "selftest")
FILE_FORMATS = ("html", "tex", "qti", "pdf", "selftest")  # formats that are never written to stdout
EXPORTS = {"json": "quiz.json", "moodle": "quiz.moodle.xml", "gift": "quiz.gift.txt", "qti": "quiz.qti.zip"}
LETTERS = "abcdefgh"
PAPERS = ("a4", "letter")
MARKED = ("html", "pdf")  # the formats that also write a marking key, a compact page per version


@dataclass(frozen=True)
class Layout:
    """How the printable sheets look (none of it changes a question): the paper, the front page's course,
    date and duration (left blank to fill in by hand when not given), and --per-student's file per student."""

    paper: str = "a4"
    course: str = ""
    date: str = ""
    duration: str = ""
    per_student: bool = False


def student_file(label: str, student: dict | None) -> str:
    """A --per-student PDF's name: the version's letter and the student's id, in characters every file system
    takes (the letter keeps two ids that clean up alike apart)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student["id"]).strip("._")[:40] if student else ""
    return f"students/{label}-{safe}.pdf" if safe else f"students/{label}.pdf"


def document_names(fmt: str, labels: list[str], layout: Layout = Layout(), students=None) -> list[str]:
    """The files a format writes: ``sheets.<fmt>`` and ``keys.<fmt>`` (every version in each; pdf: printed from
    the html; tex: with the PDFs LuaLaTeX makes of them), the one file of an export (``quiz.json``,
    ``quiz.moodle.xml``, ``quiz.gift.txt``, ``quiz.qti.zip``), or a self-test page per version
    (``selftest-A.html``, ...); html and pdf also ``marking-key.<fmt>``, a compact page per version; with
    --per-student, also a PDF per student (``students/A-<id>.pdf``)."""
    if fmt == "selftest":
        return [f"selftest-{label}.html" for label in labels]
    if fmt in EXPORTS:
        return [EXPORTS[fmt]]
    names = (
        [f"sheets.{fmt}", f"keys.{fmt}"]
        + (["sheets.pdf", "keys.pdf"] if fmt == "tex" else [])
        + ([f"marking-key.{fmt}"] if fmt in MARKED else [])
    )
    if layout.per_student:
        names += [
            student_file(label, {"id": s[0]} if s else None)
            for label, s in zip(labels, students or [None] * len(labels))
        ]
    return names


def instructions(version) -> list[str]:
    """The front page's instructions: how to answer, and what the sheet is worth."""
    total = sum(q.points for q in version.questions)
    lines = [
        f"{len(version.questions)} questions, {total} points. Write each answer in its box, or in the blank "
        "cells of its table or grid.",
        "Sizes as H x W x D (28x28x6), or 'does not fit' where the filter does not fit; counts as whole "
        "numbers (1,179,776).",
        "Work on the question's page; only what is in the boxes is marked.",
    ]
    if any(q.choices for q in version.questions):
        lines.append("Multiple choice: circle the letter of the one right option.")
    return lines


def selftest_page(title: str, version) -> str:
    """One version as a standalone page that checks its own answers (see templates/selftest.html.j2)."""
    from ..templates import render

    shapes = [blanked(q) for q in version.questions]
    keys = [page_key(q, shape) for q, shape in zip(version.questions, shapes)]
    return render(
        "selftest.html.j2",
        title=title,
        v=version,
        keys=keys,
        widths=[_box_widths(s.parts) for s in shapes],
        parts=[s.parts for s in shapes],
        cells=[s.cells for s in shapes],
        table_view=table_view,
        grid_views=grid_views,
        not_fit=sorted(NOT_FIT),
        fits=sorted(FITS),
        no=sorted(NO),
    )


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
    from . import lms

    if fmt == "json":
        return quiz_json(quiz)
    return {"moodle": lms.moodle_xml, "gift": lms.gift, "qti": lms.qti_zip}[fmt](quiz)


def render_documents(quiz: Quiz, fmt: str, layout: Layout = Layout()) -> dict[str, str | bytes]:
    """File name -> content, for ``document_names(fmt)``."""
    if fmt in EXPORTS:
        return {EXPORTS[fmt]: _export(quiz, fmt)}
    if fmt == "selftest":
        return {f"selftest-{v.version}.html": selftest_page(quiz.title, v) for v in quiz.versions}
    by_label = {v.version: v for v in quiz.versions}
    source = "html" if fmt == "pdf" else fmt
    done = in_batches(
        [v.version for v in quiz.versions],
        lambda labels: _render_versions(quiz.title, [by_label[label] for label in labels], source, layout),
    )
    heads = [(v.version, v.student) for v in quiz.versions]
    if fmt == "pdf":
        return _printed(quiz.title, heads, done, layout)
    return _typeset(fmt, _pages(quiz.title, fmt, heads, done, layout))


def quiz_documents(
    settings: Settings, fmt: str, keep: bool, layout: Layout = Layout()
) -> tuple[Quiz | None, dict[str, str | bytes]]:
    """Build and render in one pass, each batch of versions in one worker: only the rendered text comes back,
    and the Quiz itself (for JSON or --verify) only when ``keep``."""
    if fmt in EXPORTS or fmt in ("pdf", "selftest"):
        quiz = assemble(settings, in_batches(settings.labels, settings.build_versions))
        return quiz, render_documents(quiz, fmt, layout)

    def work(labels):
        versions = settings.build_versions(labels)
        return (versions if keep else None), _render_versions(settings.title, versions, fmt, layout)

    done = in_batches(settings.labels, work)
    quiz = assemble(settings, [(labels, versions) for labels, (versions, _) in done]) if keep else None
    students = settings.students or [None] * len(settings.labels)
    heads = [(label, {"id": s[0], "name": s[1]} if s else None) for label, s in zip(settings.labels, students)]
    pages = _pages(settings.title, fmt, heads, [(labels, sections) for labels, (_, sections) in done], layout)
    return quiz, _typeset(fmt, pages)


def marking_rows(version) -> list[dict]:
    """A version's marking key: per question, its number, its answer in lines (a table's blanks row by row, a
    map's rows, each stride; the letter and the option of --mc), its points and how many blanks share them."""
    from .grade import points_text, short_label

    rows = []
    for number, q in enumerate(version.questions, start=1):
        parts = blanked(q).parts
        if q.choices:
            right = next(i for i, c in enumerate(q.choices) if c.correct)
            lines, blanks = [f"{LETTERS[right]}) {q.choices[right].text}"], 1
        elif q.table is not None and len(parts) > 1:  # a row's blanks together: 'row 3: 24x24x32 | 0'
            by_row: dict[str, list[tuple[str, str]]] = {}
            for blank in parts:
                label = short_label(blank.label)
                by_row.setdefault(label.rpartition(" ")[0], []).append((label, blank.answer_text))
            lines = [
                f"{row}: {' | '.join(t for _, t in found)}" if len(found) > 1 else f"{found[0][0]}: {found[0][1]}"
                for row, found in by_row.items()
            ]
            blanks = len(parts)
        else:  # a map row by row, each stride of a fit list, or the one answer
            lines, blanks = q.answer_text.split("; "), len(parts)
        rows.append(
            {
                "number": number,
                "lines": lines,
                "points": q.points,
                "blanks": blanks,
                "each": points_text(q.points / blanks),
            }
        )
    return rows


def _render_versions(title: str, versions: list, fmt: str, layout: Layout) -> dict:
    """Each version's sheet (False) and key (True) sections, and for html its marking key's ("marking")."""
    from markupsafe import Markup

    from ..templates import render

    # a section is a finished piece of the page: Markup, so the page template does not escape it again
    out = {
        key: [
            Markup(
                render(
                    f"quiz_version.{fmt}.j2",
                    title=title,
                    v=v,
                    key=key,
                    table_view=table_view,
                    grid_views=grid_views,
                    answer_boxes=answer_boxes,
                    instructions=instructions,
                    layout=layout,
                    letters=LETTERS,
                )
            )
            for v in versions
        ]
        for key in (False, True)
    }
    if fmt == "html":
        out["marking"] = [
            Markup(render("marking_key_version.html.j2", title=title, v=v, rows=marking_rows(v))) for v in versions
        ]
    return out


def _header(title: str, label: str, student: dict | None, key: bool) -> dict:
    """A version's running header: the quiz and version on the left, the student (or a line for the name) on
    the right."""
    right = f"{student['name']} ({student['id']})" if student else "" if key else "Name: ______________________"
    return {"label": label, "left": f"{title}, version {label}{' - answer key' if key else ''}", "right": right}


def _page(title: str, fmt: str, key: bool, heads: list, sections: list, layout: Layout) -> str:
    """One document of sections; ``heads`` are their versions' (label, student), for the running headers."""
    from ..templates import render

    return render(
        f"quiz.{fmt}.j2",
        title=title,
        key=key,
        sections=sections,
        paper=layout.paper,
        pages=[_header(title, label, student, key) for label, student in heads],
    )


def _sections(done: list[tuple[list[str], dict]]) -> dict:
    """{key: {version label: section}} from the batches (key: False sheet, True key, "marking" marking key)."""
    sections: dict = {}
    for batch, rendered in done:
        for key, texts in rendered.items():
            sections.setdefault(key, {}).update(zip(batch, texts))
    return sections


def _marking_key(title: str, labels: list[str], sections: dict, layout: Layout) -> str:
    from ..templates import render

    return render(
        "marking_key.html.j2",
        title=title,
        paper=layout.paper,
        sections=[sections["marking"][label] for label in labels],
    )


def _pages(title: str, fmt: str, heads: list, done: list[tuple[list[str], dict]], layout: Layout) -> dict[str, str]:
    sections = _sections(done)
    labels = [label for label, _ in heads]
    sheets, keys = document_names(fmt, labels)[:2]
    pages = {
        name: _page(title, fmt, key, heads, [sections[key][x] for x in labels], layout)
        for name, key in ((sheets, False), (keys, True))
    }
    if fmt in MARKED:
        pages[f"marking-key.{fmt}"] = _marking_key(title, labels, sections, layout)
    return pages


def _typeset(fmt: str, pages: dict[str, str]) -> dict[str, str | bytes]:
    """The pages, and for tex the PDFs LuaLaTeX makes of them."""
    if fmt != "tex":
        return pages
    from .latex import typeset_all

    return {**pages, **typeset_all(pages)}


def _printed(title: str, heads: list, done: list[tuple[list[str], dict]], layout: Layout) -> dict[str, bytes]:
    """The PDFs of --format pdf: each version's sheet printed as a document of its own (so its footer counts its
    own pages), then put together in sheets.pdf with a blank page after each odd page count (duplex printing
    starts every version on a new sheet of paper); the keys in one document; with --per-student, each sheet on
    its own too."""
    from .pdf import join_pdfs, print_pdfs

    sections = _sections(done)
    documents = [_page(title, "html", False, [head], [sections[False][head[0]]], layout) for head in heads]
    documents.append(_page(title, "html", True, heads, [sections[True][label] for label, _ in heads], layout))
    documents.append(_marking_key(title, [label for label, _ in heads], sections, layout))
    printed = print_pdfs(documents)
    out = {
        "sheets.pdf": join_pdfs(printed[:-2], title, duplex=True),
        "keys.pdf": join_pdfs(printed[-2:-1], f"{title} - answer key"),
        "marking-key.pdf": join_pdfs(printed[-1:], f"{title} - marking key"),
    }
    if layout.per_student:  # each padded to an even page count too, as in sheets.pdf, for a duplex printer
        for (label, student), pdf in zip(heads, printed):
            out[student_file(label, student)] = join_pdfs([pdf], title, duplex=True)
    return out
