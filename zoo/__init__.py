"""convzoo's core: the layer-spec language (``zoo.spec``), the analytic engine (``zoo.engine``), the model
registry (``zoo.registry``); ``zoo.keras`` is the only part that imports Keras (and TensorFlow, and numpy).

Importing ``zoo`` imports neither TensorFlow, Keras nor numpy, nor (until one of the names below is used) the
engine: a command that needs only ``zoo.errors`` does not load the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import NetworkResult, analyze
    from .registry import build, get, list_models, register
    from .spec import SpecError, parse

__all__ = ["NetworkResult", "SpecError", "analyze", "build", "get", "list_models", "parse", "register"]

_HOMES = {
    "NetworkResult": "engine",
    "analyze": "engine",
    "build": "registry",
    "get": "registry",
    "list_models": "registry",
    "register": "registry",
    "SpecError": "spec",
    "parse": "spec",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
