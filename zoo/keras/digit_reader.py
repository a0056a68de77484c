"""The handwritten digits of a scanned answer sheet, read by a model of the zoo trained on MNIST by convzoo's own
training code and shipped in the package (digits.keras beside it, 4.8 MB; no download at run time):

    convzoo train mnist_cnn --augment --data mnist.npz --out run     (5 epochs, seed 1998: 99.17% on MNIST's test set)

then saved without its optimizer. Keras' classic MNIST CNN rather than LeNet-5: both read 98.8% of MNIST's test
digits printed into boxes and scanned (benchmarks/scan_accuracy.py's pipeline), but it is sure of more of them and
wrong less often when sure (at 0.97: 96% sure, 0.13% wrong, against LeNet-5's 94% and 0.40%, 15 epochs), which is
what keeps a person's review short and a mark never silently wrong. The digits are framed as ``predict`` frames a
picture (photos.py) and fed to the model as ``predict`` feeds it (training/data.py's fit_inputs)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "digits.keras"


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
