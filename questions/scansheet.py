"""Scannable sheets (``quiz --format pdf --scannable``): each version's answer sheet, a page or more at the end of
its sheet with every blank in boxes a machine can read, and the marks and code on every page that let ``scan``
find a page, whichever way up and in whatever order it comes back.

Everything is placed here, in millimetres from the page's top-left corner, and from here alone: the answer
sheet's HTML (templates/answer_sheet.html.j2), the stamp on every page (corner marks and a QR code, drawn into
the printed PDF) and ``layout.json``, which tells ``scan`` and other tools where each box is.

The boxes of a blank do not depend on its key (a comb as wide for 7 as for 1,179,776), so an answer sheet tells a
student nothing: a field's boxes follow from its type, from what the question shows (a table's dense row has
one number, a convolution's three) and from what its kind declares (average pooling's decimals)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from .answers import COUNT, FIT, PERCENT, SIZE, VALUE, VOLUME, Blank, BlankType
from .choices import LETTERS
from .core import blanked, kinds
from .grade.columns import blank_labels, question_columns
from .quiz import Quiz, Version

LAYOUT = "layout.json"
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARGIN_MM = (20.0, 16.0, 18.0)  # top, sides, bottom: templates/quiz.html.j2's @page margins
DIGIT_MM = (6.0, 8.0)  # a digit box, wide and high enough for a digit written at a desk
MARK_MM = 4.5  # a tick box
OPTION_GAP_MM, OPTION_CHAR_MM = 1.0, 1.6  # a tick box's option, printed after it at 7 pt
CAPTION_MM = 3.6  # a field's caption above its boxes
LINE_MM = CAPTION_MM + DIGIT_MM[1] + 3.4  # a line of fields
FIELD_GAP_MM = 6.0  # between the fields of a line
INDENT_MM = 9.0  # a question's fields start after its number
ID_DIGITS = 10  # the student ID comb, without a roster
# the combs: as many boxes as the widest answer of the type needs (a hard network's count, VGG's 138,357,544)
COMB = {COUNT.name: 10, SIZE.name: 3, PERCENT.name: 3}
VALUE_DIGITS, WHOLE_DIGITS, FRACTION_DIGITS = 4, 2, 2  # a map's values: at most 1,144; averages as 2.25
VOLUME_DIGITS = (3, 3, 4)  # H x W x D: 227 x 227 x 4096
VECTOR_DIGITS = 7  # a dense or flattened layer's one number: 25,088
MARK_STAMP_MM = 5.0  # the corner marks, solid squares this wide, MARK_INSET_MM from the page's edges
MARK_INSET_MM = 5.0
QR_MM = 12.5  # the QR code, in the bottom margin at the text's left edge
CODE_PREFIX = "CZ"
DIGEST_CHARS = 10  # of the quiz's digest in the code: 40 bits tell a class's quizzes apart


@dataclass(frozen=True)
class Box:
    """One box, its top-left corner and size in mm from the page's top-left; ``value``: what a tick means (marks);
    ``comb``: which comb of its field a digit box is in (a volume's H, W, D; a decimal's whole part and fraction)."""

    x: float
    y: float
    w: float
    h: float
    holds: str  # "digit" or "mark"
    value: str | None = None
    comb: int = 0
    text: str = ""  # printed beside a mark: its option

    @property
    def right(self) -> float:
        """Where the box ends, with the option printed after it."""
        return self.x + self.w + (OPTION_GAP_MM + OPTION_CHAR_MM * len(self.text) if self.text else 0)


@dataclass(frozen=True)
class Glyph:
    """Printed text that is not a box (a volume's x, a decimal point, a percent sign), in mm."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Field:
    """A blank (or the student's ID) as boxes: the answers template's column it fills and how it reads."""

    column: str
    form: str  # count, signed, decimal, volume, choice, fit, id
    caption: str
    x: float
    y: float
    boxes: tuple[Box, ...]
    glyphs: tuple[Glyph, ...] = ()

    @property
    def width(self) -> float:
        return max([b.right for b in self.boxes] + [g.x + 3 for g in self.glyphs]) - self.x

    def moved(self, dx: float, dy: float) -> Field:
        return replace(
            self,
            x=self.x + dx,
            y=self.y + dy,
            boxes=tuple(replace(b, x=b.x + dx, y=b.y + dy) for b in self.boxes),
            glyphs=tuple(replace(g, x=g.x + dx, y=g.y + dy) for g in self.glyphs),
        )


@dataclass(frozen=True)
class AnswerPage:
    """One page of a version's answer sheet: its fields, and the question numbers that start on it."""

    fields: tuple[Field, ...]
    numbers: tuple[tuple[int, float, float], ...] = ()  # (question number, x, y) printed before its fields
    continued: bool = False  # a page after the sheet's first


# -- a field's boxes, from its blank --------------------------------------------------------------------------------


class _Row:
    """Boxes laid left to right from x = 0, the field's captions above them."""

    def __init__(self):
        self.x, self.boxes, self.glyphs = 0.0, [], []

    def digits(self, count: int, comb: int = 0) -> None:
        w, h = DIGIT_MM
        self.boxes += [Box(self.x + i * w, CAPTION_MM, w, h, "digit", comb=comb) for i in range(count)]
        self.x += count * w

    def glyph(self, text: str, width: float = 3.2) -> None:
        self.glyphs.append(Glyph(self.x + 0.6, CAPTION_MM + DIGIT_MM[1] - 2.0, text))
        self.x += width

    def mark(self, value: str, text: str, gap: float = 2.0) -> None:
        """A tick box, its option printed after it."""
        top = CAPTION_MM + (DIGIT_MM[1] - MARK_MM) / 2
        box = Box(self.x + gap, top, MARK_MM, MARK_MM, "mark", value, text=text)
        self.boxes.append(box)
        self.x = box.right + 1.5

    def field(self, column: str, form: str, caption: str) -> Field:
        return Field(column, form, caption, 0.0, 0.0, tuple(self.boxes), tuple(self.glyphs))


def _volume_dims(blank: Blank) -> int:
    """A volume's numbers: one for a dense or flattened layer of a table (its row says which), else three."""
    return len(blank.key) if isinstance(blank.key, tuple) else 3


def blank_field(blank: Blank, decimals: bool, column: str, caption: str) -> Field:
    """A blank's boxes, from its type (and, for a value, whether its kind has decimals)."""
    row = _Row()
    blank_type: BlankType = blank.type
    if blank_type is VOLUME:
        dims = _volume_dims(blank)
        if dims == 1:
            row.digits(VECTOR_DIGITS)
        else:
            for k, count in enumerate(VOLUME_DIGITS):
                if k:
                    row.glyph("x")
                row.digits(count, comb=k)
        if blank_type.may_not_fit:
            row.mark("does not fit", "does not fit", gap=4.0)
        return row.field(column, "volume", caption)
    if blank_type is FIT:
        row.mark("fits", "fits", gap=0)
        row.mark("does not fit", "does not fit")
        return row.field(column, "fit", caption)
    if blank_type is VALUE:
        row.mark("-", "minus", gap=0)
        if decimals:
            row.digits(WHOLE_DIGITS)
            row.glyph(".", 2.4)
            row.digits(FRACTION_DIGITS, comb=1)
            return row.field(column, "decimal", caption)
        row.digits(VALUE_DIGITS)
        return row.field(column, "signed", caption)
    row.digits(COMB[blank_type.name])
    if blank_type is PERCENT:
        row.glyph("%")
    if blank_type.may_not_fit:
        row.mark("does not fit", "does not fit", gap=4.0)
    return row.field(column, "count", caption)


def choice_field(count: int, column: str) -> Field:
    row = _Row()
    for letter in LETTERS[:count]:
        row.mark(letter, letter, gap=0 if not row.boxes else 2.0)
    return row.field(column, "choice", "tick one")


def id_field() -> Field:
    row = _Row()
    row.digits(ID_DIGITS)
    return row.field("id", "id", "student ID")


def question_fields(question, number: int, columns: dict[tuple[int, int], str]) -> list[Field]:
    """A question's fields, one per column of the answers template it fills (``columns``: (question number,
    blank index) -> column, as ``template_columns`` gives them; ``number`` counted from 1)."""
    parts = blanked(question).parts
    if question.choices:
        return [choice_field(len(question.choices), columns[number - 1, 0])]
    decimals = kinds()[question.kind].form.decimals
    captions = blank_labels(question, parts)
    return [
        blank_field(blank, decimals, columns[number - 1, k], caption)
        for k, (blank, caption) in enumerate(zip(parts, captions))
    ]


# -- the pages ------------------------------------------------------------------------------------------------------


def content_size(paper: str) -> tuple[float, float]:
    """The text block's width and height (the page less its margins), where the answer sheet is laid out."""
    width, height = PAPER_MM[paper]
    top, sides, bottom = MARGIN_MM
    return width - 2 * sides, height - top - bottom - 2.0  # 2 mm to spare: a page never spills onto the next


HEAD_MM = 22.0  # an answer page's heading and instructions
ID_MM = LINE_MM + 2.0


def answer_pages(version: Version, columns: dict[tuple[int, int], str], paper: str) -> list[AnswerPage]:
    """A version's answer sheet, page by page: its heading, the ID comb (without a roster, on every page, since
    pages come back shuffled), then each question's fields in the sheet's order, line by line; a question starts
    on a new line, and on a new page where the rest of this one cannot hold it."""
    width, height = content_size(paper)
    top = HEAD_MM + (0 if version.student else ID_MM)
    pages: list[AnswerPage] = []
    fields: list[Field] = []
    numbers: list[tuple[int, float, float]] = []
    y = top

    def new_page():
        nonlocal fields, numbers, y
        head = [] if version.student else [id_field().moved(0, HEAD_MM)]
        pages.append(AnswerPage(tuple(head + fields), tuple(numbers), continued=bool(pages)))
        fields, numbers, y = [], [], top

    for n, question in enumerate(version.questions, start=1):
        laid, line_y, x = [], 0.0, INDENT_MM
        for f in question_fields(question, n, columns):
            if x > INDENT_MM and x + f.width > width:
                line_y, x = line_y + LINE_MM, INDENT_MM
            laid.append(f.moved(x, line_y))
            x += f.width + FIELD_GAP_MM
        tall = line_y + LINE_MM
        if y + tall > height and (fields or numbers):
            new_page()
        numbers.append((n, 0.0, y + CAPTION_MM + DIGIT_MM[1] - 2.0))
        fields += [f.moved(0, y) for f in laid]
        y += tall
    new_page()
    return pages


def template_columns(quiz: Quiz) -> dict[tuple[int, int], str]:
    """(question number, blank index) -> the answers template's column, as ``grade`` reads it."""
    from .grade import graded_from_drawn

    return {(n, k): header for n, k, header in question_columns(graded_from_drawn(quiz))}


# -- the stamp: corner marks and the page's code --------------------------------------------------------------------


def page_code(digest: str, label: str, page: int) -> str:
    """What a page's QR code says: convzoo, the quiz (its digest's first characters), the sheet and the page of
    it (1-based), in QR's alphanumeric characters so that the code stays small: 'CZ:1A2B3C4D5E:B:3'."""
    return f"{CODE_PREFIX}:{digest[:DIGEST_CHARS].upper()}:{label}:{page}"


def read_code(text: str) -> tuple[str, str, int] | None:
    """(digest's start, sheet, page) from a page's code; None for any other code."""
    parts = text.split(":")
    if len(parts) != 4 or parts[0] != CODE_PREFIX or not parts[3].isdigit():
        return None
    return parts[1].lower(), parts[2], int(parts[3])


def marks_mm(paper: str) -> list[tuple[float, float]]:
    """The corner marks' centres, in mm from the page's top-left: top-left, top-right, bottom-right, bottom-left."""
    width, height = PAPER_MM[paper]
    inset = MARK_INSET_MM + MARK_STAMP_MM / 2
    near, far_x, far_y = inset, width - inset, height - inset
    return [(near, near), (far_x, near), (far_x, far_y), (near, far_y)]


def qr_rect_mm(paper: str) -> tuple[float, float, float, float]:
    """The QR code's square (x, y, w, h) in mm: in the bottom margin, from the text's left edge."""
    _, height = PAPER_MM[paper]
    return (MARGIN_MM[1], height - MARGIN_MM[2] + 0.5, QR_MM, QR_MM)


def stamp_content(paper: str, code: str) -> bytes:
    """The PDF drawing operators of a page's stamp: the four corner marks and the QR code of ``code``, in points
    from the page's bottom-left corner (PDF's own origin)."""
    import segno

    width, height = PAPER_MM[paper]
    pt = 72 / 25.4
    ops = ["q 0 g"]
    for cx, cy in marks_mm(paper):
        half = MARK_STAMP_MM / 2
        ops.append(_rect(cx - half, height - cy - half, MARK_STAMP_MM, MARK_STAMP_MM, pt))
    qr = segno.make(code, error="m", micro=False)
    rows = [list(row) for row in qr.matrix]
    x, y, size, _ = qr_rect_mm(paper)
    module = size / len(rows)
    for i, row in enumerate(rows):
        j = 0
        while j < len(row):  # a run of dark modules as one rectangle
            if row[j]:
                start = j
                while j < len(row) and row[j]:
                    j += 1
                ops.append(_rect(x + start * module, height - y - (i + 1) * module, (j - start) * module, module, pt))
            else:
                j += 1
    ops.append("Q")
    return "\n".join(ops).encode()


def _rect(x: float, y: float, w: float, h: float, pt: float) -> str:
    return f"{x * pt:.3f} {y * pt:.3f} {w * pt:.3f} {h * pt:.3f} re f"


def stamp_sheet(pdf: bytes, paper: str, digest: str, label: str, duplex: bool) -> tuple[bytes, int]:
    """A version's printed sheet with every page stamped (corner marks and its code), a blank page added (and
    stamped) after an odd page count where ``duplex``; the PDF, and how many pages were printed (the blank
    one not counted)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    if duplex and len(reader.pages) % 2:
        box = reader.pages[-1].mediabox
        writer.add_blank_page(width=box.width, height=box.height)
    for number, page in enumerate(writer.pages, start=1):
        own = page.get_contents()
        stream = DecodedStreamObject()
        # the page's own drawing in q ... Q, so that no state it leaves (a transform, a colour) moves the stamp
        own_data = own.get_data() if own is not None else b""
        stream.set_data(b"q\n" + own_data + b"\nQ\n" + stamp_content(paper, page_code(digest, label, number)))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(reader.pages)


# -- layout.json ----------------------------------------------------------------------------------------------------


@dataclass
class SheetLayout:
    """Where one version's pages are in sheets.pdf, and the fields of its answer pages (its last printed ones)."""

    label: str
    first_page: int  # 1-based page of sheets.pdf
    printed: int  # pages printed; after an odd count, a blank one for duplex printing
    answer_pages: list[AnswerPage]

    @property
    def pages(self) -> int:
        return self.printed + self.printed % 2


def layout_json(digest: str, paper: str, sheets: list[SheetLayout]) -> str:
    """layout.json: the quiz's digest and, per page of sheets.pdf, its sheet and fields (empty for the question
    pages), every box in mm from the page's top-left corner."""
    width, height = PAPER_MM[paper]
    dx, dy = MARGIN_MM[1], MARGIN_MM[0]
    pages = []
    for sheet in sheets:
        first_answer = sheet.printed - len(sheet.answer_pages)
        for k in range(sheet.pages):
            at = k - first_answer
            answer = sheet.answer_pages[at] if 0 <= at < len(sheet.answer_pages) else None
            pages.append(
                {
                    "page": sheet.first_page + k,
                    "sheet": sheet.label,
                    "sheet_page": k + 1,
                    "size_mm": [width, height],
                    "fields": [_field_record(f, dx, dy) for f in answer.fields] if answer else [],
                }
            )
    document = {
        "quiz": digest,
        "code": {"prefix": CODE_PREFIX, "digest_chars": DIGEST_CHARS},
        "marks_mm": {"centres": [list(c) for c in marks_mm(paper)], "size": MARK_STAMP_MM},
        "qr_mm": list(qr_rect_mm(paper)),
        "pages": pages,
    }
    return json.dumps(document, indent=1) + "\n"


def _field_record(f: Field, dx: float, dy: float) -> dict:
    def rect(b: Box) -> list[float]:
        return [round(b.x + dx, 2), round(b.y + dy, 2), round(b.w, 2), round(b.h, 2)]

    boxes = []
    for b in f.boxes:
        box: dict = {"rect_mm": rect(b), "holds": b.holds}
        if b.holds == "mark":
            box["value"] = b.value
        elif f.form in ("volume", "decimal"):
            box["comb"] = b.comb
        boxes.append(box)
    return {"column": f.column, "form": f.form, "boxes": boxes}
