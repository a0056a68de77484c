"""The two training loops: Keras' fit on one machine (its CPU, or its devices mirrored), and a loop of our own
that every worker of a multi-worker run runs in step."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...cluster import Cluster
from ...engine import plural
from ...recipe import EXTENSION_PEAK
from ..backend import load_keras
from ..errors import TrainingError
from .data import dataset
from .evaluate import loss_and_accuracy
from .folder import SAVING, Clock, History, Saving
from .models import compile_with_recipe, is_rbf, load_model, rbf_loss, weights_digest

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


def distribution_strategy(name: str):
    """TensorFlow's distribution strategy for --strategy NAME (default: none, the process's own device)."""
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":  # reads TF_CONFIG; it must come before any other TensorFlow op of the process
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


class _TestCurve(keras.callbacks.Callback):
    """--test-curve: test loss and accuracy after every epoch, into the history (for the benchmark's
    time-to-accuracy, and for learners who want the test curve)."""

    def __init__(self, x, y):
        super().__init__()
        self.data = dataset(x, y, 1000)

    def on_epoch_end(self, epoch, logs=None):
        loss, accuracy = self.model.evaluate(self.data, verbose=0)
        logs["test_loss"], logs["test_accuracy"] = loss, accuracy


@dataclass(frozen=True)
class Job:
    """What a run's training loop is given, whichever loop it is: the zoo model (its name and options) under a
    distribution strategy, the run folder, the data (validation always; test for --test-curve), the recipe's
    numbers, whether it resumes, the history so far and the run's clock."""

    name: str
    model_options: dict
    distribution: tf.distribute.Strategy
    out: Path
    x_train: np.ndarray
    y_train: np.ndarray
    validation: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray] | None
    epochs: int
    batch_size: int
    lr: float
    seed: int
    augment: bool
    resume: bool
    history: dict
    clock: Clock


def fit(job: Job, verbose: int | str) -> keras.Model:
    """One machine (its CPU, or --strategy mirrored over its devices): Keras' model.fit, a checkpoint an epoch."""
    from ...registry import build

    finished = len(job.history.get("loss", []))
    # --resume of a completed run (its backup is gone) carries the saved model on to more epochs; otherwise
    # BackupAndRestore picks up an interrupted run by itself, from a fresh model
    extending = job.resume and not (job.out / "backup").exists()
    if extending and finished >= job.epochs:
        if not (job.out / "metrics.json").exists():  # interrupted after its last epoch: only its measures are left
            return load_model(str(job.out / "model.keras"))
        raise TrainingError(f"{job.out} has already trained {plural(finished, 'epoch')}; ask for more with --epochs")
    with job.distribution.scope():
        if extending:  # the finished schedule ended at 1% of the peak: the extra epochs get a cycle of their own
            model = compile_with_recipe(
                load_model(str(job.out / "model.keras")),
                job.epochs - finished,
                len(job.x_train),
                job.batch_size,
                job.lr * EXTENSION_PEAK,
            )
        else:
            model = compile_with_recipe(
                build(job.name, **job.model_options), job.epochs, len(job.x_train), job.batch_size, job.lr
            )
    callbacks = [_TestCurve(*job.test)] if job.test else []
    callbacks += [
        Saving(hold=True),
        keras.callbacks.BackupAndRestore(str(job.out / "backup")),  # every epoch: what --resume starts from
        keras.callbacks.ModelCheckpoint(str(job.out / "model.keras")),
        History(job.out / "history.json", job.history),
        job.clock,
        Saving(hold=False),
    ]
    model.fit(
        dataset(job.x_train, job.y_train, job.batch_size, job.seed, job.augment),
        validation_data=dataset(*job.validation, 1000),
        epochs=job.epochs,
        initial_epoch=finished if extending else 0,
        callbacks=callbacks,
        verbose=(1 if sys.stdout.isatty() else 2) if verbose == "auto" else verbose,  # no \r bars in a file
        shuffle=False,
    )
    return model


def train_workers(job: Job, cluster: Cluster) -> keras.Model:
    """--strategy multiworker: Keras' fit cannot train under MultiWorkerMirroredStrategy (keras-team/keras
    issue 20585), so every worker runs this loop. Each takes its share of the same shuffled batch; the gradients
    are summed over the workers, so all take the same step and end with the same weights. The chief saves the
    model after every epoch; --resume starts every worker from it."""
    from ...registry import build

    chief = cluster.is_chief
    # where the run stands, known from the chief's folder: epochs done, and whether the run was complete
    standing = np.array(
        [len(job.history.get("loss", [])), job.resume and (job.out / "metrics.json").exists()], "float32"
    )
    done, complete = (int(v) for v in _summed(job.distribution, standing, only_first=True))
    if complete and done >= job.epochs:
        raise TrainingError(f"{job.out} has already trained {plural(done, 'epoch')}; ask for more with --epochs")
    with job.distribution.scope():
        model = build(job.name, **job.model_options)
        # a complete run's schedule ended at 1% of the peak: the extra epochs get a cycle of their own
        cycle_epochs, peak = (job.epochs - done, job.lr * EXTENSION_PEAK) if complete else (job.epochs, job.lr)
        compile_with_recipe(model, cycle_epochs, len(job.x_train), job.batch_size, peak)
        model.optimizer.build(model.trainable_variables)
    state = model.weights + ([] if complete else model.optimizer.variables)  # a new cycle: a new optimizer
    source = state
    if done and chief:
        saved = load_model(str(job.out / "model.keras"))
        source = saved.weights + ([] if complete else saved.optimizer.variables)
        if [tuple(v.shape) for v in source] != [tuple(v.shape) for v in state]:
            raise TrainingError(
                f"{job.out}/model.keras does not hold a {job.name} as this run builds it; --force starts the run again"
            )
    mine = np.concatenate([np.ravel(np.asarray(v.numpy(), "float32")) for v in source])
    shared, start = _summed(job.distribution, mine, only_first=True), 0  # every worker starts from the chief's state
    for variable in state:
        size = int(np.prod(variable.shape))
        variable.assign(shared[start : start + size].reshape(variable.shape).astype(variable.dtype))
        start += size

    rbf = is_rbf(model)
    loss_of = rbf_loss if rbf else keras.losses.sparse_categorical_crossentropy

    @tf.function
    def step(images, labels):
        def replica(images, labels):
            labels = tf.cast(labels, "int32")
            with tf.GradientTape() as tape:
                outputs = model(images, training=True)
                per_image = loss_of(labels, outputs)
                loss = tf.nn.compute_average_loss(per_image)  # over the global batch
            gradients = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            guess = tf.argmin(outputs, 1) if rbf else tf.argmax(outputs, 1)
            right = tf.reduce_sum(tf.cast(tf.equal(tf.cast(guess, "int32"), labels), "float32"))
            return tf.stack([tf.reduce_sum(per_image), right, tf.cast(tf.size(labels), "float32")])

        return job.distribution.reduce("SUM", job.distribution.run(replica, args=(images, labels)), axis=None)

    batches = dataset(job.x_train, job.y_train, job.batch_size, job.seed, job.augment)
    policy = tf.data.Options()
    policy.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    batches = job.distribution.experimental_distribute_dataset(batches.with_options(policy))
    for epoch in range(done, job.epochs):
        began = time.time()
        totals = np.zeros(3)
        for images, labels in batches:
            totals += step(images, labels).numpy()
        logs = {"loss": totals[0] / totals[2], "accuracy": totals[1] / totals[2]}
        logs.update(zip(("val_loss", "val_accuracy"), loss_and_accuracy(model, *job.validation)))
        if job.test is not None:
            logs.update(zip(("test_loss", "test_accuracy"), loss_and_accuracy(model, *job.test)))
        print(
            f"{cluster.name}: epoch {epoch + 1}/{job.epochs} - {time.time() - began:.0f}s - "
            + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()),
            flush=True,
        )
        if chief:
            with SAVING:
                model.save(job.out / "model.keras")
                History(job.out / "history.json", job.history).on_epoch_end(epoch, logs)
                job.clock.on_epoch_end(epoch, logs)
    print(f"{cluster.name}: done, weights sha256 {weights_digest(model)}", flush=True)
    return model


def _summed(distribution, values: np.ndarray, only_first: bool = False) -> np.ndarray:
    """``values`` summed over every replica of every worker (an all-reduce); with ``only_first``, only the
    first replica adds, and it lives on the chief: every worker gets the chief's values."""
    values = tf.constant(values)

    def replica():
        context = tf.distribute.get_replica_context()
        mine = (
            tf.where(tf.equal(context.replica_id_in_sync_group, 0), values, tf.zeros_like(values))
            if only_first
            else values
        )
        return context.all_reduce("SUM", mine)

    return distribution.experimental_local_results(distribution.run(replica))[0].numpy()


def join_cluster(distribution, cluster: Cluster, options: dict) -> None:
    """Wait for every worker, then check that all were given the same options: n*sum(v^2) = (sum v)^2 only
    where every worker's v is the same."""
    print(
        f"{cluster.name}: waiting for the cluster's {len(cluster.addresses)} workers ({', '.join(cluster.addresses)})",
        flush=True,
    )
    mine = np.array([float(v) for v in options.values()], "float64")
    total = _summed(distribution, np.concatenate([mine, mine**2, [1.0]]))
    values, squares, count = total[: len(mine)], total[len(mine) : -1], total[-1]
    differ = [name for name, v, q in zip(options, values, squares) if not np.isclose(count * q, v * v, rtol=1e-9)]
    if differ:
        raise TrainingError(
            f"the workers were started with different {', '.join(differ)}: start every worker with "
            "the same command (only TF_CONFIG's task index differs)"
        )
