"""dense: a fully connected layer of N units, each reading every input (Keras' Dense); on an image it acts on
the last axis, as Keras' Dense does."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State
from ..spec import Item, Layer, positive, read_options
from . import register
from .base import Explorer, LayerType

ALL_PRODUCTS = 1024  # a dense unit's products all shown up to this many (LeNet-5's F6 reads 120)


@register
class Dense(LayerType):
    kind = "dense"
    keras_type = "Dense"
    explains = (
        "A fully connected (dense) layer: each unit multiplies every value of the layer below by its own "
        "weight, adds them up and its bias, then the activation; (N1 + 1)*N parameters. With softmax, the "
        "units' values are turned into probabilities that add up to 1: the prediction."
    )
    forms = {"dense": "dense N [activation]"}
    aliases = {"fc": "dense"}
    order = 50
    takes_activation = True  # whether an activation word may follow

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        kind = base["kind"]
        example = "dense 10 softmax" if self.takes_activation else f"{kind} 10"
        text, where = item.take(f"the number of units N (as in '{example}')")
        units = positive(text, where, "the number of units N")
        opts = read_options(item, kind, {}, with_activation=self.takes_activation)
        return Layer(units=units, activation=opts.get("activation"), **base)

    def words(self, layer: Layer, stated: bool) -> list[str]:
        return [str(layer.units)]

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        n = layer.units
        if len(state.shape) == 1:
            n1 = state.shape[0]
            params = (n1 + 1) * n
            state.steps += [
                f"output = N = {n} units, each reading all N1 = {n1:,} inputs",
                f"params = (N1 + 1)*N = ({n1} + 1)*{n} = {params:,}",
                f"connections (MACs) = (N1 + 1)*N = {params:,}",
            ]
            return Computed((n,), params, 0, params)
        h, w, d1 = state.shape
        params = (d1 + 1) * n
        connections = h * w * params
        state.steps += [
            f"Dense acts on the last axis, as Keras does: output H x W x N = {h}x{w}x{n}",
            f"params = (D1 + 1)*N = ({d1} + 1)*{n} = {params:,}",
            f"connections (MACs) = H*W*(D1 + 1)*N = {h}*{w}*({d1} + 1)*{n} = {connections:,}",
        ]
        return Computed((h, w, n), params, 0, connections)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras, keras_activation

        return [keras.layers.Dense(layer.units, activation=keras_activation(layer.activation), name=layer.name)]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """N1 inputs x their weights plus the bias: the largest products listed, every one where there are at most
        ALL_PRODUCTS (by index), all of them summed."""
        kernel, bias = explorer.weights(layer.name)
        inputs = below[row, col, :] if below.ndim == 3 else below
        products = inputs * kernel[:, channel]
        largest = (-abs(products)).argsort()[:12]
        z = float(products.sum(dtype="float64")) + float(bias[channel])
        return {
            "kind": "dense",
            "count": int(products.size),
            "sum": float(products.sum(dtype="float64")),
            "largest": [[int(j), float(inputs[j]), float(kernel[j, channel])] for j in largest],
            "products": [float(p) for p in products] if products.size <= ALL_PRODUCTS else None,
            "bias": float(bias[channel]),
            **explorer.activated(layer, z, inputs.astype("float64") @ kernel + bias),
        }
