"""A class's answer sheets filled in by hand and scanned, made the way they come back: the printed sheets rendered
to pixels, answers written into the boxes with handwritten digits from MNIST's test split (never its training
split), ticks as pen-like crosses, then each page rotated, shifted, scaled, blurred, noised and saved as JPEG,
some upside down, some photographed in perspective, and the pages shuffled.

Shared by tests/test_scan.py and benchmarks/scan_accuracy.py. What is written comes from a student's answers
(column -> text, as answers.csv holds them), so a test compares what scan reads with what was written."""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

DPI = 150


@dataclass
class Digits:
    """MNIST's test digits by class (light on dark, 28x28 uint8)."""

    by_class: list[np.ndarray]

    @classmethod
    def load(cls, path: Path) -> Digits:
        with np.load(path) as data:
            x, y = data["x_test"], data["y_test"]
        return cls([x[y == d] for d in range(10)])

    def pick(self, rng: random.Random, digit: int) -> np.ndarray:
        pool = self.by_class[digit]
        return pool[rng.randrange(len(pool))]


def render_pages(pdf: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Every page of the printed PDF as grey pixels (uint8), as a printer would put it on paper."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    pages = [
        np.asarray(document[k].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        for k in range(len(document))
    ]
    document.close()
    return pages


def _px(mm: float, dpi: int) -> float:
    return mm * dpi / 25.4


def write_digit(page: np.ndarray, rect, digit_image: np.ndarray, rng: random.Random, dpi: int) -> None:
    """A handwritten digit in a box: MNIST's digit scaled to about the box's height, a little off centre, in ink."""
    x, y, w, h = rect
    size = _px(h * rng.uniform(0.85, 1.0), dpi)  # MNIST's 28 pixels hold a 20-pixel digit: the box holds its 28
    ink = Image.fromarray(digit_image).resize((round(size), round(size)), Image.Resampling.BILINEAR)
    left = _px(x + w / 2, dpi) - size / 2 + _px(rng.uniform(-0.5, 0.5), dpi)
    top = _px(y + h / 2, dpi) - size / 2 + _px(rng.uniform(-0.5, 0.5), dpi)
    _ink(page, np.asarray(ink, dtype="float32") / 255, round(left), round(top), rng.uniform(0.75, 1.0))


def tick(page: np.ndarray, rect, rng: random.Random, dpi: int, fill: bool = False) -> None:
    """A cross (or a fill) in a tick box, drawn with a pen's width and a hand's wobble."""
    x, y, w, h = rect
    scale = 4  # drawn large, then shrunk: soft edges like a pen's
    canvas = Image.new("L", (round(_px(w + 2, dpi) * scale), round(_px(h + 2, dpi) * scale)), 0)
    draw = ImageDraw.Draw(canvas)
    cw, ch = canvas.size
    if fill:
        draw.rectangle([cw * 0.2, ch * 0.2, cw * 0.8, ch * 0.8], fill=255)
    else:
        width = round(_px(rng.uniform(0.35, 0.6), dpi) * scale)
        j = lambda: rng.uniform(-0.06, 0.06) * cw  # noqa: E731
        draw.line([(cw * 0.2 + j(), ch * 0.2 + j()), (cw * 0.8 + j(), ch * 0.8 + j())], fill=255, width=width)
        draw.line([(cw * 0.8 + j(), ch * 0.2 + j()), (cw * 0.2 + j(), ch * 0.8 + j())], fill=255, width=width)
    small = canvas.resize((max(1, cw // scale), max(1, ch // scale)), Image.Resampling.BOX)
    _ink(page, np.asarray(small, dtype="float32") / 255, round(_px(x - 1, dpi)), round(_px(y - 1, dpi)), 0.9)


def _ink(page: np.ndarray, strength: np.ndarray, left: int, top: int, darkness: float) -> None:
    h, w = strength.shape
    region = page[top : top + h, left : left + w]
    region[...] = np.minimum(region, 255 - strength[: region.shape[0], : region.shape[1]] * 255 * darkness)


def _combs(field: dict) -> dict[int, list[dict]]:
    """A field's digit boxes by comb (a volume's H, W, D; a decimal's whole part and fraction)."""
    combs: dict[int, list[dict]] = {}
    for box in field["boxes"]:
        if box["holds"] == "digit":
            combs.setdefault(box.get("comb", 0), []).append(box)
    return combs


def _numbers(field: dict, text: str) -> list[str]:
    """A number's text (its sign taken off) as its combs hold it: '28x28x6' in a volume's three, '2.25' as a
    decimal's whole part and fraction."""
    if field["form"] == "volume" and len(_combs(field)) == 3:
        return text.split("x")
    if field["form"] == "decimal":
        whole, _, fraction = text.partition(".")
        return [whole, fraction]
    return [text.replace(",", "")]


def fill_field(
    page: np.ndarray, field: dict, text: str, digits: Digits, rng: random.Random, dpi: int
) -> list[tuple[dict, int]]:
    """Write ``text`` (as answers.csv holds it) into a field's boxes; returns each digit box written, and what."""
    marks = {b["value"]: b for b in field["boxes"] if b["holds"] == "mark"}
    if not text:
        return []
    if text in marks:  # an option: a letter, fits, does not fit
        tick(page, marks[text]["rect_mm"], rng, dpi, fill=rng.random() < 0.15)
        return []
    if text.startswith("-"):
        tick(page, marks["-"]["rect_mm"], rng, dpi)
        text = text[1:]
    combs, written = _combs(field), []
    for k, number in enumerate(_numbers(field, text)):
        boxes = combs[k]
        start = rng.randint(0, len(boxes) - len(number)) if rng.random() < 0.3 else 0  # any boxes, left to right
        for box, character in zip(boxes[start:], number):
            write_digit(page, box["rect_mm"], digits.pick(rng, int(character)), rng, dpi)
            written.append((box, int(character)))
    return written


def distort(page: np.ndarray, rng: random.Random, upside_down: bool = False, photo: bool = False) -> Image.Image:
    """A page as a scanner (or a phone) gives it back: turned a little, shifted, scaled, blurred, noised."""
    image = Image.fromarray(page)
    if upside_down:
        image = image.rotate(180)
    if photo:  # a phone held over the desk: the page on a darker desk, in perspective, in uneven light
        w, h = image.size
        desk = Image.new("L", (round(w * 1.16), round(h * 1.16)), rng.randint(60, 120))
        desk.paste(image, (round(w * 0.08), round(h * 0.08)))
        dw, dh = desk.size
        d = lambda: rng.uniform(0.0, 0.06)  # noqa: E731
        # a camera's view is a projective map (PIL's QUAD is bilinear: no camera bends straight lines)
        seen = [
            (d() * dw, d() * dh),
            (dw - d() * dw, d() * dh),
            (dw - d() * dw, dh - d() * dh),
            (d() * dw, dh - d() * dh),
        ]
        image = desk.transform(
            (dw, dh),
            Image.Transform.PERSPECTIVE,
            _perspective([(0, 0), (dw, 0), (dw, dh), (0, dh)], seen),
            Image.Resampling.BILINEAR,
        )
        shade = np.linspace(rng.uniform(0.7, 0.85), 1.0, dw, dtype="float32")[None, :]
        image = Image.fromarray((np.asarray(image, dtype="float32") * shade).astype("uint8"))
    image = image.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    scale = rng.uniform(0.97, 1.03)
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    shifted = Image.new("L", (image.width + 40, image.height + 40), 255)
    shifted.paste(image, (rng.randint(0, 40), rng.randint(0, 40)))
    image = shifted.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    noisy = np.asarray(image, dtype="float32") + np.random.default_rng(rng.randrange(1 << 30)).normal(
        0, 6, image.size[::-1]
    )
    return Image.fromarray(noisy.clip(0, 255).astype("uint8"))


def _perspective(out_corners, in_corners) -> list[float]:
    """PIL's PERSPECTIVE coefficients: each output pixel's place in the input, corner to corner."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(out_corners, in_corners):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, dtype="float64"), np.array(rhs, dtype="float64")))


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def layout_of(exam: Path) -> dict:
    return json.loads((exam / "layout.json").read_text())


def writable(field: dict, text: str) -> bool:
    """Whether ``text`` can be written in the field's boxes (a named mistake's '5x5x16' cannot, in one comb)."""
    marks = {b["value"] for b in field["boxes"] if b["holds"] == "mark"}
    if text in marks or not text:
        return True
    if text.startswith("-"):
        if "-" not in marks:
            return False
        text = text[1:]
    combs, numbers = _combs(field), _numbers(field, text)
    if field["form"] == "decimal" and not numbers[1]:  # a whole number in a decimal's boxes: no fraction
        numbers = numbers[:1]
    return len(numbers) <= len(combs) and all(n.isdigit() and len(n) <= len(combs[k]) for k, n in enumerate(numbers))


def sheet_answers(
    quiz, label: str, fields: dict, rng: random.Random, wrong: float = 0.1, blank: float = 0.08
) -> dict[str, str]:
    """What a student of version ``label`` writes, column -> text as answers.csv holds it: mostly the key, some a
    named mistake's answer or a digit off (wrong), some nothing (blank); ``fields``: column -> its field in
    layout.json, whose boxes hold every answer written."""
    from convzoo.questions.choices import LETTERS
    from convzoo.questions.grade import question_columns

    sheet = quiz.sheets[label]
    out = {}
    for n, k, header in question_columns(quiz):
        if n >= len(sheet.questions):
            continue
        question, parts = sheet.questions[n], sheet.parts[n]
        if question.choices:
            if k == 0:
                right = next(i for i, c in enumerate(question.choices) if c.correct)
                pick = rng.randrange(len(question.choices)) if rng.random() < wrong else right
                out[header] = "" if rng.random() < blank else LETTERS[pick]
            continue
        if k >= len(parts):
            continue
        part = parts[k]
        text = _written(part.type.text(part.key))
        roll = rng.random()
        if roll < blank:
            text = ""
        elif roll < blank + wrong:
            mistaken = _written(part.type.text(rng.choice(part.mistakes).value)) if part.mistakes else ""
            text = (
                mistaken
                if mistaken and rng.random() < 0.5 and writable(fields[header], mistaken)
                else _digit_off(text, rng)
            )
        assert writable(fields[header], text), (header, text)
        out[header] = text
    return out


def _written(text: str) -> str:
    """An answer as written in boxes: digits without thousands' commas or a percent sign."""
    return text.replace(",", "").rstrip("%")


def _digit_off(text: str, rng: random.Random) -> str:
    places = [i for i, c in enumerate(text) if c.isdigit()]
    if not places:
        return text
    i = rng.choice(places)
    return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1 :]


@dataclass
class WrittenPage:
    """One page a student wrote, as scanned (turned, blurred, ...), and each digit box written on it, and what."""

    student_id: str
    entry: dict  # its page in layout.json
    image: Image.Image
    digits: list[tuple[dict, int]]


def written_class(
    exam: Path,
    labels: list[str],
    digits: Digits,
    rng: random.Random,
    photo_share: float = 0.1,
    upside_down_share: float = 0.1,
    dpi: int = DPI,
) -> tuple[list[tuple[str, str, dict[str, str]]], list[WrittenPage]]:
    """Student k writes version labels[k] (their ID 2023xxxx in its comb where there is one) and their answers;
    each page is scanned (distorted), some as a photo, some upside down. Returns each student's (id, version,
    answers) and their pages, in order."""
    from convzoo.questions.grade import read_quiz

    quiz = read_quiz((exam / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    layout = layout_of(exam)
    printed = render_pages(exam / "sheets.pdf", dpi)
    students, pages = [], []
    for k, label in enumerate(labels):
        sheet = quiz.sheets[label]
        student_id = sheet.student["id"] if sheet.student else f"2023{1000 + k * 37:04d}"
        fields = {f["column"]: f for p in layout["pages"] if p["sheet"] == label for f in p["fields"]}
        answers = sheet_answers(quiz, label, fields, rng)
        students.append((student_id, label, answers))
        for entry in layout["pages"]:
            if entry["sheet"] != label:
                continue
            page, written = printed[entry["page"] - 1].copy(), []
            for field in entry["fields"]:
                text = student_id if field["column"] == "id" else answers.get(field["column"], "")
                written += fill_field(page, field, text, digits, rng, dpi)
            upside_down, photo = rng.random() < upside_down_share, rng.random() < photo_share
            pages.append(WrittenPage(student_id, entry, distort(page, rng, upside_down, photo), written))
    return students, pages


@dataclass
class ScannedClass:
    """A class's sheets, written and scanned: each student's id, version and answers, and the files of the scans."""

    students: list[tuple[str, str, dict[str, str]]]
    files: list[Path]
    pages: int
    writers: dict[str, str]  # each scanned page (as scan names it: 'scan-003.pdf page 2') -> who wrote it


def scanned_class(
    exam: Path,
    out: Path,
    labels: list[str],
    digits: Digits,
    seed: int = 7,
    photo_share: float = 0.1,
    upside_down_share: float = 0.1,
    pdf_share: float = 0.5,
    dpi: int = DPI,
) -> ScannedClass:
    """A class's sheets written and scanned (``written_class``), shuffled into JPEG files and multi-page PDFs (a
    scanner's), in ``out``."""
    rng = random.Random(seed)
    students, pages = written_class(exam, labels, digits, rng, photo_share, upside_down_share, dpi)
    scans = [(page.image, page.student_id) for page in pages]
    rng.shuffle(scans)
    out.mkdir(parents=True, exist_ok=True)
    files, at, writers = [], 0, {}
    while at < len(scans):
        if rng.random() < pdf_share:  # a scanner's PDF of a few pages
            batch = scans[at : at + rng.randint(2, 8)]
            path = out / f"scan-{len(files):03d}.pdf"
            images = [image for image, _ in batch]
            images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=80)
            writers.update({f"{path} page {k}": who for k, (_, who) in enumerate(batch, start=1)})
        else:
            batch = scans[at : at + 1]
            path = out / f"photo-{len(files):03d}.jpg"
            path.write_bytes(jpeg(batch[0][0]))
            writers[str(path)] = batch[0][1]
        files.append(path)
        at += len(batch)
    return ScannedClass(students, files, len(scans), writers)
