"""What ``convzoo scan`` makes of the boxes read off a class's answer sheets (zoo/keras/sheet_images.py reads the
pixels, zoo/keras/digit_reader.py the digits): each field as the text a typist would have typed, with its
confidence; the students, from their sheets' codes (a roster's) or the ID they wrote; answers.csv in exactly the
form ``grade --answers`` reads; the fields a person should look at; and a line for each trouble.

Pure Python over plain data: a field is read from its boxes' readings, a tick box as the share of it inked, a
digit box as None (empty) or the probabilities of the ten digits."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..zoo.errors import ConvzooError
from .answers import DOES_NOT_FIT
from .grade import GradedQuiz, question_columns
from .grade.columns import version_header
from .practice import grade_blank
from .spreadsheet import csv_text

ANSWERS = "answers.csv"
REVIEW = "review.csv"
REVIEW_PAGE = "review.html"
BLANK = "(blank)"  # a correction that says the student wrote nothing there
REVIEW_COLUMNS = ("id", "version", "column", "read", "confidence", "why", "where", "answer")
LOW_CONFIDENCE = "read with low confidence"  # review.csv's why for a field listed for its confidence alone
CONFIDENT = 0.7  # an answer read with less confidence than this is listed for a person to check
# an ID says whose a page's marks are, and no key stands behind it: one read with less is listed, and not
# taken as read where pages are put together into sheets
SURE_ID = 0.97
# a tick box's share of ink (sheet_images.mark_share): a cross covers 0.1 or more, a clean box under 0.01;
# between UNSURE_LOW and UNSURE_HIGH a person looks
TICKED, UNSURE_LOW, UNSURE_HIGH = 0.06, 0.025, 0.12
# Another reading of a field's digits at least this likely, against the likeliest, is one a person should weigh
# where it would be marked right and the likeliest wrong: most of a class writes the key, far fewer any one
# wrong number, so a key this close is likelier than the digit model alone says (benchmarks/scan_accuracy.py: of
# the keys read as another number with confidence, the least likely was at about 1/3,000 of what was read).
LIKELY_ENOUGH = 1e-4
MOST_READINGS = 10_000  # a field with more readings that likely (its digits all unsure) is a person's to read


@dataclass
class FieldReading:
    """One field as read: the text for answers.csv, how sure (0 to 1), and why a person should look (or "")."""

    column: str
    text: str
    confidence: float
    doubt: str = ""
    place: str = ""  # the scan and page it is on
    digits: tuple[tuple[str, float], ...] = ()  # each digit read, with its probability
    picture: bytes = b""  # the field as scanned (PNG), for the review page


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
            digit = max(range(len(reading)), key=reading.__getitem__)
            probability = reading[digit]
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
    read = tuple((str(d), p) for _, found in sorted(combs.items()) for d, p in found)
    return FieldReading(column, text, 0.0 if doubt else sure, doubt, digits=read)


def other_readings(readings: list, least: float = LIKELY_ENOUGH):
    """The field's boxes' readings with one or more digits taken as another digit, each way at least ``least``
    times as likely as the likeliest (the product of the digits' probabilities), as ``read_field`` takes them."""
    digit_boxes = [k for k, r in enumerate(readings) if isinstance(r, tuple)]

    def taken(start: int, ratio: float, changed: list):
        for at in range(start, len(digit_boxes)):
            probabilities = readings[digit_boxes[at]]
            best = max(probabilities)
            for digit, probability in enumerate(probabilities):
                if probability < best and ratio * probability / best >= least:
                    one_hot = tuple(float(d == digit) for d in range(len(probabilities)))
                    now = changed[:]
                    now[digit_boxes[at]] = one_hot
                    yield now
                    yield from taken(at + 1, ratio * probability / best, now)

    yield from taken(0, 1.0, list(readings))


def marked_right_instead(spec: dict, readings: list, read: FieldReading, blank) -> str:
    """Why a person should look at a field that ``blank`` (the blank it answers) marks wrong as read: another
    reading of it (``other_readings``) would be marked right; or ''."""
    if grade_blank(blank, read.text).right:
        return ""
    for count, other in enumerate(other_readings(readings)):
        if count == MOST_READINGS:
            return "read so many ways that one of them may be marked right"
        text = read_field(spec, other).text
        if text != read.text and grade_blank(blank, text).right:
            return f"could be {text}, which would be marked right"
    return ""


@dataclass
class ScannedSheet:
    """One student's answer sheet, from one or more scanned pages: their fields by column."""

    label: str  # the version
    student_id: str
    name: str
    fields: dict[str, FieldReading] = field(default_factory=dict)
    pages: set[int] = field(default_factory=set)  # the answer pages of the sheet that were scanned
    ident: list[FieldReading] = field(default_factory=list)  # the ID as read on each page (without a roster)
    replaced: list[FieldReading] = field(default_factory=list)  # a page scanned twice: the earlier readings

    @property
    def readings(self) -> list[FieldReading]:
        """Every field read, the ID on each page first."""
        return self.ident + list(self.fields.values()) + self.replaced


def answers_csv(quiz: GradedQuiz, sheets: list[ScannedSheet]) -> str:
    """answers.csv: the answers template's header and a row per scanned sheet, what ``grade --answers`` reads."""
    columns = [header for _, _, header in question_columns(quiz)]
    rows = [["id", "name", version_header(quiz)] + columns]
    for sheet in sheets:
        row = [sheet.student_id, sheet.name, sheet.label]
        rows.append(row + [sheet.fields[c].text if c in sheet.fields else "" for c in columns])
    return csv_text(rows)


def id_confident(confident: float) -> float:
    """The confidence an ID needs not to be listed: ``confident``, and SURE_ID at least."""
    return max(confident, SURE_ID)


def review_rows(sheets: list[ScannedSheet], confident: float = CONFIDENT) -> list[FieldReading]:
    """The fields a person should check: doubted, or read with less confidence than ``confident`` (an ID, than
    ``id_confident``)."""
    for_id = id_confident(confident)
    return [
        r
        for sheet in sheets
        for r in sheet.readings
        if r.doubt or r.confidence < (for_id if r.column == "id" else confident)
    ]


def review_entries(sheets: list[ScannedSheet], rows: list[FieldReading]) -> list[dict[str, str]]:
    """Each field to check as review.csv lists it (REVIEW_COLUMNS, the answer left for a person)."""
    by_field = {id(r): s for s in sheets for r in s.readings}
    return [
        {
            "id": by_field[id(r)].student_id,
            "version": by_field[id(r)].label,
            "column": r.column,
            "read": r.text,
            "confidence": f"{r.confidence:.2f}",
            "why": r.doubt or LOW_CONFIDENCE,
            "where": r.place,
            "answer": "",
        }
        for r in rows
    ]


def review_csv(entries: list[dict[str, str]]) -> str:
    return csv_text([list(REVIEW_COLUMNS)] + [[entry[c] for c in REVIEW_COLUMNS] for entry in entries])


def review_html(
    title: str, digest: str, scan: Scan, rows: list[FieldReading], entries: list[dict], confident: float
) -> str:
    """review.html: each field to check, as scanned beside what was read, with a box for the answer; it saves
    the answers as corrections.csv (review.csv's rows, the answer filled in), for ``scan --corrections``."""
    import base64

    from ..templates import render

    shown = [
        {**entry, "picture": base64.b64encode(r.picture).decode() if r.picture else ""}
        for entry, r in zip(entries, rows)
    ]
    return render(
        "scan_review.html.j2",
        title=title,
        rows=shown,
        data=entries,
        columns=list(REVIEW_COLUMNS),
        key=digest,
        summary=summary_line(scan, len(rows)),
        trouble=scan.trouble,
        confident=confident,
        sure_id=id_confident(confident),
    )


def summary_line(scan: Scan, to_review: int) -> str:
    return f"read {scan.pages} pages: {len(scan.sheets)} answer sheets, {scan.fields} fields, {to_review} to review"


def read_corrections(rows: list[list[str]], source: str) -> dict[tuple[str, str], str]:
    """A corrections file (review.csv with its ``answer`` column filled, or what the review page saves): (where,
    column) -> the answer, for each row whose answer is filled in ('(blank)' for a field the student left empty)."""
    from .grade import AnswersError

    if not rows:
        raise AnswersError(f"{source}: empty; expected review.csv's header, with its 'answer' column filled in")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("where", "column", "answer") if c not in header]
    if missing:
        raise AnswersError(
            f"{source}, row 1: no '{missing[0]}' column; a corrections file is review.csv with its 'answer' "
            "column filled in"
        )
    at = {name: header.index(name) for name in ("where", "column", "answer")}
    out = {}
    for row in rows[1:]:
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in at.items()}
        if cells["answer"]:
            out[cells["where"], cells["column"]] = "" if cells["answer"].lower() == BLANK else cells["answer"]
    return out


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
    model in the parent). Returns, per source, its pages: (where, its entry in layout's pages or None, [each
    field's box readings and picture], the line saying why it is left out or "")."""
    from ..zoo.keras.sheet_images import field_picture, find_page, pages_of
    from .scansheet import read_code

    by_place = {(p["sheet"], p["sheet_page"]): i for i, p in enumerate(layout["pages"])}
    prefix = layout["quiz"][: layout["code"]["digest_chars"]]
    out: list[list] = []
    for path, _ in sources:
        out.append([])
        try:
            found = pages_of(path)
        except ConvzooError as err:  # a file that is no scan: said, and the batch goes on
            out[-1].append((path, None, [], str(err)))
            continue
        for where, grey in found:
            page = find_page(grey, layout)
            code = read_code(page.code) if page.code is not None else None
            if page.code is None:
                left_out = f"{where}: no readable code (a blank page, another exam's page, or too blurred to read)"
            elif code is None:
                left_out = f"{where}: its code ({page.code!r}) is not a convzoo sheet's; left out"
            elif code[0] != prefix:
                left_out = f"{where}: a page of another quiz (its code: {page.code}); left out"
            elif (code[1], code[2]) not in by_place:
                left_out = f"{where}: page {code[2]} of sheet {code[1]} is not in layout.json; left out"
            else:
                entry = by_place[code[1], code[2]]
                fields_read = [
                    (_field_readings(page, spec["boxes"]), field_picture(page, spec["boxes"]))
                    for spec in layout["pages"][entry]["fields"]
                ]
                out[-1].append((where, entry, fields_read, ""))
                continue
            out[-1].append((where, None, [], left_out))
    return out


def _field_readings(page, boxes: list[dict]) -> list:
    """Each box's reading, in the field's order: a tick box's share of ink; a digit box's 28x28 digit, or None
    where it is empty (the field's digit boxes read together: a digit over its box's border is its box's)."""
    from ..zoo.keras.sheet_images import field_digits, mark_share

    rects = [b["rect_mm"] for b in boxes if b["holds"] == "digit"]
    digits = iter(field_digits(page, rects) if rects else [])
    return [mark_share(page, b["rect_mm"]) if b["holds"] == "mark" else next(digits) for b in boxes]


@dataclass
class ReadPage:
    """One answer page as read: its sheet (version), its page of the sheet, where it came from, its fields."""

    where: str
    label: str
    sheet_page: int
    fields: list[FieldReading]

    @property
    def ident(self) -> FieldReading | None:
        return next((r for r in self.fields if r.column == "id"), None)


def scan_sources(
    layout: dict,
    quiz: GradedQuiz,
    paths: list[str],
    read_digits,
    corrections: dict | None = None,
    roster: dict[str, str] | None = None,
    prepare=None,
) -> Scan:
    """Every page of ``paths`` read against ``layout`` (layout.json) and ``quiz`` (its quiz.json); ``read_digits``
    (a list of 28x28 digits -> each one's ten probabilities) reads the handwriting; ``corrections`` ({(where, column):
    text}, from the review page) replace what was read there; ``roster`` (id -> name, the class list) is what the
    IDs written are read against; ``prepare()`` (loading the model) runs here while the pages are read."""
    from .parallel import in_batches

    sources = [(path, k) for k, path in enumerate(paths)]
    # a scanned file is seconds of work: over the cores from two on, the model loaded here meanwhile
    done = in_batches(sources, lambda batch: _page_work(layout, batch), prepare, parallel_from=2)
    found = {}
    for batch, results in done:
        for (_, k), result in zip(batch, results):
            found[k] = result
    pages = [page for k in sorted(found) for page in found[k]]
    # every digit of every page read at once
    crops = [r for _, _, fields, _ in pages for readings, _ in fields for r in readings if _is_crop(r)]
    digits = iter(read_digits(crops) if crops else [])
    trouble: list[str] = []
    read_pages: list[ReadPage] = []
    blanks = {
        (label, header): sheet.parts[number][index]
        for label, sheet in quiz.sheets.items()
        for number, index, header in question_columns(quiz)
        if number < len(sheet.parts) and index < len(sheet.parts[number])
    }
    for where, entry, fields, left_out in pages:
        if left_out:
            trouble.append(left_out)
            continue
        spec_page = layout["pages"][entry]
        if not spec_page["fields"]:
            continue  # a page of questions: nothing to read
        readings = [[next(digits) if _is_crop(r) else r for r in box_readings] for box_readings, _ in fields]
        read = [read_field(spec, rs) for spec, rs in zip(spec_page["fields"], readings)]
        for spec, rs, r in zip(spec_page["fields"], readings, read):
            blank = blanks.get((spec_page["sheet"], r.column))
            if blank is not None and r.digits and not r.doubt:
                r.doubt = marked_right_instead(spec, rs, r, blank)
        for r, (_, picture) in zip(read, fields):
            r.place, r.picture = where, picture
            if corrections and (where, r.column) in corrections:
                r.text, r.confidence, r.doubt = corrections[where, r.column], 1.0, ""
        read_pages.append(ReadPage(where, spec_page["sheet"], spec_page["sheet_page"], read))
    wanted: dict[str, set[int]] = {}
    for p in layout["pages"]:
        if p["fields"]:
            wanted.setdefault(p["sheet"], set()).add(p["sheet_page"])
    sheets = _sheets(read_pages, quiz, trouble, roster)
    by_place = {(p["sheet"], p["sheet_page"]): p for p in layout["pages"]}
    unknown = 0
    for sheet in sheets:
        if sheet.student_id == "?":  # each sheet without an ID its own row: grade needs the ids apart
            unknown += 1
            sheet.student_id = f"?{unknown}"
        missing = sorted(wanted[sheet.label] - sheet.pages)
        for r in sheet.ident if missing else ():
            r.doubt = r.doubt or "its sheet lacks a page: is this ID the one written on the others?"
        for page in missing:
            trouble.append(
                f"version {sheet.label}, {sheet.student_id}: answer page {page} was not scanned; "
                "its fields are left blank and listed in review.csv"
            )
            for spec in by_place[sheet.label, page]["fields"]:
                if spec["column"] != "id":
                    sheet.fields[spec["column"]] = FieldReading(
                        spec["column"], "", 0.0, f"its page ({page} of version {sheet.label}) was not scanned"
                    )
    fields = sum(len(p.fields) for p in read_pages)
    return Scan(sheets, trouble, len(pages), fields)


def _sheets(
    pages: list[ReadPage], quiz: GradedQuiz, trouble: list[str], roster: dict[str, str] | None = None
) -> list[ScannedSheet]:
    """The students' sheets from their answer pages: a roster quiz's sheet is its student's; otherwise a sheet is
    a version and the ID written on its pages (the one ID of ``roster``, id -> name, that agrees with every digit
    read for sure, where a class list is given), and a page whose ID is unsure joins the one sheet of its
    version whose ID agrees with every digit read for sure (and lacks that page); with a roster, a page whose ID
    is not on it joins the one student of it whose sheet of the version lacks that page and whose ID is one
    digit from the one read (a digit misread, or a slip of the pen), its ID listed for review. Nothing else is
    joined: a sheet that still lacks pages has its ID listed for review."""
    sheets: dict[tuple[str, str], ScannedSheet] = {}

    def join(page: ReadPage, key: tuple[str, str], student_id: str, name: str) -> None:
        sheet = sheets.setdefault(key, ScannedSheet(page.label, student_id, name))
        if page.sheet_page in sheet.pages:
            trouble.append(
                f"{page.where}: page {page.sheet_page} of version {page.label} ({student_id}) was scanned twice; "
                "both are in review.csv, the later one's answers are used"
            )
            for r in page.fields:
                earlier = sheet.fields.get(r.column)
                if earlier is not None:
                    earlier.doubt = "its page was scanned twice (this is the earlier one)"
                    sheet.replaced.append(earlier)
                if r.column != "id":
                    r.doubt = "its page was scanned twice (this is the later one, used)"
        sheet.pages.add(page.sheet_page)
        for r in page.fields:
            if r.column == "id":
                sheet.ident.append(r)
            else:
                sheet.fields[r.column] = r

    unsure = []
    for page in pages:
        graded = quiz.sheets.get(page.label)
        if graded is not None and graded.student:
            join(page, (page.label, graded.student["id"]), graded.student["id"], graded.student["name"])
            continue
        ident = page.ident
        if ident is None or not ident.text:
            trouble.append(f"{page.where}: version {page.label}, no student ID written; listed under '?'")
            join(page, (page.label, f"?{page.where}"), "?", "")
            continue
        if roster:
            found = _on_roster(ident, roster)
            if found is not None:
                join(page, (page.label, found), found, roster[found])
                continue
            ident.doubt = "not an ID of the roster"
        if ident.confidence >= SURE_ID and not roster:
            join(page, (page.label, ident.text), ident.text, "")
        else:  # unsure, or (sure or not) not on the roster: misread, or a slip of the pen
            unsure.append(page)
    for page in unsure:
        ident = page.ident
        assert ident is not None
        lacking = {
            key: sheet for key, sheet in sheets.items() if key[0] == page.label and page.sheet_page not in sheet.pages
        }
        matches = [key for key, sheet in lacking.items() if sheet.ident and all(_agrees(ident, o) for o in sheet.ident)]
        if not matches and roster:
            # the one student of the roster with this version's sheet lacking this page whose ID is one digit
            # from the one read (a digit misread for sure, or written wrong): joined, and listed for review
            matches = [key for key in lacking if key[1] in roster and _one_digit_apart(ident.text, key[1])]
            if len(matches) == 1:
                ident.doubt = (
                    f"not an ID of the roster: joined to {matches[0][1]}, one digit apart, whose sheet of version "
                    f"{page.label} lacked page {page.sheet_page}"
                )
        if len(matches) == 1:
            sheet = sheets[matches[0]]
            join(page, matches[0], sheet.student_id, sheet.name)
            if not roster:
                sheet.student_id = _best_id(sheet.ident)
        else:
            join(page, (page.label, ident.text), ident.text, "")
    return list(sheets.values())


def _one_digit_apart(read: str, student_id: str) -> bool:
    return len(read) == len(student_id) and sum(a != b for a, b in zip(read, student_id)) <= 1


def _on_roster(ident: FieldReading, roster: dict[str, str]) -> str | None:
    """The roster's one ID that agrees with every digit read for sure (the ID read, where it is on the roster);
    None where none or several do."""
    if ident.text in roster:
        return ident.text
    matches = [student_id for student_id in roster if _agrees(ident, _sure(student_id))]
    return matches[0] if len(matches) == 1 else None


def _sure(student_id: str) -> FieldReading:
    return FieldReading("id", student_id, 1.0, digits=tuple((d, 1.0) for d in student_id))


def _agrees(one: FieldReading, other: FieldReading) -> bool:
    """Whether two readings of an ID can be the same ID: as long, and equal in every digit both read for sure."""
    if len(one.digits) != len(other.digits):
        return False
    return all(a == b or min(p, q) < SURE_ID for (a, p), (b, q) in zip(one.digits, other.digits))


def _best_id(readings: list[FieldReading]) -> str:
    """An ID read on several pages: at each place, the digit read with the most confidence."""
    return "".join(max(column, key=lambda read: read[1])[0] for column in zip(*(r.digits for r in readings)))


def _is_crop(reading) -> bool:
    return reading is not None and not isinstance(reading, float)
