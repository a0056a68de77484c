"""MNIST read and checked, one line for every way it can be wrong: numpy only, so that a command reads (and
refuses) its data before TensorFlow starts. Keras is imported only to fetch keras.datasets.mnist."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..recipe import VALIDATION
from .backend import load_keras
from .errors import TrainingError


@dataclass
class Mnist:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_mnist(path: str | None, parts: tuple[str, ...] = ("train", "test")) -> Mnist:
    """MNIST in Keras' layout from ``path`` (.npz), or keras.datasets.mnist (its cache, or its download).
    ``parts=("test",)`` reads only the test set (the training arrays are then empty): a sixth of the file."""
    if path is None:
        try:
            (x_train, y_train), (x_test, y_test) = load_keras().datasets.mnist.load_data()
        except Exception as err:  # a download that fails says many things; the user needs one line
            raise TrainingError(
                f"could not load keras.datasets.mnist ({err.__class__.__name__}: {err}); "
                "give a local copy with --data PATH.npz"
            ) from None
        arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        source = "keras.datasets.mnist"
    else:
        source = path
        try:
            with np.load(path, allow_pickle=False) as archive:
                missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in archive.files]
                if missing:
                    raise TrainingError(
                        f"{path}: no {', '.join(missing)} in it; expected Keras' MNIST layout "
                        "(x_train, y_train, x_test, y_test)"
                    )
                arrays = {f"{x}_{part}": archive[f"{x}_{part}"] for part in parts for x in "xy"}
        except TrainingError:
            raise
        except FileNotFoundError:
            raise TrainingError(f"{path}: no such file") from None
        except ValueError as err:
            if "pickled" in str(err):  # numpy's word for any file that is not an array archive (a PNG, a CSV)
                raise TrainingError(
                    f"{path}: not an .npz archive; expected MNIST in Keras' layout (x_train, y_train, x_test, y_test)"
                ) from None
            raise TrainingError(f"{path}: not a readable .npz file ({err})") from None
        except Exception as err:  # truncated or corrupt: zipfile, zlib and numpy each raise their own
            raise TrainingError(f"{path}: not a readable .npz file ({err.__class__.__name__}: {err})") from None
    for part in parts:
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.dtype != np.uint8:
            raise TrainingError(f"{source}: x_{part} must be N x H x W uint8 images, got shape {x.shape} {x.dtype}")
        if y.shape != (x.shape[0],) or not np.issubdtype(y.dtype, np.integer):
            raise TrainingError(
                f"{source}: y_{part} must be {x.shape[0]} integer labels, got shape {y.shape} {y.dtype}"
            )
        if y.size and (y.min() < 0 or y.max() > 9):
            raise TrainingError(f"{source}: y_{part} has labels outside 0-9 (from {y.min()} to {y.max()})")
    if arrays["x_test"].shape[0] == 0:
        raise TrainingError(f"{source}: no test images (x_test is empty); a run is measured on them")
    if "train" not in parts:
        arrays.update(x_train=arrays["x_test"][:0], y_train=arrays["y_test"][:0])
    elif arrays["x_train"].shape[0] <= VALIDATION:
        raise TrainingError(
            f"{source}: {arrays['x_train'].shape[0]} training images; more than {VALIDATION} are "
            "needed, as the last ones are held out for validation"
        )
    return Mnist(**arrays)


def find_test_set(data: str | None, recorded: str | None) -> tuple[Mnist | None, str]:
    """MNIST's test set for a model's pictures, and where it was read: ``data`` (asked for: a bad file is the
    user's to fix, in one line), else ``recorded`` (the run's own --data), else keras' downloaded copy, the
    first that reads; without one, None and how to give one."""
    if data:
        return load_mnist(data, parts=("test",)), data
    cached = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets" / "mnist.npz"  # keras' copy
    for path in (recorded, str(cached)):
        if path and Path(path).is_file():
            try:
                return load_mnist(path, parts=("test",)), path
            except TrainingError:
                continue
    return None, "no MNIST test set found: start explore with --data PATH.npz to load test digits"
