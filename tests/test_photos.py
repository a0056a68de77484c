"""Predictions on photos, as learners take them: 200 photo-like digits made from MNIST's test images (scaled,
moved off-centre, on grey paper lit unevenly and noisy, dark on light or light on dark, some JPEG-compressed,
some drawn on a transparent PNG), read by `predict`'s own preparation and named by a trained LeNet-5."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"
pytestmark = pytest.mark.skipif(not MNIST.exists(), reason=f"the real MNIST is not at {MNIST}")


def photo_like(digit: np.ndarray, rng: random.Random, kind: str):
    from PIL import Image

    size = round(28 * rng.uniform(3, 8))
    ink = np.asarray(Image.fromarray(digit).resize((size, size), Image.BILINEAR), dtype="float32") / 255
    height, width = round(size * rng.uniform(1.2, 2.2)), round(size * rng.uniform(1.2, 2.2))
    top, left = rng.randint(0, height - size), rng.randint(0, width - size)
    alpha = np.zeros((height, width), dtype="float32")
    alpha[top:top + size, left:left + size] = ink
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
def model_path(tmp_path_factory) -> Path:
    """LeNet-5 trained briefly (the recipe over 2 epochs: about 98.5% on the clean test set)."""
    out = tmp_path_factory.mktemp("lenet5") / "run"
    done = subprocess.run([sys.executable, "-m", "convzoo", "train", "lenet5", "--data", str(MNIST), "--epochs", "2",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out / "model.keras"


def test_photo_like_digits_are_named_right(photos, model_path):
    from convzoo.zoo.keras import training

    model = training.load_model(str(model_path))
    wrong = [(path.name, label, best) for path, label in photos
             for (best, _), *_ in [training.predict_digit(model, training.digit_from_image(str(path)))]
             if best != label]
    assert len(wrong) <= 10, wrong  # at least 95% of 200


def test_predict_shows_what_the_model_was_given(photos, model_path, tmp_path):
    from PIL import Image

    path, label = next((p, y) for p, y in photos if p.suffix == ".png")
    shown = tmp_path / "given.png"
    done = subprocess.run([sys.executable, "-m", "convzoo", "predict", "--model", str(model_path), str(path), "--show",
                           str(shown)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[0] == str(label)
    with Image.open(shown) as given:
        assert given.size == (28, 28)
        pixels = np.asarray(given)
    assert pixels[0].max() == 0 and pixels.max() == 255  # light on dark, the border blank: MNIST's way
