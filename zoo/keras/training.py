"""Training the zoo on MNIST: data checks, the recipe, resumable runs, and the run's files.

Imports TensorFlow (through ``zoo.keras.backend``): only ``convzoo train``, ``evaluate``, ``predict`` and
``visualize`` load this module.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import sys
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..cluster import Cluster, read_cluster
from ..engine import plural
from ..recipe import (
    EXTENSION_PEAK,
    RECIPE,
    SEED,
    VALIDATION,
    memory_available,
    memory_needed,
    mnist_refusal,
    training_options,
)
from ..spec import SpecError
from .backend import load_keras

keras = load_keras()
import tensorflow as tf  # noqa: E402  (started quietly by load_keras)

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # of the training images scaled to [0, 1]


class TrainingError(SpecError):
    """Bad data, a bad model file, a run directory in the way: one line for the user."""


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


def rbf_loss(y_true, distances):
    """LeNet-5 (1998)'s output gives distances: the nearest code is the class, so -distance is a logit."""
    return keras.losses.sparse_categorical_crossentropy(y_true, -distances, from_logits=True)


def rbf_accuracy(y_true, distances):
    return keras.metrics.sparse_categorical_accuracy(y_true, -distances)


def _strategy(name: str):
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
        self.data = _dataset(x, y, 1000)

    def on_epoch_end(self, epoch, logs=None):
        loss, accuracy = self.model.evaluate(self.data, verbose=0)
        logs["test_loss"], logs["test_accuracy"] = loss, accuracy


class _History(keras.callbacks.Callback):
    """history.json after every epoch, carried on across --resume (Keras' History starts empty on a restart)."""

    def __init__(self, path: Path, history: dict):
        super().__init__()
        self.path, self.history = path, history

    def on_epoch_end(self, epoch, logs=None):
        for metric, value in (logs or {}).items():
            self.history.setdefault(metric, []).append(float(value))
        _write_json(self.path, self.history)


def _write_json(path: Path, document) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # a run killed mid-write keeps the previous file whole


def _is_rbf(model) -> bool:
    return type(model.layers[-1]).__name__ == "RBFOutput"


def prepare_run(out: Path, resume: bool, force: bool) -> dict:
    """The run directory: refuse an existing one without --resume or --force; return the history so far."""
    history_file = out / "history.json"
    if resume:
        if not (out / "backup").exists() and not history_file.exists():
            raise TrainingError(f"{out}: nothing to resume (no checkpoint there); start a run without --resume")
        return json.loads(history_file.read_text(encoding="utf-8")) if history_file.exists() else {}
    if out.exists() and any(out.iterdir()):
        if not force:
            raise TrainingError(f"{out} already holds a run; --resume continues it, --force starts it again")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return {}


class Run(NamedTuple):
    """A finished training run: its folder and its metrics.json."""

    path: Path
    metrics: dict


def default_run_dir(name: str) -> Path:
    return Path(f"runs/{name}-{time.strftime('%Y%m%d-%H%M%S')}")


RUN_OPTIONS = ("data", "limit", "batch_size", "lr", "augment", "seed", "strategy", "test_curve")
RUN_DEFAULTS = {
    "data": None,
    "limit": None,
    "batch_size": RECIPE["batch_size"],
    "lr": RECIPE["lr"],
    "augment": False,
    "seed": SEED,
    "strategy": "default",
    "test_curve": False,
}


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during training; its argument is the line that says what was kept (``interrupted_line``)."""


# Held while a run's files are written (an epoch's checkpoint and history, the finished run's model and
# metrics): a Ctrl-C meanwhile ends the run once they are whole.
SAVING = threading.RLock()


def interrupted_line(out: Path, command: str) -> str:
    """What a Ctrl-C kept, as the run's folder holds it: its finished epochs and the command that continues them,
    or nothing."""
    try:
        finished = len(json.loads((out / "history.json").read_text(encoding="utf-8")).get("loss", []))
    except (OSError, ValueError):
        finished = 0
    if finished:
        return f"convzoo: interrupted; the finished epochs are kept ({plural(finished, 'epoch')}): {command} continues"
    return "convzoo: interrupted before the first epoch finished; nothing was kept"


class _CtrlC:
    """Ctrl-C ends a ``convzoo train`` process at once, whatever it is doing (a training step, TensorFlow's
    start, a data pipeline), except while a checkpoint is being written: it ends right after that.

    A Python signal handler runs only when the main thread returns to Python, and a TensorFlow step may not
    return for seconds (or, at some moments, Keras loses the KeyboardInterrupt altogether). So the signal's
    C-level handler wakes a thread of ours through ``signal.set_wakeup_fd``; that thread waits for SAVING, prints
    what was kept, takes away a run folder that this run made and that holds no finished epoch, and ends the
    process with status 130 (TensorFlow's threads are not waited for). A SIGINT that the process inherited as
    ignored (a background job of a shell) stays ignored."""

    def __init__(self, out: Path, command: str, made: bool):
        self.out, self.command, self.made = out, command, made

    def __enter__(self):
        if (
            threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        ):
            self.armed = False
            return self
        self.armed = True
        self.reader, writer = socket.socketpair()
        self.writer = writer
        writer.setblocking(False)
        self.previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self.previous = signal.signal(signal.SIGINT, lambda signum, frame: None)  # the thread acts, not Python
        threading.Thread(target=self._watch, name="convzoo-ctrl-c", daemon=True).start()
        return self

    def _watch(self):
        while True:
            woken = self.reader.recv(64)
            if not woken:  # the run is over: nothing to watch
                return
            if signal.SIGINT in woken:
                break
        SAVING.acquire(timeout=120)  # a checkpoint being written is finished first
        line = interrupted_line(self.out, self.command)
        if self.made and "nothing was kept" in line:
            shutil.rmtree(self.out, ignore_errors=True)
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + line + "\n")
        sys.stderr.flush()
        os._exit(130)

    def __exit__(self, *exc):
        if self.armed:
            signal.signal(signal.SIGINT, self.previous)
            signal.set_wakeup_fd(self.previous_fd)
            self.writer.close()  # the thread stays parked on its reader; the process is ending anyway


def resume_command(name: str, out: Path, options: dict, epochs: int) -> str:
    """The command that continues a run, with every option it was started with: run.json remembers them, but
    a multi-worker run's other workers have no run folder."""
    words = ["convzoo", "train", name, "--out", str(out), "--resume", "--epochs", str(epochs)]
    for key in RUN_OPTIONS:
        if options[key] != RUN_DEFAULTS[key]:
            flag = "--" + key.replace("_", "-")
            words += [flag] if options[key] is True else [flag, str(options[key])]
    return shlex.join(words)


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
    recorded = _recorded(out, name) if resume else {}
    differ = [k for k, v in given.items() if k in recorded and recorded[k] != v]
    if differ:
        was = ", ".join(f"--{k.replace('_', '-')} {recorded[k]}" for k in differ)
        raise TrainingError(
            f"{out} was trained with {was}; --resume continues a run as it was (leave those out), "
            "--force starts it again with new options"
        )
    options = {**RUN_DEFAULTS, **recorded, **given}
    cluster = read_cluster(os.environ.get("TF_CONFIG")) if options["strategy"] == "multiworker" else None
    epochs = epochs or recorded.get("epochs") or RECIPE["epochs"]
    command = resume_command(name, out, options, epochs)
    command = f"{command} (on every worker, with its TF_CONFIG)" if cluster else command
    # a run folder of this run's own (or one --force empties), taken away if Ctrl-C comes before any epoch ends
    made = not resume and (force or not out.exists() or not any(out.iterdir()))
    try:
        with _CtrlC(out, command, made) if exit_on_ctrl_c else nullcontext():
            mnist = data if isinstance(data, Mnist) else load_mnist(options["data"])
            record = {"model": name, **{k: options[k] for k in RUN_OPTIONS}, "seconds": recorded.get("seconds", 0.0)}
            metrics = train(
                name,
                out=out,
                data=mnist,
                epochs=epochs,
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


def _recorded(out: Path, name: str) -> dict:
    """The options a run was started with (run.json); {} for a run from before convzoo remembered them."""
    path = out / "run.json"
    if not path.exists():
        return {}
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if recorded.get("model", name) != name:
        raise TrainingError(f"{out} holds a run of {recorded['model']}, not {name}")
    return recorded


class _Saving(keras.callbacks.Callback):
    """Holds SAVING while an epoch's files are written: the first of the epoch-end callbacks takes it, the last
    lets it go."""

    def __init__(self, hold: bool):
        super().__init__()
        self.hold = hold

    def on_epoch_end(self, epoch, logs=None):
        SAVING.acquire() if self.hold else SAVING.release()


class _Clock(keras.callbacks.Callback):
    """Keeps run.json's ``seconds``, the training time of every part of the run, up to date after each epoch."""

    def __init__(self, path: Path, record: dict):
        super().__init__()
        self.path, self.record, self.start, self.before = path, record, time.time(), record.get("seconds", 0.0)

    def total(self) -> float:
        return round(self.before + time.time() - self.start, 1)

    def on_epoch_end(self, epoch, logs=None):
        self.record["seconds"] = self.total()
        _write_json(self.path, self.record)


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
):
    """Train zoo model ``name``; write run.json (``record``: the run's options, and ``seconds`` so far),
    model.keras, history.json, metrics.json, curves.png and confusion.png. Under ``--strategy multiworker``
    (``cluster``: this process's task) every worker trains and only the chief writes the run."""
    from ..registry import get

    distribution = _strategy(strategy)
    if cluster is not None:
        _join(
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
    clock = _Clock(out / "run.json", record)
    if writes:
        _write_json(out / "run.json", record)
    if cluster is not None:
        try:
            model = _train_workers(
                name,
                model_options,
                distribution,
                cluster,
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
        except tf.errors.OpError as err:  # a worker that stopped (its own message says why) or went away
            raise TrainingError(
                f"{cluster.name}: the run stopped because another worker did "
                f"({err.__class__.__name__}); its output says why"
            ) from None
        if not writes:
            return None
    else:
        model = _fit(
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
            verbose=verbose,
        )
    metrics = evaluate_model(model, data, shape)
    metrics.update(epochs=len(history.get("loss", [])), seconds=clock.total())  # every part of the run
    plot_curves(history, out / "curves.png")
    plot_confusion(metrics["confusion_matrix"], out / "confusion.png")
    with SAVING:  # metrics.json last: a run interrupted before it is finished by --resume
        model.save(out / "model.keras")
        record["seconds"] = metrics["seconds"]
        _write_json(out / "run.json", record)
        _write_json(out / "metrics.json", metrics)
        shutil.rmtree(out / "backup", ignore_errors=True)  # the run is complete
    return metrics


def _fit(
    name,
    model_options,
    distribution,
    out,
    x_train,
    y_train,
    validation,
    test,
    *,
    epochs,
    batch_size,
    lr,
    seed,
    augment,
    resume,
    history,
    clock,
    verbose,
):
    """One machine (its CPU, or --strategy mirrored over its devices): Keras' model.fit, a checkpoint an epoch."""
    from ..registry import build

    finished = len(history.get("loss", []))
    # --resume of a completed run (its backup is gone) carries the saved model on to more epochs; otherwise
    # BackupAndRestore picks up an interrupted run by itself, from a fresh model
    extending = resume and not (out / "backup").exists()
    if extending and finished >= epochs:
        if not (out / "metrics.json").exists():  # interrupted after its last epoch: only its measures are left
            return load_model(str(out / "model.keras"))
        raise TrainingError(f"{out} has already trained {plural(finished, 'epoch')}; ask for more with --epochs")
    with distribution.scope():
        if extending:  # the finished schedule ended at 1% of the peak: the extra epochs get a cycle of their own
            model = compile_with_recipe(
                load_model(str(out / "model.keras")), epochs - finished, len(x_train), batch_size, lr * EXTENSION_PEAK
            )
        else:
            model = compile_with_recipe(build(name, **model_options), epochs, len(x_train), batch_size, lr)
    callbacks = [_TestCurve(*test)] if test else []
    callbacks += [
        _Saving(hold=True),
        keras.callbacks.BackupAndRestore(str(out / "backup")),  # every epoch: what --resume starts from
        keras.callbacks.ModelCheckpoint(str(out / "model.keras")),
        _History(out / "history.json", history),
        clock,
        _Saving(hold=False),
    ]
    model.fit(
        _dataset(x_train, y_train, batch_size, seed, augment),
        validation_data=_dataset(*validation, 1000),
        epochs=epochs,
        initial_epoch=finished if extending else 0,
        callbacks=callbacks,
        verbose=(1 if sys.stdout.isatty() else 2) if verbose == "auto" else verbose,  # no \r bars in a file
        shuffle=False,
    )
    return model


def _train_workers(
    name,
    model_options,
    distribution,
    cluster,
    out,
    x_train,
    y_train,
    validation,
    test,
    *,
    epochs,
    batch_size,
    lr,
    seed,
    augment,
    resume,
    history,
    clock,
):
    """--strategy multiworker: Keras' fit cannot train under MultiWorkerMirroredStrategy (keras-team/keras
    issue 20585), so every worker runs this loop. Each takes its share of the same shuffled batch; the gradients
    are summed over the workers, so all take the same step and end with the same weights. The chief saves the
    model after every epoch; --resume starts every worker from it."""
    from ..registry import build

    chief = cluster.is_chief
    # where the run stands, known from the chief's folder: epochs done, and whether the run was complete
    done, complete = len(history.get("loss", [])), resume and (out / "metrics.json").exists()
    done, complete = (int(v) for v in _summed(distribution, np.array([done, complete], "float32"), only_first=True))
    if complete and done >= epochs:
        raise TrainingError(f"{out} has already trained {plural(done, 'epoch')}; ask for more with --epochs")
    with distribution.scope():
        model = build(name, **model_options)
        # a complete run's schedule ended at 1% of the peak: the extra epochs get a cycle of their own
        cycle_epochs, peak = (epochs - done, lr * EXTENSION_PEAK) if complete else (epochs, lr)
        compile_with_recipe(model, cycle_epochs, len(x_train), batch_size, peak)
        model.optimizer.build(model.trainable_variables)
    state = model.weights + ([] if complete else model.optimizer.variables)  # a new cycle: a new optimizer
    source = state
    if done and chief:
        saved = load_model(str(out / "model.keras"))
        source = saved.weights + ([] if complete else saved.optimizer.variables)
        if [tuple(v.shape) for v in source] != [tuple(v.shape) for v in state]:
            raise TrainingError(
                f"{out}/model.keras does not hold a {name} as this run builds it; --force starts the run again"
            )
    mine = np.concatenate([np.ravel(np.asarray(v.numpy(), "float32")) for v in source])
    shared, start = _summed(distribution, mine, only_first=True), 0  # every worker starts from the chief's state
    for variable in state:
        size = int(np.prod(variable.shape))
        variable.assign(shared[start : start + size].reshape(variable.shape).astype(variable.dtype))
        start += size

    rbf = _is_rbf(model)
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

        return distribution.reduce("SUM", distribution.run(replica, args=(images, labels)), axis=None)

    batches = _dataset(x_train, y_train, batch_size, seed, augment)
    policy = tf.data.Options()
    policy.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    batches = distribution.experimental_distribute_dataset(batches.with_options(policy))
    for epoch in range(done, epochs):
        began = time.time()
        totals = np.zeros(3)
        for images, labels in batches:
            totals += step(images, labels).numpy()
        logs = {"loss": totals[0] / totals[2], "accuracy": totals[1] / totals[2]}
        logs.update(zip(("val_loss", "val_accuracy"), _loss_and_accuracy(model, *validation)))
        if test is not None:
            logs.update(zip(("test_loss", "test_accuracy"), _loss_and_accuracy(model, *test)))
        print(
            f"{cluster.name}: epoch {epoch + 1}/{epochs} - {time.time() - began:.0f}s - "
            + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()),
            flush=True,
        )
        if chief:
            with SAVING:
                model.save(out / "model.keras")
                _History(out / "history.json", history).on_epoch_end(epoch, logs)
                clock.on_epoch_end(epoch, logs)
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


def _join(distribution, cluster: Cluster, options: dict) -> None:
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


def _outputs(model, x) -> np.ndarray:
    """The model's outputs by direct calls, not model.predict: predict runs collective ops under a multi-worker
    strategy, and the chief evaluates alone after the other workers have finished."""
    return np.concatenate([np.asarray(model(x[i : i + 1000], training=False)) for i in range(0, len(x), 1000)])


def _loss_and_accuracy(model, x, y) -> tuple[float, float]:
    outputs = _outputs(model, x)
    if _is_rbf(model):
        return float(np.mean(rbf_loss(y, outputs))), float(np.mean(outputs.argmin(axis=1) == y))
    return (
        float(np.mean(keras.losses.sparse_categorical_crossentropy(y, outputs))),
        float(np.mean(outputs.argmax(axis=1) == y)),
    )


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
    rbf = _is_rbf(model)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=rbf_loss if rbf else "sparse_categorical_crossentropy",
        metrics=[rbf_accuracy if rbf else "accuracy"],
    )
    return model


def _dataset(x, y, batch_size, seed=None, augment=False):
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


def load_model(path: str):
    from . import layers as keras_layers  # noqa: F401  (registers LeNet-5 1998's layers for loading)

    try:
        return keras.models.load_model(path, custom_objects={"rbf_loss": rbf_loss, "rbf_accuracy": rbf_accuracy})
    except FileNotFoundError:
        raise TrainingError(f"{path}: no such model file") from None
    except Exception as err:
        raise TrainingError(f"{path}: not a Keras model file ({err.__class__.__name__})") from None


def evaluate_model(model, data: Mnist, shape=None) -> dict:
    shape = shape or tuple(model.input_shape[1:])
    outputs = _outputs(model, fit_inputs(data.x_test, shape))
    predicted = outputs.argmin(axis=1) if _is_rbf(model) else outputs.argmax(axis=1)
    truth = data.y_test.astype(int)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (truth, predicted), 1)
    if _is_rbf(model):
        loss = float(np.mean(rbf_loss(truth, outputs)))
    else:
        loss = float(np.mean(keras.losses.sparse_categorical_crossentropy(truth, outputs)))
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {
        "test_accuracy": round(float((predicted == truth).mean()), 6),
        "test_loss": round(loss, 6),
        "per_class_accuracy": [round(float(a), 6) for a in per_class],
        "confusion_matrix": confusion.tolist(),
    }


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


# The largest picture predict decodes in full: a 200-megapixel phone photo (16,320 x 12,240) fits. A JPEG of any
# size is decoded at an eighth of its size or less (its own DCT scaling), so only other formats meet this limit.
MAX_PIXELS = 250_000_000
WORKING_SIZE = 2048  # a decoded picture's longer side is reduced to this at most before anything else


def digit_from_image(path: str) -> np.ndarray | None:
    """Any picture of one digit (a scan, a phone photo, a drawing on a transparent PNG) as a 28x28 uint8 MNIST
    digit, light on dark, made the way MNIST was: see ``digit_from_grey``; None if the picture holds no ink."""
    return digit_from_grey(grey_picture(path))


def grey_picture(path: str) -> np.ndarray:
    """The picture at ``path`` in grey (float32, 0-255, transparent parts white as paper), its longer side
    reduced to WORKING_SIZE at most while it is read: a photo larger than a phone's is scaled down, not
    refused; a picture too large to decode in memory is refused in one line."""
    from PIL import Image, UnidentifiedImageError

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # PIL's own check raises, with a traceback
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            if picture.format == "JPEG":  # decoded straight at a fraction of its size: cheap at any size
                scale = max(1, max(width, height) // WORKING_SIZE)
                picture.draft(picture.mode, (width // scale, height // scale))
            elif width * height > MAX_PIXELS:
                raise TrainingError(
                    f"{path}: {width}x{height} pixels ({width * height / 1e6:,.0f} megapixels) is "
                    f"more than predict decodes ({MAX_PIXELS / 1e6:,.0f}; a 200-megapixel phone "
                    "photo fits): scale it down, or save it as JPEG"
                )
            picture.load()
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                picture = _reduced(picture.convert("RGBA"))
                white = Image.new("RGBA", picture.size, (255, 255, 255, 255))  # transparent is paper, not ink
                picture = Image.alpha_composite(white, picture)
            else:
                picture = _reduced(picture.convert("L"))
            return np.asarray(picture.convert("L"), dtype="float32")
    except TrainingError:
        raise
    except FileNotFoundError:
        raise TrainingError(f"{path}: no such image") from None
    except IsADirectoryError:
        raise TrainingError(f"{path}: a folder, not an image") from None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise TrainingError(f"{path}: not an image convzoo can read ({err.__class__.__name__})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _reduced(picture):
    """A decoded picture with its longer side at most WORKING_SIZE (by whole-pixel averaging, as a box filter)."""
    factor = -(-max(picture.size) // WORKING_SIZE)
    return picture.reduce(factor) if factor > 1 else picture


def digit_from_grey(grey: np.ndarray) -> np.ndarray | None:
    """A grey picture of one digit as MNIST made its digits (None if it holds no ink):
    1. the uneven light of a photo is estimated by a wide blur and taken away;
    2. ink is told from paper by Otsu's threshold, and is the smaller side (dark on light or light on dark);
    3. the digit is the largest connected piece of ink, with the pieces near it of at least a fifth its size
       (the bar of a 5, the dot of a stroke that breaks), not specks or the edge of the paper;
    4. its box is scaled to 20 pixels and placed by its centre of mass in 28x28."""
    from PIL import Image, ImageFilter

    scale = 160 / max(grey.shape)  # work at about MNIST's scale times six: fast, and the strokes survive
    if scale < 1:
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = np.asarray(Image.fromarray(grey.astype("uint8")).resize(size, Image.LANCZOS), dtype="float32")
    background = np.asarray(
        Image.fromarray(grey.astype("uint8")).filter(ImageFilter.GaussianBlur(radius=max(grey.shape) / 6)),
        dtype="float32",
    )
    flat = grey - background  # ink stands out from its surroundings, whichever way the light falls
    if flat.max() - flat.min() < 8:
        return None
    threshold = _otsu(flat)
    dark, light = flat < threshold, flat >= threshold
    ink_mask = dark if dark.sum() < light.sum() else light
    # how much darker (or lighter) than its surroundings: soft, so the strokes keep their anti-aliased edges
    strength = np.clip(-flat if ink_mask is dark else flat, 0, None)
    pieces = _components(ink_mask)
    if not pieces:
        return None
    sizes = sorted((((strength * ink_mask)[piece].sum(), piece) for piece in pieces), key=lambda p: -p[0])
    keep = np.zeros_like(ink_mask)
    for weight, piece in sizes:
        if weight >= sizes[0][0] / 5:
            keep[piece] = True
    near = np.asarray(Image.fromarray(keep.astype("uint8") * 255).filter(ImageFilter.MaxFilter(5))) > 0
    paper = flat[~near]
    spread = 1.4826 * np.median(np.abs(paper - np.median(paper))) if paper.size else 0.0  # the paper's own noise
    if np.median(strength[keep]) < STROKE_CONTRAST * spread:
        return None  # no stroke stands out: blank paper, or noise, where Otsu's split finds "ink" anywhere
    return _mnist_frame(np.where(near, strength, 0), keep)


# A stroke stands out from its paper by this many times the paper's spread (its median absolute deviation, as a
# standard deviation). benchmarks/not_a_digit.py: MNIST's digits and photo-like ones are at 6 or more, noise and
# blank paper at 1.4 or less.
STROKE_CONTRAST = 3.0
# MNIST's digits as framed (28x28): the ranges that hold 99.9% of its 60,000 training digits or more. A picture
# outside one is said not to look like a digit (benchmarks/not_a_digit.py measures how often, on MNIST's test
# digits and on noise, blank paper and text).
MIN_ASPECT = 0.6  # height / width of the box around the ink: a word is wide
MAX_COVER = 0.77  # of the box, the part inked (above half intensity): a blob or a patch of texture is solid
MAX_PIECES = 3  # separate pieces of ink: letters, specks


def unlike_mnist(digit: np.ndarray) -> str:
    """Why a framed 28x28 digit does not look like one of MNIST's (its box, its ink, its pieces), or ""."""
    rows, cols = np.nonzero(digit)
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    ink = digit > 127
    pieces = len(_components(ink))
    if height / width < MIN_ASPECT:
        return (
            f"this does not look like a digit: it is {width / height:.1f} times as wide as it is tall (MNIST's "
            f"digits: {1 / MIN_ASPECT:.1f} at most)"
        )
    if ink.sum() / (height * width) > MAX_COVER:
        return (
            f"this does not look like a digit: ink covers {ink.sum() / (height * width):.0%} of its box "
            f"(MNIST's digits: {MAX_COVER:.0%} at most)"
        )
    if pieces > MAX_PIECES:
        return f"this does not look like a digit: its ink is in {pieces} pieces (MNIST's digits: {MAX_PIECES} at most)"
    return ""


def digit_from_drawing(ink: np.ndarray) -> np.ndarray | None:
    """A drawing of one digit (``ink``: 0 for the blank canvas up to 255, any size) as MNIST made its digits
    (None if nothing is drawn). Unlike a photo, a canvas has no uneven light, specks or paper edge, so every
    stroke is kept: the bar of a 7 or a 5 drawn apart from the rest belongs to the digit."""
    ink = np.asarray(ink, dtype="float32")
    drawn = ink > 0
    if not drawn.any():
        return None
    return _mnist_frame(ink, drawn)


def _mnist_frame(ink: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """MNIST's framing of a digit: the box around ``keep`` scaled so its longer side is 20 pixels, and placed
    by its centre of mass in 28x28; uint8, light on dark."""
    from PIL import Image

    rows, cols = np.nonzero(keep)
    box = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    box = Image.fromarray((box / box.max() * 255).astype("uint8"))
    factor = 20 / max(box.size)
    box = box.resize((max(1, round(box.size[0] * factor)), max(1, round(box.size[1] * factor))), Image.LANCZOS)
    pixels = np.asarray(box, dtype="float32")
    h, w = pixels.shape
    r, c = np.indices(pixels.shape)
    mass = pixels.sum() or 1.0
    cy, cx = (r * pixels).sum() / mass, (c * pixels).sum() / mass
    top, left = min(max(int(round(14 - cy)), 0), 28 - h), min(max(int(round(14 - cx)), 0), 28 - w)
    digit = np.zeros((28, 28), dtype="float32")
    digit[top : top + h, left : left + w] = pixels
    return np.clip(digit / max(digit.max(), 1) * 255, 0, 255).astype("uint8")


def _otsu(values: np.ndarray) -> float:
    """Otsu's threshold: the cut that best separates the values into two classes (largest between-class
    variance)."""
    counts, edges = np.histogram(values, bins=256)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * centres)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight / total - mean) ** 2 / (weight * (total - weight))
    return float(centres[np.nanargmax(between[:-1])])


def _components(mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The 8-connected pieces of a boolean mask, each as (rows, columns) index arrays."""
    seen = np.zeros_like(mask)
    height, width = mask.shape
    pieces = []
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        seen[start] = True
        stack, rows, cols = [start], [], []
        while stack:
            y, x = stack.pop()
            rows.append(y)
            cols.append(x)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = y + dy, x + dx
                    if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        pieces.append((np.array(rows), np.array(cols)))
    return pieces


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
    probabilities = tf.nn.softmax(-outputs).numpy() if _is_rbf(model) else outputs
    best = np.argsort(probabilities)[::-1][:3]
    return [(int(c), float(probabilities[c])) for c in best]


def visualize(model, digit: np.ndarray, out: Path, label: int | None = None) -> list[Path]:
    """PNGs: the digit as the model receives it, with its label and the prediction; the first conv layer's
    filters; every conv layer's activation maps for that digit (1x1 maps as a bar chart of their values)."""
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
    columns = min(count, 8)
    rows = -(-count // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(columns * 1.2, rows * 1.3 + 0.6), squeeze=False, layout="constrained"
    )
    for k, axis in enumerate(axes.flat):
        axis.axis("off")
        if k < count:
            axis.imshow(kernel[:, :, 0, k], cmap="gray")
            axis.set_title(str(k), fontsize=7)
    figure.suptitle(f"{convs[0].name}: the {count} filters (first input channel)", fontsize=10)
    save(figure, "filters.png")

    probe = keras.Model(model.inputs, [layer.output for layer in convs])
    maps = probe.predict(given, verbose=0)
    for layer, activation in zip(convs, maps if isinstance(maps, list) else [maps]):
        count = activation.shape[-1]
        title = f"{layer.name}: {count} activation maps {activation.shape[1]}x{activation.shape[2]}"
        if activation.shape[1] * activation.shape[2] == 1:  # one value per map: a bar each, not a flat square
            figure, axis = plt.subplots(figsize=(8, 3), layout="constrained")
            axis.bar(range(count), activation[0, 0, 0, :])
            axis.set_xlabel("map")
            axis.set_ylabel("value")
            figure.suptitle(title + " (one value each)", fontsize=10)
        else:
            shown = min(count, 32)
            columns = min(shown, 8)
            figure, axes = plt.subplots(
                -(-shown // columns),
                columns,
                squeeze=False,
                layout="constrained",
                figsize=(columns * 1.3, -(-shown // columns) * 1.3 + 0.6),
            )
            for k, axis in enumerate(axes.flat):
                axis.axis("off")
                if k < shown:
                    axis.imshow(activation[0, :, :, k], cmap="viridis")
            figure.suptitle(title + (f" (the first {shown})" if shown < count else ""), fontsize=10)
        save(figure, f"activations_{layer.name}.png")
    return written
