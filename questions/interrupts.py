"""Ctrl-C held back for the few steps that must not stop half-way (starting workers, ending them, renaming
finished files into place): a SIGINT that arrives meanwhile is raised, as KeyboardInterrupt, right after."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


@contextmanager
def deferred_sigint():
    # A handler that only notes the signal, not a signal mask: a process-directed SIGINT goes to any thread that
    # does not block it (a process that has loaded TensorFlow has many), and Python handlers run in the main
    # thread whichever thread received it. A worker forked meanwhile inherits the note-taker, not a raiser.
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt
