"""The self-test page: a version per standalone HTML page that checks its own answers as practice does
(templates/selftest.html.j2, with the reading rules of templates/answers.js.j2)."""

from __future__ import annotations

from collections.abc import Sequence

from ..core import blanked
from ..quiz import Question, Quiz, Version
from ..reading import FITS, NO, NOT_FIT
from ..views import grid_views, table_view
from . import PLAIN, Format, Layout, Student, register


@register
class SelfTest(Format):
    name = "selftest"
    place = 8
    needs_out = True

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        return [f"selftest-{label}.html" for label in labels]

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        names = self.file_names([v.version for v in quiz.versions])
        return {name: selftest_page(quiz.title, v) for name, v in zip(names, quiz.versions)}


def selftest_page(title: str, version: Version) -> str:
    """One version as a standalone page that checks its own answers."""
    import hashlib
    import json

    from ...templates import render
    from ..practice import hint_steps

    shapes = [blanked(q) for q in version.questions]
    keys = [page_key(q, shape) for q, shape in zip(version.questions, shapes)]
    # what the browser keeps the attempts under: this page's questions, not its file's name or place
    page_id = hashlib.sha256(json.dumps([title, version.version, keys], sort_keys=True).encode()).hexdigest()[:16]
    return render(
        "selftest.html.j2",
        title=title,
        v=version,
        keys=keys,
        page_id=page_id,
        hints=[hint_steps(q) for q in version.questions],
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


def page_key(question: Question, shape=None) -> dict:
    """What the self-test page grades a question with: its blanks (``shape``, if already laid out) with their
    named mistakes, and the options of --mc."""
    choices = [c.to_dict() for c in question.choices] if question.choices else None
    return {"blanks": [b.to_dict() for b in (shape or blanked(question)).parts], "choices": choices}
