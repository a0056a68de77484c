"""A run's folder: made, or refused when a run is in the way; the options it was started with (run.json) and
the command that resumes it; its files written whole after every epoch (the history, the clock); and Ctrl-C,
which keeps what is finished and says so."""

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
from pathlib import Path

from ...engine import plural
from ...recipe import RECIPE, SEED
from ..backend import load_keras
from ..errors import TrainingError

load_keras()  # TensorFlow starts quietly (its notes hidden) before the imports below
import keras  # noqa: E402


class History(keras.callbacks.Callback):
    """history.json after every epoch, carried on across --resume (Keras' History starts empty on a restart)."""

    def __init__(self, path: Path, history: dict):
        super().__init__()
        self.path, self.history = path, history

    def on_epoch_end(self, epoch, logs=None):
        for metric, value in (logs or {}).items():
            self.history.setdefault(metric, []).append(float(value))
        write_json(self.path, self.history)


def write_json(path: Path, document) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # a run killed mid-write keeps the previous file whole


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


class CtrlC:
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


def recorded_options(out: Path, name: str) -> dict:
    """The options a run was started with (run.json); {} for a run from before convzoo remembered them."""
    path = out / "run.json"
    if not path.exists():
        return {}
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if recorded.get("model", name) != name:
        raise TrainingError(f"{out} holds a run of {recorded['model']}, not {name}")
    return recorded


class Saving(keras.callbacks.Callback):
    """Holds SAVING while an epoch's files are written: the first of the epoch-end callbacks takes it, the last
    lets it go."""

    def __init__(self, hold: bool):
        super().__init__()
        self.hold = hold

    def on_epoch_end(self, epoch, logs=None):
        SAVING.acquire() if self.hold else SAVING.release()


class Clock(keras.callbacks.Callback):
    """Keeps run.json's ``seconds``, the training time of every part of the run, up to date after each epoch."""

    def __init__(self, path: Path, record: dict):
        super().__init__()
        self.path, self.record, self.start, self.before = path, record, time.time(), record.get("seconds", 0.0)

    def total(self) -> float:
        return round(self.before + time.time() - self.start, 1)

    def on_epoch_end(self, epoch, logs=None):
        self.record["seconds"] = self.total()
        write_json(self.path, self.record)
