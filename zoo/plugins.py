"""Registries that fill themselves: a zoo model, a question kind or a layer type is one module of a package,
registered by a decorator as the package's modules are imported."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def import_submodules(package: str) -> None:
    """Import every module of ``package`` once, so that its decorators register what it defines: adding a
    model, a question kind or a layer type is adding one file."""
    path = importlib.import_module(package).__path__
    for info in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        importlib.import_module(f"{package}.{info.name}")
