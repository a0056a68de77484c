"""quiz.json: the quiz as its record, for grade and for scripts (questions/record.py)."""

from __future__ import annotations

from ..quiz import Quiz
from ..record import quiz_json
from . import OneFile, register


@register
class Json(OneFile):
    name = "json"
    place = 3
    file = "quiz.json"

    def content(self, quiz: Quiz) -> str:
        return quiz_json(quiz)
