"""input: the network's input, HxWxD (an image), HxW (depth 1) or N (a flat vector); always the first layer."""

from __future__ import annotations

from typing import Any

from ..spec import Item, Layer, fmt_dims, parse_dims
from . import register
from .base import LayerType


@register
class Input(LayerType):
    kind = "input"
    keras_type = "InputLayer"
    forms = {"input": "input HxWxD | HxW | N"}
    order = 0

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        text, where = item.take("the input size (HxWxD, HxW or N)")
        return Layer(shape=parse_dims(text, where), **base)

    def text(self, layer: Layer, stated: bool) -> str:
        shape = layer.shape
        return f"input {fmt_dims(shape[:2]) if len(shape) == 3 and shape[2] == 1 else fmt_dims(shape)}"
