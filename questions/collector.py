"""Python's cyclic garbage collector paused while a quiz is drawn or a class is graded: both make millions of
small objects that form no cycles and live until the files are written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile, and on again after if it was: a quiz's questions and a
    class's marks are many small objects that make no cycles, so each collection while they are made (or read
    back from the workers) would look at all of them for nothing (a fifth of the drawing's time). Nothing is
    frozen: a program that draws or grades again and again keeps its collector as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
