"""``convzoo train``: a zoo model learns MNIST; curves, confusion matrix and the model in a resumable run
folder."""

from __future__ import annotations

import sys

import click

from ..zoo.engine import plural
from ..zoo.errors import ConvzooError
from ..zoo.recipe import SEED as TRAINING_SEED
from ..zoo.recipe import mnist_refusal
from .common import Stopped


@click.command()
@click.argument("name")
@click.option("--epochs", type=click.IntRange(1), default=None, help="Default: the recipe's (see README).")
@click.option("--batch-size", type=click.IntRange(1), default=None)
@click.option("--lr", type=click.FloatRange(0, min_open=True), default=None, help="Peak learning rate (Adam).")
@click.option(
    "--augment", is_flag=True, default=None, help="Small random shifts, rotations and zooms (the paper's distortions)."
)
@click.option("--seed", type=int, default=None, help=f"Default: {TRAINING_SEED}.")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--out", metavar="DIR", help="Default: runs/NAME-<timestamp>.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the run in --out from its last finished epoch, with the "
    "options it was started with (--epochs N: train on to N epochs).",
)
@click.option("--force", is_flag=True, help="Start the run in --out again, replacing it.")
@click.option(
    "--strategy",
    type=click.Choice(["default", "mirrored", "multiworker"]),
    default=None,
    help="tf.distribute (default: default): mirrored over this machine's devices; multiworker over the "
    "machines TF_CONFIG names (see README).",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Train on the first N images only (a quick try).")
@click.option(
    "--test-curve",
    is_flag=True,
    default=None,
    help="Also evaluate on the test set after every epoch (history.json gains test_loss and test_accuracy).",
)
def train(name, epochs, batch_size, lr, augment, seed, data, out, resume, force, strategy, limit, test_curve):
    """Train a zoo model on MNIST (e.g. convzoo train lenet5): curves, confusion matrix and the model in --out."""
    refusal = mnist_refusal(name)  # an unknown model, or one that cannot learn MNIST: before TensorFlow starts
    if refusal:
        raise ConvzooError(refusal)
    if resume and not out:
        raise ConvzooError("--resume needs the run's --out DIR")
    if strategy == "multiworker":  # a bad TF_CONFIG: one line before TensorFlow starts
        import os

        from ..zoo.cluster import read_cluster

        read_cluster(os.environ.get("TF_CONFIG"))
    from ..zoo.keras import training

    out = out or str(training.default_run_dir(name))
    try:
        run = training.run(
            name,
            data=data,
            out=out,
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            augment=augment,
            seed=seed,
            resume=resume,
            force=force,
            strategy=strategy,
            limit=limit,
            test_curve=test_curve,
            exit_on_ctrl_c=True,
        )
    except training.Interrupted as interrupted:  # a Ctrl-C while Ctrl-C's own thread was not yet watching
        click.echo(("\n" if sys.stderr.isatty() else "") + interrupted.args[0], err=True)
        raise Stopped from None
    metrics = run.metrics
    if metrics is None:  # a multi-worker run's other workers: the chief writes the run
        click.echo("this worker's part is done; the chief writes the run")
        return
    click.echo(
        f"test accuracy {metrics['test_accuracy']:.2%} (test loss {metrics['test_loss']:.4f}) after "
        f"{plural(metrics['epochs'], 'epoch')}, {metrics['seconds']} s"
    )
    click.echo(f"wrote {out}/run.json, model.keras, history.json, metrics.json, curves.png, confusion.png")
