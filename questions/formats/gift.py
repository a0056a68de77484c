"""GIFT: Moodle's plain-text question format (questions/lms.py)."""

from __future__ import annotations

from ..quiz import Quiz
from . import OneFile, register


@register
class Gift(OneFile):
    name = "gift"
    place = 5
    file = "quiz.gift.txt"

    def content(self, quiz: Quiz) -> str:
        from ..lms import gift

        return gift(quiz)
