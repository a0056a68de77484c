"""Python's cyclic garbage collector paused while a quiz is drawn or a class is graded: both make millions of
small objects that form no cycles and live until the files are written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_ends_with_command = False  # the console script's command is running: the process ends when it does
_start_up_paused = False  # ... and started with the collector off, until its command's module is loaded


@contextmanager
def process_ends_with_command() -> Iterator[None]:
    """Meanwhile, this process is the console script's and ends when its command does (not a program calling
    convzoo). The script starts with the collector off (``gc.disable()``, before anything of convzoo's loads):
    loading the command line and a command's module makes thousands of objects that live as long as the
    process, so collections there are wasted (a twentieth of a quick command's time, and again at exit); it
    stays off until ``start_up_done()``. And what a paused stretch of the command makes is frozen as the
    collector resumes (``collector_paused``)."""
    global _ends_with_command, _start_up_paused
    _ends_with_command, _start_up_paused = True, not gc.isenabled()
    try:
        yield
    finally:
        _ends_with_command = _start_up_paused = False


def start_up_done() -> None:
    """The command's module is loaded: in the console script, what start-up made is frozen (``gc.freeze()``:
    never examined again) and the collector runs again, as usual, for the command's own work; elsewhere,
    nothing."""
    global _start_up_paused
    if _start_up_paused:
        _start_up_paused = False
        gc.freeze()
        gc.enable()


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
