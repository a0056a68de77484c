"""LaTeX: the sheets and keys as LuaLaTeX sources (templates/quiz.tex.j2), and the PDFs LuaLaTeX makes of them."""

from __future__ import annotations

from collections.abc import Sequence

from ..quiz import Quiz
from ..sheets import Sheets
from . import PLAIN, Layout, Student, register


@register
class Tex(Sheets):
    name = "tex"
    place = 2
    needs_out = True

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        sources = super().file_names(labels, layout, students)
        return sources + [name.removesuffix(".tex") + ".pdf" for name in sources]

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        from ..latex import typeset_all

        pages = self.pages(quiz, layout)
        return {**pages, **typeset_all(pages)}

    def check_engine(self) -> None:
        from ..latex import check_engine

        check_engine()
