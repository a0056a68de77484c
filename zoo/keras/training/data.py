"""MNIST's digits made the model's inputs, and the batches a training loop reads (the archive itself is read by
``zoo.keras.mnist``, without TensorFlow)."""

from __future__ import annotations

import numpy as np

from ..backend import load_keras

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # of the training images scaled to [0, 1]


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
