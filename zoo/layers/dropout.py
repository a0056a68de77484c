"""dropout: while training, a share R of the values set to 0 (Keras' Dropout); the shape kept, no parameters."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State
from ..spec import Item, Layer, SpecError
from . import register
from .base import Explorer, LayerType


@register
class Dropout(LayerType):
    kind = "dropout"
    keras_type = "Dropout"
    explains = (
        "Dropout: in training, a share of the values is set to 0 at random, so that no unit can rely on "
        "another; when the model predicts, as here, it passes every value through unchanged."
    )
    forms = {"dropout": "dropout R"}
    order = 60

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        text, where = item.take("the dropout rate R (as in 'dropout 0.5')")
        try:
            rate = float(text)
        except ValueError:
            rate = -1.0
        if not 0.0 <= rate < 1.0:
            raise SpecError(f"dropout rate must be a number from 0 up to (not including) 1, got '{text}'", where)
        return Layer(rate=rate, **base)

    def words(self, layer: Layer, stated: bool) -> list[str]:
        return [f"{layer.rate:g}"]

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        state.steps.append(
            f"shape unchanged; params = 0 (while training, a share {layer.rate:g} of the values is set to 0)"
        )
        return Computed(state.shape, 0, 0, 0)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras

        return [keras.layers.Dropout(layer.rate, name=layer.name)]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        return {"kind": "note", "note": "dropout passes its input on unchanged outside training"}
