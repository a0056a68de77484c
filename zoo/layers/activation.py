"""relu, tanh, sigmoid, softmax, linear, scaled_tanh: an activation as a layer of its own (Keras' Activation),
applied to every value; the shape kept, no parameters. (conv, dense and subsample take one as their last word.)"""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State
from ..spec import ACTIVATIONS, Item, Layer
from . import register
from .base import Explorer, LayerType


@register
class Activation(LayerType):
    kind = "activation"
    keras_type = "Activation"
    explains = (
        "An activation: the same function applied to every value on its own (relu keeps positives and makes "
        "negatives 0; tanh and sigmoid squash)."
    )
    forms = {name: name for name in ACTIVATIONS}
    order = 150

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        return Layer(**{**base, "kind": self.kind}, activation=base["kind"])

    def text(self, layer: Layer, stated: bool) -> str:
        return f"{layer.activation}" + (f" from {layer.inputs[0]}" if layer.inputs else "")

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        state.steps.append(f"shape unchanged; params = 0 ({layer.activation} is applied to every value)")
        return Computed(state.shape, 0, 0, 0)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras, keras_activation

        return [keras.layers.Activation(keras_activation(layer.activation), name=layer.name)]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """The same unit of the layer below, activated."""
        x = float(below[row, col, channel] if below.ndim == 3 else below[channel])
        return {
            "kind": "note",
            "note": f"{layer.activation} of the same unit of the layer below: "
            f"{layer.activation}({x:.4f}) = {explorer.activate(layer.activation, x):.4f}",
        }
