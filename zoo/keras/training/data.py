"""MNIST: the archive read and checked (one line for every way it can be wrong), the digits made the model's
inputs, and the batches a training loop reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...recipe import VALIDATION
from ..backend import load_keras
from ..errors import TrainingError

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # of the training images scaled to [0, 1]


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
            (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
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


def fit_inputs(images: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """uint8 digits (N x 28 x 28) as the model's input: standardised, padded to 32x32 as LeNet-5's paper does
    (or resized for larger inputs), and repeated over the channels."""
    height, width, channels = shape
    x = (images.astype("float32") / 255.0 - MNIST_MEAN) / MNIST_STD
    h, w = x.shape[1:3]
    background = -MNIST_MEAN / MNIST_STD  # what a blank pixel is after standardising
    if height >= h and width >= w and (height - h) % 2 == 0 and (width - w) % 2 == 0 and height - h <= 8:
        ph, pw = (height - h) // 2, (width - w) // 2
        x = np.pad(x, ((0, 0), (ph, ph), (pw, pw)), constant_values=background)
    elif (height, width) != (h, w):
        x = tf.image.resize(x[..., None], (height, width)).numpy()[..., 0]
    return np.repeat(x[..., None], channels, axis=-1)


def dataset(
    x: np.ndarray, y: np.ndarray, batch_size: int, seed: int | None = None, augment: bool = False
) -> tf.data.Dataset:
    """(x, y) in batches (shuffled with ``seed`` anew every epoch, and distorted with ``augment``)."""
    data = tf.data.Dataset.from_tensor_slices((x, y))
    if seed is not None:
        data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size)
    if augment:  # small shifts, rotations and zooms: the paper's "distortions"
        distort = keras.Sequential(
            [
                keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", fill_value=float(x.min())),
                keras.layers.RandomRotation(0.04, fill_mode="constant", fill_value=float(x.min())),
                keras.layers.RandomZoom(0.08, fill_mode="constant", fill_value=float(x.min())),
            ]
        )
        data = data.map(
            lambda images, labels: (distort(images, training=True), labels), num_parallel_calls=tf.data.AUTOTUNE
        )
    return data.prefetch(tf.data.AUTOTUNE)
