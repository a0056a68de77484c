"""``convzoo evaluate``: a trained model's test accuracy, loss and per-class accuracy."""

from __future__ import annotations

import click

from .common import emit_json


@click.command()
@click.option("--model", "model_path", required=True, metavar="PATH", help="A model.keras from convzoo train.")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate(model_path, data, as_json):
    """Test accuracy, loss and per-class accuracy of a trained model (--json adds the confusion matrix)."""
    from ..zoo.keras import training

    model = training.load_model(model_path)
    metrics = training.evaluate_model(model, training.load_mnist(data))
    if as_json:
        emit_json(metrics)
        return
    click.echo(f"test accuracy {metrics['test_accuracy']:.2%}, test loss {metrics['test_loss']:.4f}")
    click.echo("per class: " + "  ".join(f"{d}: {a:.1%}" for d, a in enumerate(metrics["per_class_accuracy"])))
