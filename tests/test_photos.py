"""Predictions on photos, as learners take them: 200 photo-like digits made from MNIST's test images (scaled,
moved off-centre, on grey paper lit unevenly and noisy, dark on light or light on dark, some JPEG-compressed,
some drawn on a transparent PNG), read by `predict`'s own preparation and named by a trained LeNet-5."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import MNIST, convzoo_here

pytestmark = pytest.mark.skipif(not MNIST.exists(), reason=f"the real MNIST is not at {MNIST}")


def photo_like(digit: np.ndarray, rng: random.Random, kind: str):
    from PIL import Image

    size = round(28 * rng.uniform(3, 8))
    ink = np.asarray(Image.fromarray(digit).resize((size, size), Image.BILINEAR), dtype="float32") / 255
    height, width = round(size * rng.uniform(1.2, 2.2)), round(size * rng.uniform(1.2, 2.2))
    top, left = rng.randint(0, height - size), rng.randint(0, width - size)
    alpha = np.zeros((height, width), dtype="float32")
    alpha[top : top + size, left : left + size] = ink
    if kind == "transparent":  # black ink on a transparent sheet
        rgba = np.zeros((height, width, 4), dtype="uint8")
        rgba[..., 3] = (alpha * 255).astype("uint8")
        return Image.fromarray(rgba, "RGBA")
    rows, cols = np.mgrid[0:height, 0:width] / max(height, width)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * cols + np.sin(angle) * rows  # light falling from one side
    paper = rng.uniform(150, 230) + rng.uniform(-45, 45) * (ramp - ramp.mean())
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 10), alpha.shape)
    contrast = rng.uniform(70, 140)
    grey = (255 - paper) * 0.6 + alpha * contrast if kind == "light on dark" else paper - alpha * contrast
    return Image.fromarray(np.clip(grey + noise, 0, 255).astype("uint8"), "L")


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    data = np.load(MNIST)
    rng = random.Random(7)
    made = []
    for n in range(200):
        i = rng.randrange(len(data["x_test"]))
        kind = rng.choice(["dark on light"] * 5 + ["light on dark"] * 2 + ["transparent"] * 2)
        picture = photo_like(data["x_test"][i], rng, kind)
        jpeg = kind != "transparent" and rng.random() < 0.5
        path = folder / f"{n:03d}.{'jpg' if jpeg else 'png'}"
        picture.convert("RGB").save(path, quality=rng.randint(40, 85)) if jpeg else picture.save(path)
        made.append((path, int(data["y_test"][i])))
    return made


@pytest.fixture(scope="module")
def model_path(lenet5_run) -> Path:
    """LeNet-5 trained briefly (the recipe over 2 epochs: about 98.5% on the clean test set)."""
    return lenet5_run / "model.keras"


def test_photo_like_digits_are_named_right(photos, model_path):
    from convzoo.zoo.keras import training
    from convzoo.zoo.keras.photos import digit_from_image

    model = training.load_model(str(model_path))
    digits = np.stack([digit_from_image(str(path)) for path, _ in photos])  # read as `predict` reads many
    wrong = [
        (path.name, label, best)
        for (path, label), (((best, _), *_), _) in zip(photos, training.predict_digits(model, digits))
        if best != label
    ]
    assert len(wrong) <= 10, wrong  # at least 95% of 200


def test_predict_shows_what_the_model_was_given(photos, model_path, tmp_path):
    from PIL import Image

    path, label = next((p, y) for p, y in photos if p.suffix == ".png")
    shown = tmp_path / "given.png"
    done = convzoo_here("predict", "--model", str(model_path), str(path), "--show", str(shown))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[0] == str(label)
    with Image.open(shown) as given:
        assert given.size == (28, 28)
        pixels = np.asarray(given)
    assert pixels[0].max() == 0 and pixels.max() == 255  # light on dark, the border blank: MNIST's way


def _digit_png(path: Path, digit: np.ndarray, side: int, canvas: tuple[int, int]) -> Path:
    """A test digit drawn dark on white, ``side`` pixels high, on a white canvas of ``canvas`` (width, height)."""
    from PIL import Image

    page = Image.new("L", canvas, 255)
    page.paste(Image.fromarray(255 - digit).resize((side, side), Image.NEAREST), (canvas[0] // 5, canvas[1] // 4))
    page.save(path, compress_level=1)
    return path


def _predict(*argv) -> subprocess.CompletedProcess:
    """`convzoo predict ARGV` in this process (the model is read and TensorFlow started once for the module)."""
    return convzoo_here("predict", *argv)


def _predict_in_a_process(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "convzoo", "predict", *argv], capture_output=True, text=True)


def test_a_picture_larger_than_pils_limit_is_scaled_down_and_one_too_large_to_decode_is_one_line(model_path, tmp_path):
    import struct
    import zlib

    with np.load(MNIST) as data:
        digit, label = data["x_test"][0], int(data["y_test"][0])
    big = _digit_png(tmp_path / "big.png", digit, 6000, (13500, 13500))  # 182 megapixels: PIL refuses over 179
    done = _predict("--model", str(model_path), str(big))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[0].split()[0] == str(label)
    # 20000x20000 (400 megapixels): refused from its header, before anything is decoded

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    huge = tmp_path / "huge.png"
    huge.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(20001)))
        + chunk(b"IEND", b"")
    )
    done = _predict("--model", str(model_path), str(huge))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"{huge}: 20000x20000 pixels (400 megapixels) is more than predict decodes" in done.stderr


def _pictures_that_are_no_digit(folder: Path) -> dict[str, Path]:
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(22)
    made = {"noise": folder / "noise.png", "blank": folder / "blank.jpg", "text": folder / "text.png"}
    Image.fromarray(rng.integers(0, 256, (300, 300, 3), dtype=np.uint8)).save(made["noise"])
    Image.fromarray(np.clip(rng.normal(200, 4, (400, 300)), 0, 255).astype("uint8")).save(made["blank"])
    text = Image.new("L", (800, 200), 240)
    font = ImageFont.truetype("DejaVuSans.ttf", 60) if _has_dejavu() else ImageFont.load_default(60)
    ImageDraw.Draw(text).text((20, 50), "Hello class", font=font, fill=20)
    text.save(made["text"])
    return made


def _has_dejavu() -> bool:
    from PIL import ImageFont

    try:
        ImageFont.truetype("DejaVuSans.ttf", 10)
        return True
    except OSError:
        return False


def test_many_pictures_and_a_folder_in_one_run_one_line_each(photos, model_path, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    chosen = [(p, y) for p, y in photos if p.suffix == ".png"][:4]
    for path, _ in chosen[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "notes.txt").write_text("not a picture: a folder gives its pictures only")
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    last = chosen[3][0]
    started = time.perf_counter()
    done = _predict_in_a_process("--model", str(model_path), str(folder), str(broken), str(last))
    seconds = time.perf_counter() - started
    assert done.returncode == 2  # a picture could not be read: said on its line, the others predicted
    assert done.stderr == f"convzoo: error: {broken}: not an image convzoo can read (UnidentifiedImageError)\n"
    lines = done.stdout.splitlines()
    expected = sorted(str(folder / p.name) for p, _ in chosen[:3]) + [str(last)]
    assert [line.split(": ", 1)[0] for line in lines] == expected
    labels = {p.name: y for p, y in chosen}
    right = sum(
        line.split(": ", 1)[1].split()[0] == str(labels[Path(path).name]) for path, line in zip(expected, lines)
    )
    assert right >= 3 and all(re.fullmatch(r".*: \d \d+\.\d%, \d \d+\.\d%, \d \d+\.\d%", line) for line in lines)
    assert seconds < 60  # TensorFlow starts once, not four times
    done = _predict("--model", str(model_path), str(folder), "--show", str(tmp_path / "x.png"))
    assert done.returncode == 2 and "--show writes one picture; 3 images were given" in done.stderr


def test_pictures_that_are_no_digit_are_said_so_with_exit_0(photos, model_path, tmp_path):
    made = _pictures_that_are_no_digit(tmp_path)
    digit = next(p for p, _ in photos if p.suffix == ".png")
    done = _predict("--model", str(model_path), *map(str, made.values()), str(digit))
    assert done.returncode == 0, done.stderr
    said = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    assert said[str(made["noise"])] == "no digit: no stroke stands out from the paper"
    assert said[str(made["blank"])] == "no digit: no stroke stands out from the paper"
    assert "warning: this does not look like a digit: it is" in said[str(made["text"])]
    assert "warning" not in said[str(digit)]
    done = _predict("--model", str(model_path), str(made["text"]))  # one picture: its top 3, then the warning
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 4 and lines[3].startswith("warning: this does not look like a digit")


def test_mnist_test_digits_are_seldom_said_not_to_look_like_digits():
    from convzoo.zoo.keras import photos

    with np.load(MNIST) as data:
        flagged = sum(bool(photos.unlike_mnist(d)) for d in data["x_test"])
    assert flagged <= 60  # of 10,000: 47 (benchmarks/not_a_digit.py also measures noise, blank paper and text)
