"""Layer types, one module each, registered as zoo models and question kinds are: adding a layer type to the
spec language is adding one file here.

A layer type (a subclass of ``base.LayerType``, decorated with ``@register``) holds everything that is the
layer's own: its words in the spec language and their help line in "accepted: ...", how it is written back,
its output shape, parameters and connections with their worked steps, the Keras layers that build it, and the
working `convzoo explore` shows for one of its units. The spec parser, the engine, the Keras builder and the
explorer look the type up by the layer's kind and never name one.

Every module of this package is imported on first use. Nothing here imports TensorFlow, Keras or numpy: a
type's Keras builder imports Keras inside itself (see ``base.LayerType.keras_layers``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, TypeVar

from ..plugins import import_submodules

if TYPE_CHECKING:
    from .base import LayerType

_TYPES: dict[str, LayerType] = {}
T = TypeVar("T", bound="type[LayerType]")


def register(cls: T) -> T:
    """Class decorator: the layer type ``cls`` (one instance of it) under its kind."""
    if cls.kind in _TYPES:
        raise ValueError(f"layer type {cls.kind!r} is registered twice")
    _TYPES[cls.kind] = cls()
    return cls


@cache
def _ordered() -> tuple[LayerType, ...]:
    import_submodules(__name__)
    return tuple(sorted(_TYPES.values(), key=lambda t: t.order))


@cache
def kinds() -> dict[str, LayerType]:
    """Every layer type by its kind (``Layer.kind``)."""
    return {t.kind: t for t in _ordered()}


@cache
def keywords() -> dict[str, tuple[str, LayerType]]:
    """Every word a layer can start with, its other spellings too, and the keyword and type it stands for."""
    words: dict[str, tuple[str, LayerType]] = {}
    for layer_type in _ordered():
        words.update((keyword, (keyword, layer_type)) for keyword in layer_type.forms)
        words.update((alias, (keyword, layer_type)) for alias, keyword in layer_type.aliases.items())
    return words


@cache
def forms() -> dict[str, str]:
    """Every keyword and the help line of what it takes, in the order of the "accepted: ..." list."""
    return {keyword: form for layer_type in _ordered() for keyword, form in layer_type.forms.items()}
