"""Moodle XML: a question bank to import into Moodle, a category per slot (questions/lms.py)."""

from __future__ import annotations

from ..quiz import Quiz
from . import OneFile, register


@register
class Moodle(OneFile):
    name = "moodle"
    place = 4
    file = "quiz.moodle.xml"

    def content(self, quiz: Quiz) -> str:
        from ..lms import moodle_xml

        return moodle_xml(quiz)
