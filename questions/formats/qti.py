"""Canvas QTI: a zip of QTI 1.2 question banks, a bank per slot, to import into Canvas (questions/lms.py)."""

from __future__ import annotations

from ..quiz import Quiz
from . import OneFile, register


@register
class Qti(OneFile):
    name = "qti"
    place = 6
    needs_out = True
    file = "quiz.qti.zip"

    def content(self, quiz: Quiz) -> bytes:
        from ..lms import qti_zip

        return qti_zip(quiz)
