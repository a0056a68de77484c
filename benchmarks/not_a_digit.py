"""How often `predict` says a picture does not look like a digit: on MNIST's 10,000 test digits and on 200
photo-like ones (false warnings), and on pictures that are no digit at all: noise, blank paper and text (caught).

A picture is said not to be a digit when no stroke stands out from its paper (its ink is less than
STROKE_CONTRAST times the paper's own spread: nothing to predict), or when the digit it frames is outside the
ranges of MNIST's training digits (MIN_ASPECT, MAX_COVER, MAX_PIECES in zoo/keras/photos.py).

Run: python benchmarks/not_a_digit.py [--count 100] [--data PATH.npz]   (about 30 s on 2 cores)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"
FONTS = sorted(Path("/usr/share/fonts/truetype/dejavu").glob("*.ttf"))
WORDS = [
    "Hello",
    "convzoo",
    "the cat sat on the mat",
    "MNIST",
    "abc",
    "Quiz 3",
    "hi",
    "Lorem ipsum dolor",
    "ok",
    "Name:",
    "CNN",
    "pooling",
    "stride 2",
    "x = 7",
    "See you",
    "Thanks!",
    "ReLU",
    "dropout",
    "Keras",
    "page 4",
]


def noise(rng: np.random.Generator, size: int):
    from PIL import Image

    kind = rng.integers(3)
    if kind == 0:  # colour noise
        return Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
    if kind == 1:  # grey noise
        return Image.fromarray(np.clip(rng.normal(128, rng.uniform(10, 60), (size, size)), 0, 255).astype("uint8"))
    pepper = np.where(rng.random((size, size)) < rng.uniform(0.02, 0.3), 0, 255)  # salt and pepper
    return Image.fromarray(pepper.astype("uint8"))


def blank(rng: np.random.Generator, size: int):
    """A photo of paper with nothing on it: a grey level, light falling from one side, the camera's noise."""
    from PIL import Image

    rows, cols = np.mgrid[0:size, 0:size] / size
    angle = rng.uniform(0, 2 * np.pi)
    paper = rng.uniform(120, 240) + rng.uniform(-40, 40) * (np.cos(angle) * cols + np.sin(angle) * rows)
    return Image.fromarray(np.clip(paper + rng.normal(0, rng.uniform(0, 8), paper.shape), 0, 255).astype("uint8"))


def text(rng: np.random.Generator, index: int):
    """A word or a line of print, or two lines, dark on light paper."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONTS[index % len(FONTS)]), int(rng.integers(24, 90)))
    words = WORDS[index % len(WORDS)]
    if index % 3 == 0:
        words += "\n" + WORDS[(index * 7 + 1) % len(WORDS)]
    picture = Image.new("L", (900, 400), int(rng.integers(180, 250)))
    ImageDraw.Draw(picture).multiline_text((30, 40), words, font=font, fill=int(rng.integers(0, 80)))
    return picture


def verdicts(pictures, photos) -> tuple[int, int]:
    """(no stroke found, framed but unlike MNIST) over the pictures."""
    none = unlike = 0
    for picture in pictures:
        digit = photos.digit_from_grey(np.asarray(picture.convert("L"), dtype="float32"))
        if digit is None:
            none += 1
        elif photos.unlike_mnist(digit):
            unlike += 1
    return none, unlike


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="pictures of each kind of non-digit")
    parser.add_argument("--data", default=str(MNIST), help=f"MNIST in Keras' layout (default: {MNIST})")
    options = parser.parse_args()
    count = options.count
    sys.path.insert(0, str(ROOT / "tests"))
    from convzoo.zoo.keras import photos
    from test_photos import photo_like  # the photo-like digits of the tests

    with np.load(options.data) as mnist:
        x_test = mnist["x_test"]
    flagged = sum(bool(photos.unlike_mnist(d)) for d in x_test)
    print(
        f"MNIST test digits (as framed): {flagged} of {len(x_test)} said not to be a digit "
        f"({flagged / len(x_test):.2%}, false warnings)"
    )
    rng, pick = np.random.default_rng(22), random.Random(7)
    photo_like_digits = [
        photo_like(
            x_test[pick.randrange(len(x_test))], pick, pick.choice(["dark on light"] * 5 + ["light on dark"] * 2)
        )
        for _ in range(200)
    ]
    none, unlike = verdicts(photo_like_digits, photos)
    print(
        f"photo-like MNIST test digits: {none + unlike} of {len(photo_like_digits)} said not to be a digit "
        f"({(none + unlike) / len(photo_like_digits):.1%}, false warnings: {none} no stroke, {unlike} unlike MNIST)"
    )
    for name, make in (
        ("noise", lambda i: noise(rng, int(rng.integers(40, 900)))),
        ("blank paper", lambda i: blank(rng, int(rng.integers(40, 900)))),
        ("text", lambda i: text(rng, i)),
    ):
        none, unlike = verdicts([make(i) for i in range(count)], photos)
        print(
            f"{name}: {none + unlike} of {count} said not to be a digit ({(none + unlike) / count:.0%}, caught: "
            f"{none} no stroke, {unlike} unlike MNIST)"
        )


if __name__ == "__main__":
    main()
