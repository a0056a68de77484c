"""maxpool and avgpool: the largest or the mean value of each F x F window, map by map (Keras' MaxPooling2D and
AveragePooling2D); no parameters."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State, image_shape
from ..spec import Layer
from . import register
from .base import Explorer
from .window import Window, window_area


class _Pooling(Window):
    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        d1 = image_shape(layer, state)[2]
        h2, w2 = self.output_size(layer, state, floor)
        fh, fw = layer.kernel
        ff, ff_num = window_area(layer.kernel)
        operations = h2 * w2 * d1 * fh * fw
        state.steps += [
            f"D2 = D1 = {d1}",
            "params = 0 (pooling computes a fixed function of its input)",
            f"operations = H2*W2*D2*{ff} = {h2}*{w2}*{d1}*{ff_num} = {operations:,}",
        ]
        return Computed((h2, w2, d1), 0, 0, operations)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras

        return self.keras_window(layer, getattr(keras.layers, self.keras_type), pool_size=layer.kernel)

    def maps_read(self, layer: Layer, channel: int) -> list[int] | None:
        return [channel]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        window = explorer.patch(layer, below, row, col)[..., channel]
        return {"kind": layer.kind, "inputs": window.tolist(), "value": self.pooled(window)}

    def pooled(self, window: Any) -> float:
        raise NotImplementedError


@register
class MaxPool(_Pooling):
    kind = "maxpool"
    keras_type = "MaxPooling2D"
    explains = (
        "Max pooling: each unit is the largest value in its window, on each activation map independently. It "
        "makes the maps smaller (W2 = (W1 - F)/S + 1) and keeps their number; it has no parameters, since it "
        "computes a fixed function of its input."
    )
    forms = {"maxpool": "maxpool F [stride S] [pad P|same|valid]"}
    aliases = {"maxpool2d": "maxpool", "max_pool": "maxpool"}
    order = 20

    def pooled(self, window: Any) -> float:
        return float(window.max())


@register
class AvgPool(_Pooling):
    kind = "avgpool"
    keras_type = "AveragePooling2D"
    explains = (
        "Average pooling: each unit is the mean of its window, on each activation map independently. It makes "
        "the maps smaller (W2 = (W1 - F)/S + 1) and keeps their number; it has no parameters."
    )
    forms = {"avgpool": "avgpool F [stride S] [pad P|same|valid]"}
    aliases = {"avgpool2d": "avgpool", "avg_pool": "avgpool", "averagepool": "avgpool"}
    order = 30

    def pooled(self, window: Any) -> float:
        return float(window.mean(dtype="float64"))
