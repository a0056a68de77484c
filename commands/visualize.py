"""``convzoo visualize``: PNGs of what a trained model sees: the digit, the first layer's filters, every conv,
pooling and dense layer's output."""

from __future__ import annotations

import click

from ..zoo.errors import ConvzooError


@click.command()
@click.option("--model", "model_path", required=True, metavar="PATH")
@click.option("--index", type=click.IntRange(0), default=None, help="Which test digit to show (default 0).")
@click.option("--image", "image_path", metavar="FILE", help="Your own digit instead (prepared as predict does).")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--out", default="visualize", show_default=True, metavar="DIR")
def visualize(model_path, index, image_path, data, out):
    """PNGs: the digit the model is given (with its label and the prediction), the first conv layer's filters and
    every conv, pooling and dense layer's output for it, on colour scales marked at zero."""
    from pathlib import Path

    from ..zoo.keras import photos, training

    if image_path and index is not None:
        raise ConvzooError("give either --index (a test digit) or --image FILE (your own), not both")
    model = training.load_model(model_path)
    if image_path:
        digit, label = photos.digit_from_image(image_path), None
        if digit is None:
            raise ConvzooError(f"{image_path}: no stroke stands out from the paper; expected one handwritten digit")
    else:
        mnist = training.load_mnist(data)
        index = index or 0
        if index >= len(mnist.x_test):
            raise ConvzooError(
                f"--index {index} is past the {len(mnist.x_test)} test digits (0-{len(mnist.x_test) - 1})"
            )
        digit, label = mnist.x_test[index], int(mnist.y_test[index])
    for path in training.visualize(model, digit, Path(out), label):
        click.echo(f"wrote {path}")
