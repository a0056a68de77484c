"""Paper in, marks out: `quiz --format pdf --scannable` prints sheets whose boxes are where layout.json says (read
off the printed pages' pixels, the codes by zxing-cpp), and `convzoo scan` reads a class's sheets filled in with
MNIST's test digits and scanned the way they come back (tests/handwriting.py) into the answers.csv that `grade`
marks as it marks the same answers typed. review.html is used in Chromium as a person would."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CHROMIUM, MNIST, convzoo_here

sys.path.insert(0, str(Path(__file__).parent))
from handwriting import DPI, Digits, render_pages, scanned_class, write_digit  # noqa: E402

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="printing the sheets needs chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def exam(tmp_path_factory) -> Path:
    """A scannable quiz of two versions: every form of field (counts, volumes, signed values, 'does not fit')."""
    out = tmp_path_factory.mktemp("scan") / "exam"
    done = convzoo_here(
        "quiz", "--count", "8", "--versions", "2", "--format", "pdf", "--scannable", "--seed", "2024", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def layout(exam) -> dict:
    return json.loads((exam / "layout.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(exam) -> list[np.ndarray]:
    return render_pages(exam / "sheets.pdf", DPI)


def _px(mm: float) -> int:
    return round(mm * DPI / 25.4)


def test_every_page_carries_its_code_and_marks(exam, layout, printed):
    import zxingcpp

    digest = json.loads((exam / "quiz.json").read_text(encoding="utf-8"))["digest"]["sha256"]
    assert layout["quiz"] == digest
    assert len(printed) == len(layout["pages"]) and len(printed) % 2 == 0  # each version on its own sheets
    for entry, page in zip(layout["pages"], printed):
        codes = [b.text for b in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)]
        assert codes == [f"CZ:{digest[:10].upper()}:{entry['sheet']}:{entry['sheet_page']}"]
        for x, y in layout["marks_mm"]["centres"]:
            assert page[_px(y), _px(x)] < 60  # a solid mark
        assert entry["size_mm"] == [210.0, 297.0]


def test_boxes_are_where_layout_json_says(layout, printed):
    """Each box's border is printed and its inside paper, on the printed page, at layout.json's millimetres: a tick
    box's border dark, a digit box's in a grey that a pen's stroke is darker than (scan's STROKE), so that a
    stroke on a border is not taken for it."""
    from convzoo.zoo.keras.sheet_images import STROKE

    boxes = 0
    for entry, page in zip(layout["pages"], printed):
        for field in entry["fields"]:
            for box in field["boxes"]:
                x, y, w, h = box["rect_mm"]
                inside = page[_px(y + 1) : _px(y + h - 1), _px(x + 1) : _px(x + w - 1)]
                assert inside.min() > 200, (field["column"], box)
                # the border within a pixel of the box's edge, left and top
                left = page[_px(y + h / 2), _px(x) - 1 : _px(x) + 3]
                top = page[_px(y) - 1 : _px(y) + 3, _px(x + w / 2)]
                darkest = min(left.min(), top.min())
                if box["holds"] == "mark":
                    assert darkest < 170, (field["column"], box)
                else:
                    assert 255 * (1 - STROKE) < darkest < 235, (field["column"], box)
                boxes += 1
    assert boxes > 100


def test_every_blank_has_its_field_and_every_field_its_column(exam, layout):
    """The answer pages hold one field per blank of the version (the answers template's columns), the ID on every
    page (a sheet without a roster), and nothing says how long an answer is."""
    from convzoo.questions.grade import question_columns, read_quiz

    quiz = read_quiz((exam / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    header = next(csv.reader(open(exam / "answers-template.csv", encoding="utf-8")))
    for label, sheet in quiz.sheets.items():
        pages = [p for p in layout["pages"] if p["sheet"] == label and p["fields"]]
        columns = [f["column"] for p in pages for f in p["fields"] if f["column"] != "id"]
        expected = [h for n, k, h in question_columns(quiz) if n < len(sheet.parts) and k < len(sheet.parts[n])]
        assert sorted(columns) == sorted(expected)
        assert set(columns) <= set(header[3:])
        assert all(p["fields"][0]["form"] == "id" for p in pages)
        forms = {f["form"] for p in pages for f in p["fields"]}
        assert forms <= {"count", "signed", "decimal", "volume", "choice", "fit", "id"}
    counts = {len(f["boxes"]) for p in layout["pages"] for f in p["fields"] if f["form"] == "count"}
    assert counts <= {3, 4, 10}  # the comb's width follows the type, never the key


def test_digits_over_borders_are_read_in_their_own_boxes(layout, printed):
    """A wide 0 written over its box's right border is read whole, and what strays over is not a digit of the next
    box; a 2 that runs into the 5 beside it leaves both; a 1 written across a border is read, not taken for what
    is left of the border. Where a scan makes the grey borders as dark as ink, they are lifted off: nothing is read
    wrong and sure."""
    import random

    from convzoo.zoo.keras.digit_reader import read_digits
    from convzoo.zoo.keras.sheet_images import field_digits, find_page

    entry = next(p for p in layout["pages"] if p["fields"])
    field = next(f for f in entry["fields"] if f["form"] == "count" and len(f["boxes"]) == 10)
    digits, rng = Digits.load(MNIST), random.Random(1)

    def moved(box: int, dx: float) -> list[float]:
        x, y, w, h = field["boxes"][box]["rect_mm"]
        return [x + dx, y, w, h]

    zeros = digits.by_class[0]
    widest = max(range(len(zeros)), key=lambda k: np.ptp(np.nonzero(zeros[k].max(axis=0) > 50)[0]))
    page = printed[entry["page"] - 1].copy()
    write_digit(page, moved(0, 1.2), zeros[widest], rng, DPI)  # 1.2 mm to the right: over the border
    write_digit(page, moved(3, 0.9), digits.by_class[2][1], rng, DPI)
    write_digit(page, moved(4, -0.6), digits.by_class[5][0], rng, DPI)  # the 2 and the 5 touch
    write_digit(page, moved(6, 3.0), digits.by_class[1][0], random.Random(5), DPI)  # over the border of 6 and 7
    for scanned, contrasty in ((page, False), (np.where(page < 235, page * 0.35, page), True)):
        found = find_page(scanned.astype("float32"), layout)
        crops = field_digits(found, [b["rect_mm"] for b in field["boxes"]])
        assert [k for k, c in enumerate(crops) if c is not None] == [0, 3, 4, 7], contrasty
        read = [(int(np.argmax(p)), max(p)) for p in read_digits([c for c in crops if c is not None])]
        assert all(d == want for (d, p), want in zip(read, (0, 2, 5, 1)) if p >= 0.97), (contrasty, read)
        if not contrasty:
            assert [d for d, _ in read] == [0, 2, 5, 1] and min(p for _, p in read) >= 0.97, read


def test_a_page_whose_id_is_off_the_roster_by_one_digit_joins_the_sheet_lacking_it(exam):
    """With a roster, a page whose ID is read (surely) as one not on it joins the one student of the roster whose
    sheet of that version lacks that page and whose ID is one digit away, and its ID is listed for review; a page
    that two students could own, or none, is its own sheet, its ID listed."""
    from convzoo.questions.grade import read_quiz
    from convzoo.questions.scan import FieldReading, ReadPage, _sheets

    quiz = read_quiz((exam / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    roster = {"20231703": "Ann", "20231740": "Ben", "20231407": "Cy"}

    def page(where: str, label: str, number: int, written: str) -> ReadPage:
        ident = FieldReading("id", written, 1.0, digits=tuple((d, 0.999) for d in written))
        return ReadPage(where, label, number, [ident, FieldReading("1", "42", 1.0)])

    pages = [
        page("s1", "A", 1, "20231703"),
        page("s2", "A", 2, "20231103"),  # Ann's 7 misread as 1
        page("s3", "A", 1, "20231740"),
        page("s4", "A", 2, "20231740"),
        page("s5", "B", 1, "20231407"),
        page("s6", "B", 2, "20239999"),  # four digits from Cy's: not joined
    ]
    trouble: list[str] = []
    sheets = {(s.label, s.student_id): s for s in _sheets(pages, quiz, trouble, roster)}
    assert sorted(sheets) == [("A", "20231703"), ("A", "20231740"), ("B", "20231407"), ("B", "20239999")]
    ann = sheets["A", "20231703"]
    assert ann.pages == {1, 2} and ann.name == "Ann"
    assert ann.ident[1].doubt.startswith("not an ID of the roster: joined to 20231703, one digit apart")
    assert sheets["B", "20239999"].ident[0].doubt == "not an ID of the roster"
    # Ann and Ben both lack page 2 and are one digit from 20231700: no one is guessed
    pages = [page("s1", "A", 1, "20231703"), page("s3", "A", 1, "20231740"), page("s2", "A", 2, "20231700")]
    sheets = {(s.label, s.student_id): s for s in _sheets(pages, quiz, [], roster)}
    assert ("A", "20231700") in sheets and sheets["A", "20231700"].ident[0].doubt == "not an ID of the roster"


def test_a_misread_that_costs_a_mark_is_listed_for_review():
    """The lecture's ten 5x5 filters over a 32x32x3 volume have 760 parameters. A student writes 760 and the 6 is
    read as a 5 with confidence: the field is listed for a person, since 760 is likely enough and would be marked
    right. Where the 6 is all but ruled out, or what is read is the key, nothing is listed."""
    from convzoo.questions.answers import Blank, blank_type
    from convzoo.questions.scan import marked_right_instead, read_field

    params = Blank("params", blank_type("count"), 760)
    spec = {"form": "count", "column": "3", "boxes": [{"holds": "digit"}] * 4}

    def digit(d: int, sure: float, other: int = 0, other_p: float = 0.0) -> tuple[float, ...]:
        rest = (1 - sure - other_p) / 8
        return tuple(sure if k == d else other_p if k == other else rest for k in range(10))

    def listed(readings) -> str:
        return marked_right_instead(spec, readings, read_field(spec, readings), params)

    seven, zero = digit(7, 0.999), digit(0, 0.998)
    misread = [seven, digit(5, 0.995, 6, 0.004), zero, None]
    assert read_field(spec, misread).text == "750" and read_field(spec, misread).confidence > 0.97
    assert listed(misread) == "could be 760, which would be marked right"
    assert listed([seven, digit(5, 0.995, 6, 1e-6), zero, None]) == ""  # a 6 all but ruled out
    assert listed([seven, digit(6, 0.98, 5, 0.019), zero, None]) == ""  # read as the key
    assert listed([None, seven, digit(5, 0.95, 8, 0.0499), zero]) == ""  # 780 is as wrong as 750
    wide = {"form": "count", "column": "3", "boxes": [{"holds": "digit"}] * 5}
    scrawl = [tuple([0.11] + [0.89 / 9] * 9)] * 5  # every digit about as likely: 100,000 readings, too many
    doubt = marked_right_instead(wide, scrawl, read_field(wide, scrawl), params)
    assert doubt == "read so many ways that one of them may be marked right"


def test_scannable_is_for_pdf_and_refused_in_one_line(tmp_path):
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("convzoo")),
            "quiz",
            "--format",
            "html",
            "--scannable",
            "--out",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "convzoo: error: --scannable makes printed sheets a machine can read: give it with --format pdf, not html"
    ]
    assert not (tmp_path / "x").exists()


@pytest.fixture(scope="module")
def class_scans(exam, tmp_path_factory):
    """Four students' sheets, written and scanned (one page photographed, one upside down, in PDFs and
    pictures), with a blank page, a page scanned twice and a page of another quiz among them."""
    out = tmp_path_factory.mktemp("scans")
    written = scanned_class(
        exam, out, ["A", "B", "A", "B"], Digits.load(MNIST), seed=3, photo_share=0.15, upside_down_share=0.2
    )
    from PIL import Image

    Image.new("L", (1240, 1754), 250).save(out / "zz-blank.png")
    return written, out


@pytest.fixture(scope="module")
def roster(class_scans, tmp_path_factory) -> Path:
    written, _ = class_scans
    path = tmp_path_factory.mktemp("roster") / "class.csv"
    path.write_text("id,name\n" + "".join(f"{s},Student {s}\n" for s, _, _ in written.students), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scanned(exam, class_scans, roster, tmp_path_factory):
    written, scans = class_scans
    out = tmp_path_factory.mktemp("marks")
    done = convzoo_here("scan", str(exam), str(scans), "--out", str(out), "--roster", str(roster), "--force")
    assert done.returncode == 0, done.stderr
    return done, out


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_scan_reads_the_class(class_scans, scanned):
    written, _ = class_scans
    done, out = scanned
    assert done.stdout.splitlines()[0].startswith(f"read {written.pages + 1} pages: 4 answer sheets,")
    assert done.stderr.splitlines() == [
        f"convzoo: {_blank_page(class_scans)}: no readable code (a blank page, "
        "another exam's page, or too blurred to read)"
    ]
    rows = {row["id"]: row for row in _rows(out / "answers.csv")}
    assert set(rows) == {s for s, _, _ in written.students}
    review = {(r["id"], r["column"]) for r in _rows(out / "review.csv")}
    right = wrong = 0
    for student, _, answers in written.students:
        assert rows[student]["name"] == f"Student {student}"
        for column, text in answers.items():
            if (student, column) not in review:
                right += rows[student][column] == text
                wrong += rows[student][column] != text
    fields = sum(len(a) for _, _, a in written.students)
    # issue 24's target is 1% of a class's fields (benchmarks/scan_accuracy.py, 30 students): here one at most
    # (MNIST's test digits have 8s that look like 2s)
    assert wrong <= 1
    assert right >= 0.8 * fields


def _blank_page(class_scans) -> str:
    return str(class_scans[1] / "zz-blank.png")


def test_reviewed_scans_grade_as_the_answers_typed(exam, class_scans, roster, scanned, tmp_path):
    """A person fills in review.csv's answer column from the papers; scanned again with --corrections, the class
    grades exactly as the same answers typed."""
    written, scans = class_scans
    _, out = scanned
    truth = {s: answers for s, _, answers in written.students}
    corrections = tmp_path / "corrections.csv"
    entries = _rows(out / "review.csv")
    with open(corrections, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(entries[0]))
        writer.writeheader()
        for entry in entries:
            who = written.writers[entry["where"]]
            entry["answer"] = who if entry["column"] == "id" else truth[who].get(entry["column"], "") or "(blank)"
            writer.writerow(entry)
    again = convzoo_here(
        "scan",
        str(exam),
        str(scans),
        "--out",
        str(tmp_path / "marks"),
        "--roster",
        str(roster),
        "--corrections",
        str(corrections),
    )
    assert again.returncode == 0, again.stderr
    typed = tmp_path / "typed.csv"
    header = next(csv.reader(open(exam / "answers-template.csv", encoding="utf-8")))
    with open(typed, "w", encoding="utf-8", newline="") as handle:
        rows = [[s, f"Student {s}", label] + [a.get(c, "") for c in header[3:]] for s, label, a in written.students]
        csv.writer(handle).writerows([header] + rows)
    grades = {}
    for name, answers in (("scanned", tmp_path / "marks" / "answers.csv"), ("typed", typed)):
        done = convzoo_here("grade", str(exam), "--answers", str(answers), "--out", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        grades[name] = {r["id"]: r for r in _rows(tmp_path / name / "grades.csv")}
    # every student's grade, but for a field read wrong for sure (at most 1% of them: an MNIST 8 that looks a 2)
    rows = {r["id"]: r for r in _rows(tmp_path / "marks" / "answers.csv")}
    misread = {s for s, _, a in written.students for c, t in a.items() if rows[s][c] != t}
    assert len(misread) <= 1
    assert {s: g for s, g in grades["scanned"].items() if s not in misread} == {
        s: g for s, g in grades["typed"].items() if s not in misread
    }


def _answer_page(picture: Path, layout: dict) -> bool:
    """Whether a scanned picture is of an answer page (its code, read here by zxing-cpp, says which page)."""
    import zxingcpp
    from PIL import Image

    code = zxingcpp.read_barcodes(Image.open(picture), formats=zxingcpp.BarcodeFormat.QRCode)[0].text
    _, _, sheet, page = code.split(":")
    return any(p["fields"] for p in layout["pages"] if p["sheet"] == sheet and p["sheet_page"] == int(page))


def test_trouble_never_stops_the_batch(exam, layout, class_scans, roster, tmp_path):
    """A page scanned twice is kept and flagged, a missing page's fields are listed, another quiz's page is left
    out: each in one line, and the batch goes on."""
    import pypdf
    from convzoo.questions.scansheet import stamp_sheet

    written, scans = class_scans
    folder = tmp_path / "scans"
    shutil.copytree(scans, folder)
    pictures = sorted(folder.glob("photo-*.jpg"))
    shutil.copy(pictures[0], folder / "again.jpg")  # the same page twice
    blank, printed = pypdf.PdfWriter(), io.BytesIO()
    blank.add_blank_page(width=595.28, height=841.89)
    blank.write(printed)
    other, pages = stamp_sheet(printed.getvalue(), "a4", "0" * 64, "A", duplex=False)
    (folder / "other-quiz.pdf").write_bytes(other)  # a page of another quiz: its digest is not this quiz's
    missing = next(p for p in pictures[1:] if _answer_page(p, layout))
    missing.unlink()  # an answer page, not scanned
    done = convzoo_here("scan", str(exam), str(folder), "--out", str(tmp_path / "marks"), "--roster", str(roster))
    assert done.returncode == 0, done.stderr
    said = done.stderr
    assert "scanned twice; both are in review.csv, the later one's answers are used" in said
    assert said.count("a page of another quiz") == pages == 1
    assert "was not scanned; its fields are left blank and listed in review.csv" in said
    review = _rows(tmp_path / "marks" / "review.csv")
    assert any("was not scanned" in r["why"] for r in review)
    assert any("scanned twice" in r["why"] for r in review)


def test_scan_refuses_what_it_cannot_read_in_one_line(exam, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for argv, line in (
        (["scan", str(tmp_path), str(empty), "--out", str(tmp_path / "m")], "has no layout.json"),
        (["scan", str(exam), str(empty), "--out", str(tmp_path / "m")], "no scans in it"),
        (["scan", str(exam), str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "m")], "no such file or folder"),
    ):
        done = convzoo_here(*argv)
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1 and line in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("where,column\nx,y\n", encoding="utf-8")
    page = tmp_path / "page.png"
    from PIL import Image

    Image.new("L", (100, 100), 255).save(page)
    done = convzoo_here("scan", str(exam), str(page), "--out", str(tmp_path / "m"), "--corrections", str(bad))
    assert done.returncode == 2 and "no 'answer' column" in done.stderr
    assert not (tmp_path / "m").exists()


def test_review_page_saves_the_corrections_scan_applies(exam, class_scans, roster, scanned, browser, tmp_path):
    """In Chromium, at desk and phone size: the fields to check, each with its picture; an answer typed is kept
    over a reload, and the saved corrections.csv is what --corrections reads."""
    _, scans = class_scans
    _, out = scanned
    entries = _rows(out / "review.csv")
    at = next(i for i, entry in enumerate(entries) if entry["column"] != "id")  # a question's field
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto((out / "review.html").as_uri())
        assert page.locator("section.field").count() == len(entries)
        field = page.locator("section.field").nth(at)
        assert field.locator("img").evaluate("i => i.naturalWidth") > 50
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        field.locator("input").fill("999")
        page.reload()
        assert page.locator("section.field").nth(at).locator("input").input_value() == "999"
        with page.expect_download() as download:
            page.click("#save")
        saved = tmp_path / f"corrections-{width}.csv"
        download.value.save_as(saved)
        page.close()
    rows = _rows(saved)
    assert rows[at]["answer"] == "999" and rows[at]["where"] == entries[at]["where"]
    assert [r["answer"] for k, r in enumerate(rows) if k != at] == [""] * (len(rows) - 1)
    done = convzoo_here(
        "scan",
        str(exam),
        str(scans),
        "--out",
        str(tmp_path / "m"),
        "--roster",
        str(roster),
        "--corrections",
        str(saved),
    )
    assert done.returncode == 0, done.stderr
    corrected = [r for r in _rows(tmp_path / "m" / "review.csv") if r["where"] == entries[at]["where"]]
    assert all(r["column"] != entries[at]["column"] for r in corrected)  # corrected: no longer to check
    row = next(r for r in _rows(tmp_path / "m" / "answers.csv") if r["id"] == entries[at]["id"])
    assert row[entries[at]["column"]] == "999"
