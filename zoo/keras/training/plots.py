"""The pictures of a run (curves.png, confusion.png) and ``convzoo visualize``'s (the digit, the filters, the
activation maps). matplotlib draws to files only."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..backend import load_keras
from ..errors import TrainingError
from .data import fit_inputs
from .evaluate import predict_digit

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    return plt


def plot_curves(history: dict, path: Path) -> None:
    """Loss and accuracy per epoch: training, validation and, when recorded (--test-curve), test."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    accuracy = next((m for m in history if "accuracy" in m and not m.startswith(("val_", "test_"))), "accuracy")
    for axis, metric, test in ((left, "loss", "test_loss"), (right, accuracy, "test_accuracy")):  # --test-curve's
        for key, label in ((metric, "training"), (f"val_{metric}", "validation"), (test, "test")):
            if history.get(key):
                axis.plot(range(1, len(history[key]) + 1), history[key], marker="o", label=label)
        axis.set_xlabel("epoch")
        epochs = len(history.get(metric, []))
        if epochs <= 20:  # epochs are whole: no 1.2, 1.4, ..., nor 0.95 around a single epoch
            axis.set_xticks(range(1, epochs + 1))
        else:
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.set_title(metric.replace("rbf_", ""))
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_confusion(confusion: list[list[int]], path: Path) -> None:
    """The confusion matrix with every count written in its cell; the errors coloured on a scale of their own,
    so that a handful of them shows next to a diagonal of a thousand."""
    plt = _pyplot()
    counts = np.array(confusion)
    errors = counts.copy()
    np.fill_diagonal(errors, 0)
    figure, axis = plt.subplots(figsize=(6.5, 6))
    shown = np.ma.masked_where(np.eye(10, dtype=bool), errors)
    image = axis.imshow(shown, cmap="Reds", vmin=0, vmax=max(1, errors.max()))
    axis.imshow(np.ma.masked_where(~np.eye(10, dtype=bool), counts), cmap="Greys", vmin=0, vmax=counts.max() * 3)
    for i in range(10):
        for j in range(10):
            if counts[i, j] or i == j:
                dark = i != j and errors[i, j] > errors.max() / 2
                axis.text(
                    j,
                    i,
                    str(counts[i, j]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                    fontweight="bold" if i == j else "normal",
                )
    total = counts.sum()
    axis.set_title(f"test accuracy {np.trace(counts) / max(total, 1):.2%}: {errors.sum():,} errors of {total:,}")
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_xticks(range(10))
    axis.set_yticks(range(10))
    figure.colorbar(image, label="errors (off the diagonal)", fraction=0.046)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def visualize(model, digit: np.ndarray, out: Path, label: int | None = None) -> list[Path]:
    """PNGs: the digit as the model receives it, with its label and the prediction; the first conv layer's
    filters; and every conv, pooling and dense layer's output for that digit: maps on one colour scale centred at
    zero (white), its colour bar marked at 0; one value per map, or a dense layer's units, as bars from a zero
    line (the softmax's as the ten digits' probabilities)."""
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    convs = [layer for layer in model.layers if "Conv" in type(layer).__name__]
    if not convs:
        raise TrainingError("the model has no convolution layer to show")
    given = fit_inputs(digit[None], tuple(model.input_shape[1:]))
    (best, probability), *_ = predict_digit(model, digit)
    written = []

    def save(figure, name: str) -> None:
        written.append(out / name)
        figure.savefig(written[-1], dpi=100)
        plt.close(figure)

    figure, axis = plt.subplots(figsize=(3.2, 3.6), layout="constrained")
    axis.imshow(given[0, :, :, 0], cmap="gray")
    axis.axis("off")
    truth = f"label {label}, " if label is not None else ""
    axis.set_title(
        f"{truth}predicted {best} ({probability:.1%})\n{given.shape[1]}x{given.shape[2]}, as the model sees it",
        fontsize=9,
    )
    save(figure, "input.png")

    kernel = next(w for w in convs[0].get_weights() if w.ndim == 4)  # F x F x D1 x K
    count = kernel.shape[-1]
    figure = _maps(plt, kernel[:, :, 0, :], f"{convs[0].name}: the {count} filters (first input channel)", count)
    save(figure, "filters.png")

    shown = [layer for layer in model.layers if any(k in type(layer).__name__ for k in ("Conv", "Pool", "Dense"))]
    probe = keras.Model(model.inputs, [layer.output for layer in shown])
    outputs = probe.predict(given, verbose=0)
    for layer, output in zip(shown, outputs if isinstance(outputs, list) else [outputs]):
        values = output[0]
        if values.ndim == 3 and values.shape[0] * values.shape[1] > 1:
            figure = _maps(plt, values, f"{layer.name}: {values.shape[-1]} maps {values.shape[0]}x{values.shape[1]}")
        else:
            figure = _bars(plt, layer, values.reshape(-1))
        save(figure, f"activations_{layer.name}.png")
    return written


def _maps(plt, values: np.ndarray, title: str, most: int = 32):
    """Maps or filters (H x W x K, the first ``most``; numbered where all are drawn) on one colour scale centred
    at zero, with its bar marked at 0."""
    count = values.shape[-1]
    shown = min(count, most)
    columns = min(shown, 8)
    rows = -(-shown // columns)
    figure, axes = plt.subplots(
        rows, columns, squeeze=False, layout="constrained", figsize=(columns * 1.3 + 1.0, rows * 1.3 + 0.6)
    )
    reach = float(np.abs(values[..., :shown]).max()) or 1.0
    for k, axis in enumerate(axes.flat):
        if k < shown:
            _framed(axis)
            image = axis.imshow(values[:, :, k], cmap="RdBu_r", vmin=-reach, vmax=reach)
            if shown == count:
                axis.set_title(str(k), fontsize=7)
        else:
            axis.axis("off")
    bar = figure.colorbar(image, ax=axes, shrink=0.8, ticks=[-reach, 0, reach])
    bar.ax.set_yticklabels([f"{-reach:.3g}", "0", f"{reach:.3g}"])
    first = f" (the first {shown})" if shown < count else ""
    figure.suptitle(f"{title}{first}; white is 0", fontsize=10)
    return figure


def _bars(plt, layer, values: np.ndarray):
    """One value per map, or a dense layer's units, as bars from a line at zero; a softmax's as the ten digits'
    probabilities."""
    softmax = getattr(getattr(layer, "activation", None), "__name__", "") == "softmax"
    figure, axis = plt.subplots(figsize=(8, 3), layout="constrained")
    axis.bar(range(len(values)), values, color=["#2166ac" if v < 0 else "#b2182b" for v in values])  # as the maps
    axis.axhline(0, color="black", linewidth=0.8)
    if softmax:
        axis.set_xticks(range(len(values)))
        axis.set_xlabel("digit")
        axis.set_ylabel("probability")
        axis.set_ylim(0, 1)
        figure.suptitle(f"{layer.name}: softmax over the {len(values)} digits", fontsize=10)
    else:
        dense = "Dense" in type(layer).__name__
        axis.set_xlabel("unit" if dense else "map")
        axis.set_ylabel("value")
        kind = "units" if dense else "maps, one value each"
        figure.suptitle(f"{layer.name}: {len(values)} {kind} (red above 0, blue below)", fontsize=10)
    return figure


def _framed(axis) -> None:
    """A map's square without ticks, in a light frame: an all-zero (white) map still shows where it is."""
    axis.set_xticks([])
    axis.set_yticks([])
    for spine in axis.spines.values():
        spine.set_color("#bbbbbb")
