"""A training run from start to finish: ``run`` takes the command's options (and a resumed run's), ``train``
trains and writes the run's files."""

from __future__ import annotations

import os
import shutil
from contextlib import nullcontext
from pathlib import Path
from typing import NamedTuple

from ...cluster import Cluster, read_cluster
from ...recipe import RECIPE, VALIDATION, memory_available, memory_needed, mnist_refusal, training_options
from ..backend import load_keras
from ..errors import TrainingError
from ..mnist import Mnist, load_mnist
from .data import fit_inputs
from .evaluate import evaluate_model
from .folder import (
    RUN_DEFAULTS,
    RUN_OPTIONS,
    SAVING,
    Clock,
    CtrlC,
    Interrupted,
    default_run_dir,
    interrupted_line,
    prepare_run,
    recorded_options,
    resume_command,
    write_json,
)
from .loops import Job, distribution_strategy, fit, join_cluster, train_workers
from .plots import plot_confusion, plot_curves

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


class Run(NamedTuple):
    """A finished training run: its folder and its metrics.json (None on a multi-worker run's other workers:
    the chief writes the run)."""

    path: Path
    metrics: dict | None


def run(
    name: str,
    *,
    data: str | Mnist | None = None,
    out: str | Path | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    lr: float | None = None,
    augment: bool | None = None,
    seed: int | None = None,
    resume: bool = False,
    force: bool = False,
    strategy: str | None = None,
    limit: int | None = None,
    test_curve: bool | None = None,
    verbose: int | str = "auto",
    exit_on_ctrl_c: bool = False,
) -> Run:
    """``convzoo train`` with its defaults: the recipe's epochs, batch size and learning rate, MNIST from
    ``data`` (a path to Keras' .npz, or keras.datasets.mnist), the run in ``out`` (runs/NAME-<timestamp>).

    A run remembers its options in ``run.json``: ``resume`` continues it with them (so ``--resume`` alone is
    enough), refuses an option given with another value, and takes ``epochs`` as the new total.

    Ctrl-C raises Interrupted (its line says what was kept); with ``exit_on_ctrl_c`` (the command line) it ends
    the process at once, with status 130 and that line, even in the middle of a long TensorFlow step."""
    refusal = mnist_refusal(name)
    if refusal:
        raise TrainingError(refusal)
    out = Path(out) if out else default_run_dir(name)
    path = str(Path(data).resolve()) if isinstance(data, (str, Path)) else None  # the run is resumed from anywhere
    given = {
        "data": path,
        "limit": limit,
        "batch_size": batch_size,
        "lr": lr,
        "augment": augment,
        "seed": seed,
        "strategy": strategy,
        "test_curve": test_curve,
    }
    given = {k: v for k, v in given.items() if v is not None}
    recorded = recorded_options(out, name) if resume else {}
    differ = [k for k, v in given.items() if k in recorded and recorded[k] != v]
    if differ:
        was = ", ".join(f"--{k.replace('_', '-')} {recorded[k]}" for k in differ)
        raise TrainingError(
            f"{out} was trained with {was}; --resume continues a run as it was (leave those out), "
            "--force starts it again with new options"
        )
    options = {**RUN_DEFAULTS, **recorded, **given}
    cluster = read_cluster(os.environ.get("TF_CONFIG")) if options["strategy"] == "multiworker" else None
    total_epochs: int = epochs or recorded.get("epochs") or RECIPE["epochs"]
    command = resume_command(name, out, options, total_epochs)
    command = f"{command} (on every worker, with its TF_CONFIG)" if cluster else command
    # a run folder of this run's own (or one --force empties), taken away if Ctrl-C comes before any epoch ends
    made = not resume and (force or not out.exists() or not any(out.iterdir()))
    try:
        with CtrlC(out, command, made) if exit_on_ctrl_c else nullcontext():
            mnist = data if isinstance(data, Mnist) else load_mnist(options["data"])
            record = {"model": name, **{k: options[k] for k in RUN_OPTIONS}, "seconds": recorded.get("seconds", 0.0)}
            metrics = train(
                name,
                out=out,
                data=mnist,
                epochs=total_epochs,
                batch_size=options["batch_size"],
                lr=options["lr"],
                augment=options["augment"],
                seed=options["seed"],
                resume=resume,
                force=force,
                strategy=options["strategy"],
                limit=options["limit"],
                verbose=verbose,
                test_curve=options["test_curve"],
                record=record,
                cluster=cluster,
            )
    except KeyboardInterrupt:
        line = interrupted_line(out, command)
        if made and "nothing was kept" in line:
            shutil.rmtree(out, ignore_errors=True)
        raise Interrupted(line) from None
    return Run(out, metrics)


def train(
    name: str,
    *,
    out: Path,
    data: Mnist,
    epochs: int,
    batch_size: int,
    lr: float,
    augment: bool,
    seed: int,
    resume: bool,
    force: bool,
    strategy: str = "default",
    limit: int | None = None,
    verbose: int | str = "auto",
    test_curve: bool = False,
    record: dict | None = None,
    cluster: Cluster | None = None,
) -> dict | None:
    """Train zoo model ``name``; write run.json (``record``: the run's options, and ``seconds`` so far),
    model.keras, history.json, metrics.json, curves.png and confusion.png. Under ``--strategy multiworker``
    (``cluster``: this process's task) every worker trains and only the chief writes the run."""
    from ...registry import get

    distribution = distribution_strategy(strategy)
    if cluster is not None:
        join_cluster(
            distribution,
            cluster,
            {
                "--batch-size": batch_size,
                "--limit": limit or 0,
                "--seed": seed,
                "--lr": lr,
                "--augment": augment,
                "--epochs": epochs,
                "--resume": resume,
                "--data (its images)": len(data.x_train),
            },
        )
    model_options = training_options(name)  # ImageNet's models: a 10-class head at their smallest input
    analysed = get(name).analyze(**model_options)
    shape = analysed.input_shape
    needed, available = memory_needed(analysed, batch_size), memory_available()
    if available is not None and needed > available * 0.8:
        raise TrainingError(
            f"{name} at {'x'.join(map(str, shape))} needs about {needed / 2**30:.1f} GB to train in "
            f"batches of {batch_size}; this machine has {available / 2**30:.1f} GB free: try a "
            "smaller --batch-size"
        )
    writes = cluster is None or cluster.is_chief
    history = prepare_run(out, resume, force) if writes else {}
    record = {
        "model": name,
        **(record or {}),
        "epochs": epochs,
        "model_options": {k: list(v) if isinstance(v, tuple) else v for k, v in model_options.items()},
    }
    keras.utils.set_random_seed(seed)
    x_train, y_train = data.x_train[:-VALIDATION], data.y_train[:-VALIDATION]
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    x_train = fit_inputs(x_train, shape)
    validation = (fit_inputs(data.x_train[-VALIDATION:], shape), data.y_train[-VALIDATION:])
    test = (fit_inputs(data.x_test, shape), data.y_test) if test_curve else None
    clock = Clock(out / "run.json", record)
    if writes:
        write_json(out / "run.json", record)
    job = Job(
        name,
        model_options,
        distribution,
        out,
        x_train,
        y_train,
        validation,
        test,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        seed=seed,
        augment=augment,
        resume=resume,
        history=history,
        clock=clock,
    )
    if cluster is not None:
        try:
            model = train_workers(job, cluster)
        except tf.errors.OpError as err:  # a worker that stopped (its own message says why) or went away
            raise TrainingError(
                f"{cluster.name}: the run stopped because another worker did "
                f"({err.__class__.__name__}); its output says why"
            ) from None
        if not writes:
            return None
    else:
        model = fit(job, verbose)
    metrics = evaluate_model(model, data, shape)
    metrics.update(epochs=len(history.get("loss", [])), seconds=clock.total())  # every part of the run
    plot_curves(history, out / "curves.png")
    plot_confusion(metrics["confusion_matrix"], out / "confusion.png")
    with SAVING:  # metrics.json last: a run interrupted before it is finished by --resume
        model.save(out / "model.keras")
        record["seconds"] = metrics["seconds"]
        write_json(out / "run.json", record)
        write_json(out / "metrics.json", metrics)
        shutil.rmtree(out / "backup", ignore_errors=True)  # the run is complete
    return metrics
