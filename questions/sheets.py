"""The printable sheets and answer keys that md, html and tex write (and pdf prints from html): each version a
section of its own (``quiz_version.FMT.j2``), rendered over the cores for a large quiz, then put together in a
page (``quiz.FMT.j2``) with a running header per version; html and pdf also a marking key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .choices import LETTERS
from .core import blanked
from .formats import PLAIN, Format, Layout, Student
from .parallel import in_batches
from .quiz import Quiz, Version
from .views import answer_boxes, grid_views, table_view

Head = tuple[str, Any]  # a version's label and its student ({"id", "name"}) or None
Sections = dict[Any, dict[str, Any]]  # {False: sheet, True: key, "marking": marking key} -> {label: section}


class Sheets(Format):
    """A format of question sheets and answer keys, ``sheets.FMT`` and ``keys.FMT`` (every version in each),
    rendered through ``quiz.FMT.j2`` and ``quiz_version.FMT.j2``; ``marked``: also ``marking-key.FMT``, a compact
    page per version for marking by hand."""

    marked: ClassVar[bool] = False

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        names = [f"sheets.{self.name}", f"keys.{self.name}"]
        return names + [f"marking-key.{self.name}"] if self.marked else names

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        return dict(self.pages(quiz, layout))

    def pages(self, quiz: Quiz, layout: Layout) -> dict[str, str]:
        """The sheets, the keys (and the marking key) in this format's templates."""
        names = self.file_names([v.version for v in quiz.versions], layout)
        sections = version_sections(quiz, self.name, layout, self.marked)
        heads = quiz_heads(quiz)
        labels = [label for label, _ in heads]
        pages = {
            name: page(quiz.title, self.name, key, heads, [sections[key][x] for x in labels], layout)
            for name, key in zip(names, (False, True))
        }
        if self.marked:
            pages[names[2]] = marking_key(quiz.title, labels, sections, layout)
        return pages


def quiz_heads(quiz: Quiz) -> list[Head]:
    """Each version's label and student, for the running headers."""
    return [(v.version, v.student) for v in quiz.versions]


def instructions(version: Version) -> list[str]:
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


def marking_rows(version: Version) -> list[dict]:
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


def version_sections(quiz: Quiz, fmt: str, layout: Layout, marking: bool) -> Sections:
    """Every version's sheet and key sections in ``fmt``'s templates (and, with ``marking``, its marking key's),
    rendered in batches of versions, over the cores for a large quiz."""
    by_label = {v.version: v for v in quiz.versions}
    done = in_batches(
        list(by_label),
        lambda labels: _render_versions(quiz.title, [by_label[label] for label in labels], fmt, layout, marking),
    )
    sections: Sections = {}
    for batch, rendered in done:
        for key, texts in rendered.items():
            sections.setdefault(key, {}).update(zip(batch, texts))
    return sections


def _render_versions(title: str, versions: list[Version], fmt: str, layout: Layout, marking: bool) -> dict:
    """Each version's sheet (False) and key (True) sections, and with ``marking`` its marking key's."""
    from markupsafe import Markup

    from ..templates import render

    # a section is a finished piece of the page: Markup, so the page template does not escape it again
    out: dict[Any, list[Markup]] = {
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
    if marking:
        out["marking"] = [
            Markup(render("marking_key_version.html.j2", title=title, v=v, rows=marking_rows(v))) for v in versions
        ]
    return out


def _header(title: str, label: str, student: dict | None, key: bool) -> dict:
    """A version's running header: the quiz and version on the left, the student (or a line for the name) on
    the right."""
    right = f"{student['name']} ({student['id']})" if student else "" if key else "Name: ______________________"
    return {"label": label, "left": f"{title}, version {label}{' - answer key' if key else ''}", "right": right}


def page(title: str, fmt: str, key: bool, heads: list[Head], sections: list, layout: Layout) -> str:
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


def marking_key(title: str, labels: list[str], sections: Sections, layout: Layout) -> str:
    """The marking key's page: each version's compact key."""
    from ..templates import render

    return render(
        "marking_key.html.j2",
        title=title,
        paper=layout.paper,
        sections=[sections["marking"][label] for label in labels],
    )
