"""Python's cyclic garbage collector paused while a quiz is drawn or a class is graded: both make millions of
small objects that form no cycles and live until the files are written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile, then what was made frozen (``gc.freeze()``: never examined
    again) and the collector on again, if it was: a quiz's questions are many small objects that make no cycles
    and live until the quiz is written, so each collection while they are drawn (or read back from the workers),
    or after, would look at all of them for nothing (a fifth of the drawing's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
