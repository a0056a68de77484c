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

    def pick(self, rng: random.Random, digit: int) -> tuple[np.ndarray, int]:
        pool = self.by_class[digit]
        index = rng.randrange(len(pool))
        return pool[index], index


def render_pages(pdf: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Every page of the printed PDF as grey pixels (uint8), as a printer would put it on paper."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    pages = [
        np.asarray(document[k].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) for k in range(len(document))
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


def fill_field(page: np.ndarray, field: dict, text: str, digits: Digits, rng: random.Random, dpi: int) -> list[int]:
    """Write ``text`` (as answers.csv holds it) into a field's boxes; the MNIST test indices used."""
    used: list[int] = []
    marks = {b["value"]: b for b in field["boxes"] if b["holds"] == "mark"}
    combs: dict[int, list[dict]] = {}
    for box in field["boxes"]:
        if box["holds"] == "digit":
            combs.setdefault(box.get("comb", 0), []).append(box)
    if not text:
        return used
    if text in marks:  # an option: a letter, fits, does not fit
        tick(page, marks[text]["rect_mm"], rng, dpi, fill=rng.random() < 0.15)
        return used
    if text.startswith("-"):
        tick(page, marks["-"]["rect_mm"], rng, dpi)
        text = text[1:]
    if field["form"] == "volume" and len(combs) == 3:
        numbers = text.split("x")
    elif field["form"] == "decimal":
        whole, _, fraction = text.partition(".")
        numbers = [whole, fraction]
    else:
        numbers = [text.replace(",", "")]
    for k, number in enumerate(numbers):
        boxes = combs[k]
        start = rng.randint(0, len(boxes) - len(number)) if rng.random() < 0.3 else 0  # any boxes, left to right
        for box, character in zip(boxes[start:], number):
            image, index = digits.pick(rng, int(character))
            write_digit(page, box["rect_mm"], image, rng, dpi)
            used.append(index)
    return used


def distort(page: np.ndarray, rng: random.Random, upside_down: bool = False, photo: bool = False) -> Image.Image:
    """A page as a scanner (or a phone) gives it back: turned a little, shifted, scaled, blurred, noised."""
    image = Image.fromarray(page)
    if upside_down:
        image = image.rotate(180)
    if photo:  # a phone held over the desk: perspective, uneven light
        w, h = image.size
        d = lambda: rng.uniform(0.0, 0.06)  # noqa: E731
        corners = [(d() * w, d() * h), (w - d() * w, d() * h), (w - d() * w, h - d() * h), (d() * w, h - d() * h)]
        image = image.transform((w, h), Image.Transform.QUAD, [c for p in corners for c in p], Image.Resampling.BILINEAR,
                                fillcolor=90)
        shade = np.linspace(rng.uniform(0.7, 0.85), 1.0, w, dtype="float32")[None, :]
        image = Image.fromarray((np.asarray(image, dtype="float32") * shade).astype("uint8"))
    image = image.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    scale = rng.uniform(0.97, 1.03)
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    shifted = Image.new("L", (image.width + 40, image.height + 40), 255)
    shifted.paste(image, (rng.randint(0, 40), rng.randint(0, 40)))
    image = shifted.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    noisy = np.asarray(image, dtype="float32") + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, image.size[::-1])
    return Image.fromarray(noisy.clip(0, 255).astype("uint8"))


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def layout_of(exam: Path) -> dict:
    return json.loads((exam / "layout.json").read_text())
