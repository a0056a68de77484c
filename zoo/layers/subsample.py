"""subsample: LeNet-5's S2 and S4, trainable subsampling: the sum of each F x F window times a trained
coefficient, plus a trained bias, per map, then a squashing function (convzoo's Keras layer Subsampling)."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State, image_shape
from ..spec import STRIDE, Layer
from . import register
from .base import Explorer
from .window import Window, window_area


@register
class Subsample(Window):
    kind = "subsample"
    keras_type = "Subsampling"
    explains = (
        "LeNet-5's subsampling (the 1998 paper's S layers): each unit adds up its 2x2 window of one map, "
        "multiplies the sum by the map's trainable coefficient, adds its bias and squashes the result: "
        "pooling with two parameters per map."
    )
    forms = {
        "subsample": "subsample F [stride S] [activation] (LeNet's trainable subsampling: a coefficient and a bias "
        "per map)"
    }
    order = 110
    options = {"stride": STRIDE}
    takes_activation = True

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        d1 = image_shape(layer, state)[2]
        h2, w2 = self.output_size(layer, state, floor)
        ff, ff_num = window_area(layer.kernel)
        fh, fw = layer.kernel
        connections = h2 * w2 * d1 * (fh * fw + 1)
        state.steps += [
            f"D2 = D1 = {d1}",
            f"params = 2*D1 = 2*{d1} = {2 * d1} (a coefficient and a bias per map)",
            f"connections (MACs) = H2*W2*D2*({ff} + 1) = {h2}*{w2}*{d1}*({ff_num} + 1) = {connections:,}",
        ]
        return Computed((h2, w2, d1), 2 * d1, 0, connections)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import Subsampling

        return [Subsampling(layer.kernel, layer.stride, activation=layer.activation, name=layer.name)]

    def maps_read(self, layer: Layer, channel: int) -> list[int] | None:
        return [channel]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """coefficient * (the window's sum) + bias, then the activation."""
        window = explorer.patch(layer, below, row, col)[..., channel]
        coefficient, bias = (w[channel] for w in explorer.weights(layer.name))
        total = float(window.sum(dtype="float64"))
        return {
            "kind": layer.kind,
            "inputs": window.tolist(),
            "sum": total,
            "coefficient": float(coefficient),
            "bias": float(bias),
            **explorer.activated(layer, float(coefficient) * total + float(bias)),
        }
