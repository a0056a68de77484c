"""What ``convzoo scan`` makes of the boxes read off a class's answer sheets (zoo/keras/sheet_images.py reads the
pixels, zoo/keras/digit_reader.py the digits): each field as the text a typist would have typed, with its
confidence; the students, from their sheets' codes (a roster's) or the ID they wrote; answers.csv in exactly the
form ``grade --answers`` reads; the fields a person should look at; and a line for each trouble.

Pure Python over plain data: a field is read from its boxes' readings, a tick box as the share of it inked, a
digit box as None (empty) or (digit, probability)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..zoo.errors import ConvzooError
from .answers import DOES_NOT_FIT
from .grade import GradedQuiz, question_columns
from .grade.columns import version_header
from .spreadsheet import csv_text

ANSWERS = "answers.csv"
REVIEW = "review.csv"
CONFIDENT = 0.97  # a field read with less confidence than this is listed for a person to check
TICKED, UNSURE_LOW, UNSURE_HIGH = 0.06, 0.025, 0.12  # shares of a tick box inked (see sheet_images)


@dataclass
class FieldReading:
    """One field as read: the text for answers.csv, how sure (0 to 1), and why a person should look (or "")."""

    column: str
    text: str
    confidence: float
    doubt: str = ""
    place: str = ""  # the scan and page it is on
    sheet: str = ""


def _mark(share: float) -> tuple[bool, float]:
    """A tick box: ticked or not, and how sure (1 far from the threshold, 0 on it)."""
    if share >= UNSURE_HIGH or share <= UNSURE_LOW:
        return share >= TICKED, 1.0
    edge = UNSURE_HIGH if share >= TICKED else UNSURE_LOW
    return share >= TICKED, min(1.0, abs(share - TICKED) / abs(edge - TICKED))


def read_field(spec: dict, readings: list) -> FieldReading:
    """A field's text from its boxes' readings (in layout.json's order): digits joined left to right in each comb
    (empty boxes skipped), ticks as the option they mean; an answer that cannot be one (two options ticked, a
    volume with a number missing) is read as best it can and doubted."""
    form, column = spec["form"], spec["column"]
    combs: dict[int, list[tuple[int, float]]] = {}
    ticked: list[str] = []
    sure = 1.0
    for box, reading in zip(spec["boxes"], readings):
        if box["holds"] == "mark":
            on, how = _mark(reading)
            sure = min(sure, how)
            if on:
                ticked.append(box["value"])
        elif reading is not None:
            digit, probability = reading
            combs.setdefault(box.get("comb", 0), []).append((digit, probability))
            sure = min(sure, probability)
    numbers = {k: "".join(str(d) for d, _ in found) for k, found in sorted(combs.items())}
    doubt = ""
    if form in ("choice", "fit"):
        text = ticked[0] if len(ticked) == 1 else ""
        if len(ticked) > 1:
            doubt = f"{len(ticked)} options ticked"
    elif DOES_NOT_FIT in ticked:
        text = DOES_NOT_FIT
        if numbers:
            doubt = "'does not fit' ticked and a number written"
    elif form == "volume" and any(b.get("comb", 0) for b in spec["boxes"] if b["holds"] == "digit"):
        parts = [numbers.get(k, "") for k in range(3)]
        text = "x".join(parts) if any(parts) else ""
        if any(parts) and not all(parts):
            doubt = "a number of the volume is missing"
    elif form == "decimal":
        whole, fraction = numbers.get(0, ""), numbers.get(1, "")
        text = (whole or "0") + "." + fraction if fraction else whole
        text = ("-" + text if text and "-" in ticked else text) if text else ""
    else:
        text = numbers.get(0, "")
        if form == "signed" and "-" in ticked:
            text = "-" + text if text else ""
    if form in ("signed", "decimal") and "-" in ticked and not numbers:
        doubt = "minus ticked and no number written"
    return FieldReading(column, text, 0.0 if doubt else sure, doubt)


@dataclass
class ScannedSheet:
    """One student's answer sheet, from one or more scanned pages: their fields by column."""

    label: str  # the version
    student_id: str
    name: str
    fields: dict[str, FieldReading] = field(default_factory=dict)
    pages: set[int] = field(default_factory=set)  # the answer pages of the sheet that were scanned
    places: list[str] = field(default_factory=list)


def answers_csv(quiz: GradedQuiz, sheets: list[ScannedSheet]) -> str:
    """answers.csv: the answers template's header and a row per scanned sheet, what ``grade --answers`` reads."""
    columns = [header for _, _, header in question_columns(quiz)]
    rows = [["id", "name", version_header(quiz)] + columns]
    for sheet in sheets:
        row = [sheet.student_id, sheet.name, sheet.label]
        rows.append(row + [sheet.fields[c].text if c in sheet.fields else "" for c in columns])
    return csv_text(rows)


def review_rows(sheets: list[ScannedSheet], confident: float = CONFIDENT) -> list[FieldReading]:
    """The fields a person should check: read with less confidence than ``confident``, or doubted."""
    return [
        reading
        for sheet in sheets
        for reading in sheet.fields.values()
        if reading.doubt or reading.confidence < confident
    ]


def review_csv(sheets: list[ScannedSheet], rows: list[FieldReading]) -> str:
    by_field = {id(r): s for s in sheets for r in s.fields.values()}
    table = [["id", "version", "column", "read", "confidence", "why", "where"]]
    for r in rows:
        sheet = by_field[id(r)]
        why = r.doubt or "read with low confidence"
        table.append([sheet.student_id, sheet.label, r.column, r.text, f"{r.confidence:.2f}", why, r.place])
    return csv_text(table)


# -- the scan, from files to sheets ---------------------------------------------------------------------------------


@dataclass
class Scan:
    """What a scan found: the sheets, and a line per trouble (a page without a code, another quiz's page, ...)."""

    sheets: list[ScannedSheet]
    trouble: list[str]
    pages: int
    fields: int


def _page_work(layout: dict, sources: list[tuple[str, int]]) -> list:
    """In a worker: each page found and its boxes read; a digit box as its 28x28 digit (framed here, read by the
    model in the parent). Returns, per source, its pages: (where, code, its entry in layout's pages or None,
    [each field's box readings])."""
    from ..zoo.keras.sheet_images import digit_crop, find_page, mark_share, pages_of, paper_level

    centres = layout["marks_mm"]["centres"]
    qr = layout["qr_mm"]
    by_place = {(p["sheet"], p["sheet_page"]): i for i, p in enumerate(layout["pages"])}
    prefix = layout["quiz"][: layout["code"]["digest_chars"]]
    out: list[list] = []
    for path, _ in sources:
        out.append([])
        try:
            found = pages_of(path)
        except ConvzooError as err:  # a file that is no scan: said, and the batch goes on
            out[-1].append((path, None, None, [], err.message))
            continue
        for where, grey in found:
            page = find_page(where, grey, qr, centres)
            entry = None
            fields_read: list = []
            if page.code is not None:
                code = _parse_code(page.code)
                if code and code[0] == prefix and (code[1], code[2]) in by_place:
                    entry = by_place[code[1], code[2]]
                    paper = paper_level(grey)
                    for spec in layout["pages"][entry]["fields"]:
                        readings = []
                        for box in spec["boxes"]:
                            if box["holds"] == "mark":
                                readings.append(mark_share(page, box["rect_mm"], paper))
                            else:
                                readings.append(digit_crop(page, box["rect_mm"], paper))
                        fields_read.append(readings)
            out[-1].append((where, page.code, entry, fields_read, ""))
    return out


def _parse_code(text: str):
    from .scansheet import read_code

    found = read_code(text)
    return (found[0], found[1], found[2]) if found else None


def scan_sources(layout: dict, quiz: GradedQuiz, paths: list[str], read_digits) -> Scan:
    """Every page of ``paths`` read against ``layout`` (layout.json) and ``quiz`` (its quiz.json); ``read_digits``
    (a list of 28x28 digits -> [(digit, probability)]) reads the handwriting."""
    from .parallel import in_batches

    sources = [(path, k) for k, path in enumerate(paths)]
    done = in_batches(sources, lambda batch: _page_work(layout, batch))
    found = {}
    for batch, results in done:
        for (_, k), result in zip(batch, results):
            found[k] = result
    pages = [page for k in sorted(found) for page in found[k]]
    # every digit of every page read at once
    crops = [r for _, _, _, fields, _ in pages for readings in fields for r in readings if _is_crop(r)]
    digits = iter(read_digits(crops) if crops else [])
    trouble: list[str] = []
    sheets: dict[tuple[str, str], ScannedSheet] = {}
    prefix = layout["quiz"][: layout["code"]["digest_chars"]]
    seen: dict[int, str] = {}
    field_count = 0
    for where, code, entry, fields, error in pages:
        if error:
            trouble.append(error)
            continue
        if code is None:
            trouble.append(f"{where}: no readable code (a page of another exam, a blank page, or too blurred)")
            continue
        parsed = _parse_code(code)
        if parsed is None:
            trouble.append(f"{where}: its code ({code!r}) is not a convzoo sheet's")
            continue
        if parsed[0] != prefix:
            trouble.append(f"{where}: a page of another quiz (code {code}); left out")
            continue
        if entry is None:
            trouble.append(f"{where}: page {parsed[2]} of sheet {parsed[1]} is not in layout.json; left out")
            continue
        spec_page = layout["pages"][entry]
        if not spec_page["fields"]:
            continue  # a page of questions: nothing to read
        readings = [[next(digits) if _is_crop(r) else r for r in box_readings] for box_readings in fields]
        read = [read_field(spec, rs) for spec, rs in zip(spec_page["fields"], readings)]
        label = spec_page["sheet"]
        graded = quiz.sheets.get(label)
        student = graded.student if graded is not None else None
        ident = next((r for r in read if r.column == "id"), None)
        if student:
            student_id, name = student["id"], student["name"]
        else:
            student_id, name = (ident.text if ident else ""), ""
            if not student_id:
                trouble.append(f"{where}: version {label}, no student ID written; its answers are listed under '?'")
                student_id = "?"
        key = (label, student_id)
        sheet = sheets.setdefault(key, ScannedSheet(label, student_id, name))
        page_no = spec_page["sheet_page"]
        if page_no in sheet.pages:
            trouble.append(
                f"{where}: page {page_no} of version {label}{'' if student else f', ID {student_id},'} scanned "
                "twice; both kept, the later one's answers used"
            )
        sheet.pages.add(page_no)
        sheet.places.append(where)
        for r in read:
            r.place, r.sheet = where, label
            if r.column != "id":
                sheet.fields[r.column] = r
                field_count += 1
        seen[entry] = where
    for sheet in sheets.values():
        wanted = [p["sheet_page"] for p in layout["pages"] if p["sheet"] == sheet.label and p["fields"]]
        for missing in sorted(set(wanted) - sheet.pages):
            trouble.append(
                f"version {sheet.label}, {sheet.student_id}: answer page {missing} was not scanned; "
                "its fields are blank"
            )
    return Scan(list(sheets.values()), trouble, len(pages), field_count)


def _is_crop(reading) -> bool:
    return reading is not None and not isinstance(reading, float)
