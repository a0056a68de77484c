"""PDF: the html sheets, keys and marking key printed by Chromium (or WeasyPrint; questions/pdf.py), with a
version's sheet starting on a new sheet of paper, and with --per-student a PDF per student."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..quiz import Quiz
from ..sheets import Sheets, marking_key, page, quiz_heads, version_sections
from . import PLAIN, Layout, Student, register


def student_file(label: str, student_id: str | None) -> str:
    """A --per-student PDF's name: the version's letter and the student's id, in characters every file system
    takes (the letter keeps two ids that clean up alike apart)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student_id).strip("._")[:40] if student_id else ""
    return f"students/{label}-{safe}.pdf" if safe else f"students/{label}.pdf"


@register
class Pdf(Sheets):
    name = "pdf"
    place = 7
    needs_out = True
    marked = True

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        names = super().file_names(labels, layout, students)
        if layout.per_student:
            ids = [student[0] for student in students] if students else [None] * len(labels)
            names += [student_file(label, student_id) for label, student_id in zip(labels, ids)]
        return names

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        """Each version's sheet printed as a document of its own (so its footer counts its own pages), then put
        together in sheets.pdf with a blank page after each odd page count (duplex printing starts every version
        on a new sheet of paper); the keys in one document; with --per-student, each sheet on its own too."""
        from ..pdf import join_pdfs, print_pdfs

        sections = version_sections(quiz, "html", layout, marking=True)
        heads = quiz_heads(quiz)
        labels = [label for label, _ in heads]
        documents = [page(quiz.title, "html", False, [head], [sections[False][head[0]]], layout) for head in heads]
        documents.append(page(quiz.title, "html", True, heads, [sections[True][label] for label in labels], layout))
        documents.append(marking_key(quiz.title, labels, sections, layout))
        printed = print_pdfs(documents)
        sheets, keys, marking = super().file_names(labels)
        out: dict[str, str | bytes] = {
            sheets: join_pdfs(printed[:-2], quiz.title, duplex=True),
            keys: join_pdfs(printed[-2:-1], f"{quiz.title} - answer key"),
            marking: join_pdfs(printed[-1:], f"{quiz.title} - marking key"),
        }
        if layout.per_student:  # each padded to an even page count too, as in sheets.pdf, for a duplex printer
            for (label, student), pdf in zip(heads, printed):
                out[student_file(label, student["id"] if student else None)] = join_pdfs([pdf], quiz.title, duplex=True)
        return out

    def check_engine(self) -> None:
        from ..pdf import check_engine

        check_engine()
