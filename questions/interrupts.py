"""Ctrl-C held back for the few steps that must not stop half-way (starting workers, ending them, renaming
finished files into place): a SIGINT that arrives meanwhile is raised, as KeyboardInterrupt, right after."""

from __future__ import annotations

import signal
from contextlib import contextmanager


@contextmanager
def deferred_sigint():
    if not hasattr(signal, "pthread_sigmask"):  # no signal masks (Windows): Ctrl-C is raised where it comes
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
