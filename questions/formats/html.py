"""HTML: the sheets, keys and marking key as pages to print from a browser (templates/quiz.html.j2)."""

from __future__ import annotations

from ..sheets import Sheets
from . import register


@register
class Html(Sheets):
    name = "html"
    place = 1
    needs_out = True
    marked = True
