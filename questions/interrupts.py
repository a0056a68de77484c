"""Ctrl-C (and SIGTERM) held back for the few steps that must not stop half-way (starting workers, ending them,
renaming finished files into place): a SIGINT or SIGTERM that arrives meanwhile is acted on right after.

The command line (``python -m convzoo``, the ``convzoo`` script) turns SIGTERM into ``Terminated``, so that a
build stopped by it ends as one stopped by Ctrl-C does: every process it started killed, every temporary file
and folder taken away; then the process ends by SIGTERM, as whoever sent it expects."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that its clean-up runs (not an Exception: nothing catches it)."""


def raise_terminated(signum, frame):
    raise Terminated


@contextmanager
def deferred_sigint():
    # A handler that only notes the signal, not a signal mask: a process-directed SIGINT goes to any thread that
    # does not block it (a process that has loaded TensorFlow has many), and Python handlers run in the main
    # thread whichever thread received it. A worker forked meanwhile inherits the note-taker, not a raiser.
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    caught: list[int] = []
    held = [s for s in (signal.SIGINT, signal.SIGTERM) if callable(signal.getsignal(s))]  # Python's own handlers
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in held}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if caught:
            handler = previous[signal.Signals(caught[0])]
            if callable(handler):
                handler(caught[0], None)  # KeyboardInterrupt (Python's default handler) or Terminated
