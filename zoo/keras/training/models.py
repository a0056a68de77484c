"""The model side of the recipe: its compile (optimizer, schedule, loss), LeNet-5 1998's RBF loss, a model file
read back, and a fingerprint of the weights."""

from __future__ import annotations

import numpy as np

from ...recipe import RECIPE, VALIDATION
from ..backend import load_keras
from ..errors import TrainingError

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402


def rbf_loss(y_true, distances):
    """LeNet-5 (1998)'s output gives distances: the nearest code is the class, so -distance is a logit."""
    return keras.losses.sparse_categorical_crossentropy(y_true, -distances, from_logits=True)


def rbf_accuracy(y_true, distances):
    return keras.metrics.sparse_categorical_accuracy(y_true, -distances)


def is_rbf(model) -> bool:
    return type(model.layers[-1]).__name__ == "RBFOutput"


def weights_digest(model) -> str:
    """A short fingerprint of a model's weights: the workers of a run print it, and it is the same on all."""
    import hashlib

    weights = hashlib.sha256()
    for variable in model.weights:
        weights.update(np.ascontiguousarray(variable.numpy()).tobytes())
    return weights.hexdigest()[:16]


def compile_with_recipe(
    model,
    epochs: int = RECIPE["epochs"],
    images: int = 60000 - VALIDATION,
    batch_size: int = RECIPE["batch_size"],
    lr: float = RECIPE["lr"],
):
    """The recipe: Adam, a warm-up of an eighth of the steps, then cosine decay to 1% of the peak; the loss and
    accuracy for softmax outputs, or for LeNet-5 1998's RBF distances."""
    steps = epochs * int(np.ceil(images / batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(
        lr * 0.1, decay_steps=steps, warmup_target=lr, warmup_steps=max(1, steps // 8), alpha=0.01
    )
    rbf = is_rbf(model)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=rbf_loss if rbf else "sparse_categorical_crossentropy",
        metrics=[rbf_accuracy if rbf else "accuracy"],
    )
    return model


def load_model(path: str):
    from .. import layers as keras_layers  # noqa: F401  (registers LeNet-5 1998's layers for loading)

    try:
        return keras.models.load_model(path, custom_objects={"rbf_loss": rbf_loss, "rbf_accuracy": rbf_accuracy})
    except FileNotFoundError:
        raise TrainingError(f"{path}: no such model file") from None
    except Exception as err:
        raise TrainingError(f"{path}: not a Keras model file ({err.__class__.__name__})") from None
