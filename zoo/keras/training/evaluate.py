"""A trained model measured and asked: its test metrics, its outputs in batches, its top 3 for a digit."""

from __future__ import annotations

import numpy as np

from ..backend import load_keras
from ..mnist import Mnist
from ..photos import unlike_mnist
from .data import fit_inputs
from .models import is_rbf, rbf_loss

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


def model_outputs(model, x) -> np.ndarray:
    """The model's outputs by direct calls, not model.predict: predict runs collective ops under a multi-worker
    strategy, and the chief evaluates alone after the other workers have finished."""
    return np.concatenate([np.asarray(model(x[i : i + 1000], training=False)) for i in range(0, len(x), 1000)])


def predicted_classes(model, outputs: np.ndarray) -> np.ndarray:
    """The class of each row of outputs: the likeliest, or LeNet-5 1998's nearest code."""
    return outputs.argmin(axis=1) if is_rbf(model) else outputs.argmax(axis=1)


def mean_loss(model, y: np.ndarray, outputs: np.ndarray) -> float:
    loss = rbf_loss if is_rbf(model) else keras.losses.sparse_categorical_crossentropy
    return float(np.mean(loss(y, outputs)))


def loss_and_accuracy(model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    outputs = model_outputs(model, x)
    return mean_loss(model, y, outputs), float(np.mean(predicted_classes(model, outputs) == y))


def evaluate_model(model, data: Mnist, shape: tuple[int, ...] | None = None) -> dict:
    """metrics.json's measures on the test set: accuracy, loss, per-class accuracy, the confusion matrix."""
    shape = shape or tuple(model.input_shape[1:])
    outputs = model_outputs(model, fit_inputs(data.x_test, shape))
    predicted = predicted_classes(model, outputs)
    truth = data.y_test.astype(int)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (truth, predicted), 1)
    loss = mean_loss(model, truth, outputs)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {
        "test_accuracy": round(float((predicted == truth).mean()), 6),
        "test_loss": round(loss, 6),
        "per_class_accuracy": [round(float(a), 6) for a in per_class],
        "confusion_matrix": confusion.tolist(),
    }


def predict_digit(model, digit: np.ndarray) -> list[tuple[int, float]]:
    """The three likeliest classes with their probabilities."""
    outputs = model.predict(fit_inputs(digit[None], tuple(model.input_shape[1:])), verbose=0)[0]
    return top_classes(model, outputs)


def predict_digits(model, digits: np.ndarray) -> list[tuple[list[tuple[int, float]], str]]:
    """For each 28x28 digit: its three likeliest classes, and why it does not look like a digit ("" if it does)."""
    outputs = model.predict(fit_inputs(digits, tuple(model.input_shape[1:])), batch_size=256, verbose=0)
    return [(top_classes(model, o), unlike_mnist(d)) for d, o in zip(digits, outputs)]


def top_classes(model, outputs: np.ndarray) -> list[tuple[int, float]]:
    """The three likeliest classes with their probabilities, from the model's outputs for one digit (softmax
    probabilities, or LeNet-5 1998's distances)."""
    probabilities = tf.nn.softmax(-outputs).numpy() if is_rbf(model) else outputs
    best = np.argsort(probabilities)[::-1][:3]
    return [(int(c), float(probabilities[c])) for c in best]
