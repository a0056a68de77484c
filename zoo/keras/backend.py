"""Import Keras (and TensorFlow) once, quietly.

TensorFlow writes start-up notes (oneDNN, missing CUDA drivers) straight to file descriptor 2 before its
logging is configured, so no environment variable silences them; we point descriptor 2 at /dev/null while it
starts. Python exceptions are unaffected: they are raised after stderr is back.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextmanager
def _quiet_stderr():
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@contextmanager
def _without_pyplot():
    """Keras imports matplotlib.pyplot as it starts, for an image gallery convzoo never draws: about 0.6 s of
    every start (``explore``'s included). Hidden while Keras starts; imported as usual afterwards (``train``'s
    pictures)."""
    if "matplotlib.pyplot" in sys.modules:
        yield
        return
    sys.modules["matplotlib.pyplot"] = None  # type: ignore[assignment]  # an import of it raises ImportError, which Keras expects
    try:
        yield
    finally:
        if sys.modules.get("matplotlib.pyplot", False) is None:
            del sys.modules["matplotlib.pyplot"]


def load_keras():
    """The ``keras`` module, with TensorFlow started and its devices listed (which is when it talks)."""
    if "keras" not in sys.modules:
        with _quiet_stderr(), _without_pyplot():
            import keras  # noqa: F401  (imported here, under the quiet stderr)
            import tensorflow as tf

            tf.config.list_physical_devices()
    return sys.modules["keras"]


@contextmanager
def own_stderr():
    """sys.stderr on a copy of descriptor 2 while TensorFlow may start in another thread (``explore`` loads its
    model in the background): the start points descriptor 2 itself at /dev/null for seconds (``_quiet_stderr``),
    which would swallow what this process says meanwhile (Ctrl-C's line). TensorFlow's notes still go nowhere.
    A sys.stderr that is not a file (a test's capture) is kept as it is."""
    try:
        descriptor = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = sys.stderr
    sys.stderr = open(os.dup(descriptor), "w", encoding=saved.encoding, errors=saved.errors, buffering=1)
    try:
        yield
    finally:
        sys.stderr.flush()
        # left open: a module that TensorFlow started meanwhile (absl's logging) may hold on to it
        sys.stderr = saved
