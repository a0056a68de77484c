"""Python's cyclic garbage collector paused while a quiz is drawn or a class is graded: both make millions of
small objects that form no cycles and live until the files are written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_ends_with_command = False  # the console script's command is running: the process ends when it does


@contextmanager
def process_ends_with_command() -> Iterator[None]:
    """Meanwhile, this process ends when its command does (the console script's run, not a program calling
    convzoo): what a paused stretch makes is frozen as the collector resumes."""
    global _ends_with_command
    _ends_with_command = True
    try:
        yield
    finally:
        _ends_with_command = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile, and on again after if it was: a quiz's questions and a
    class's marks are many small objects that make no cycles, so each collection while they are made (or read
    back from the workers) would look at all of them for nothing (a fifth of the drawing's time). In the console
    script they are frozen then (``gc.freeze()``): the process ends with the command, and a collection over a
    class's millions of marks, once the collector is on again, took 3 of grade's 30 s. A program that draws or
    grades again and again keeps its collector as it was, nothing frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _ends_with_command:
                gc.freeze()
            gc.enable()
