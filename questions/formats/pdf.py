"""PDF: the html sheets, keys and marking key printed by Chromium (or WeasyPrint; questions/pdf.py), with a
version's sheet starting on a new sheet of paper, with --per-student a PDF per student, and with --scannable an
answer sheet after each version's questions, every page stamped with corner marks and its code, and layout.json
(questions/scansheet.py)."""

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
        if layout.scannable:
            from ..scansheet import LAYOUT

            names.append(LAYOUT)
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
        scan = _Scannable(quiz, layout) if layout.scannable else None
        documents = [
            page(
                quiz.title, "html", False, [head], [sections[False][head[0]], *(scan.sheet(v) if scan else ())], layout
            )
            for head, v in zip(heads, quiz.versions)
        ]
        documents.append(page(quiz.title, "html", True, heads, [sections[True][label] for label in labels], layout))
        documents.append(marking_key(quiz.title, labels, sections, layout))
        printed = print_pdfs(documents)
        sheets, keys, marking = super().file_names(labels)
        versions = scan.stamped(printed[:-2]) if scan else printed[:-2]
        out: dict[str, str | bytes] = {
            sheets: join_pdfs(versions, quiz.title, duplex=True),
            keys: join_pdfs(printed[-2:-1], f"{quiz.title} - answer key"),
            marking: join_pdfs(printed[-1:], f"{quiz.title} - marking key"),
        }
        if scan:
            out.update(scan.files())
        if layout.per_student:  # each padded to an even page count too, as in sheets.pdf, for a duplex printer
            for (label, student), pdf in zip(heads, versions):
                out[student_file(label, student["id"] if student else None)] = join_pdfs([pdf], quiz.title, duplex=True)
        return out

    def check_engine(self) -> None:
        from ..pdf import check_engine

        check_engine()


class _Scannable:
    """--scannable: each version's answer sheet, its printed pages stamped, and layout.json (with quiz.json,
    whose digest every page's code carries)."""

    def __init__(self, quiz: Quiz, layout: Layout):
        from ..record import quiz_record
        from ..scansheet import answer_pages, template_columns

        self.quiz, self.paper = quiz, layout.paper
        self.record, self.digest = quiz_record(quiz)
        columns = template_columns(quiz)
        self.pages = {v.version: answer_pages(v, columns, layout.paper) for v in quiz.versions}
        self.sheets: list = []

    def sheet(self, version) -> list:
        """The version's answer sheet, a section after its questions."""
        from markupsafe import Markup

        from ...templates import render
        from ..scansheet import content_size

        width, height = content_size(self.paper)
        pages = self.pages[version.version]
        html = render("answer_sheet.html.j2", title=self.quiz.title, v=version, pages=pages, width=width, height=height)
        return [Markup(html)]

    def stamped(self, printed: list[bytes]) -> list[bytes]:
        """Each version's printed sheet, padded to an even page count and every page stamped."""
        from ..scansheet import SheetLayout, stamp_sheet

        out, first = [], 1
        for version, pdf in zip(self.quiz.versions, printed):
            stamped, count = stamp_sheet(pdf, self.paper, self.digest, version.version, duplex=True)
            self.sheets.append(SheetLayout(version.version, first, count, self.pages[version.version]))
            out.append(stamped)
            first += self.sheets[-1].pages
        return out

    def files(self) -> dict[str, str]:
        from ..scansheet import LAYOUT, layout_json

        return {"quiz.json": self.record, LAYOUT: layout_json(self.digest, self.paper, self.sheets)}
