"""The handwritten digits of a scanned answer sheet, read by a model of the zoo trained on MNIST by convzoo's own
training code and shipped in the package (digits.keras beside it, 4.8 MB; no download at run time):

    convzoo train mnist_cnn --augment --epochs 15 --data mnist.npz --out run   (seed 1998: 99.39% on MNIST's test set)

then saved without its optimizer. Keras' classic MNIST CNN rather than LeNet-5, and 15 epochs rather than 5: on
2,254 digits of MNIST's test split written into a class's boxes and scanned (benchmarks/scan_digits.py: the pages
of scan_accuracy.py --seed 12's first 24 students), LeNet-5 (15 epochs) reads 99.0% right and is sure (0.97) of
96.2%, this network after 5 epochs 99.2% and 96.9%, after 15 epochs 99.3% and 97.7%; wrong and sure of 0.09%,
0.04% and 0.18% (2, 1 and 4 digits). Being sure of more digits is what keeps a person's review short: a field
is sure when every digit of it is. The digits are framed as ``predict`` frames a picture (photos.py's
mnist_frame) and fed to the model as ``predict`` feeds it (training/data.py's fit_inputs)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "digits.keras"


@cache
def digit_model():
    from .training.models import load_model

    return load_model(str(WEIGHTS))


def read_digits(digits: list[np.ndarray]) -> list[tuple[float, ...]]:
    """Each 28x28 digit (uint8, light on dark) as the probabilities of 0 to 9."""
    from .training.data import fit_inputs

    model = digit_model()
    outputs = model.predict(fit_inputs(np.stack(digits), tuple(model.input_shape[1:])), batch_size=512, verbose=0)
    return [tuple(map(float, o)) for o in outputs]
