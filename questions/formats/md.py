"""Markdown: the sheets and keys as text, on stdout or into --out (templates/quiz.md.j2)."""

from __future__ import annotations

from ..sheets import Sheets
from . import register


@register
class Markdown(Sheets):
    name = "md"
    place = 0
