"""The handwritten digits of a scanned answer sheet read by the zoo's own LeNet-5, trained on MNIST by convzoo's
training code and shipped in the package (weights/digits-lenet5.keras, 283 KB; no download at run time):

    convzoo train lenet5 --augment --data mnist.npz --out run     (5 epochs, seed 1998: test accuracy 98.89%)

then saved without its optimizer. The digits are framed as ``predict`` frames a picture (photos.py) and fed to
the model as ``predict`` feeds it (training/data.py's fit_inputs)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "weights" / "digits-lenet5.keras"


@cache
def digit_model():
    from .training.models import load_model

    return load_model(str(WEIGHTS))


def read_digits(digits: list[np.ndarray]) -> list[tuple[int, float]]:
    """Each 28x28 digit (uint8, light on dark) as (the likeliest digit, its probability)."""
    from .training.data import fit_inputs

    model = digit_model()
    outputs = model.predict(fit_inputs(np.stack(digits), tuple(model.input_shape[1:])), batch_size=512, verbose=0)
    best = outputs.argmax(axis=1)
    return [(int(d), float(o[d])) for d, o in zip(best, outputs)]
