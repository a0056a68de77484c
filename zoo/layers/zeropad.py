"""zeropad: a border of P zeros around every map (Keras' ZeroPadding2D); no parameters."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State, image_shape
from ..spec import Item, Layer, pair, pair_text
from . import register
from .base import Explorer, LayerType


@register
class ZeroPad(LayerType):
    kind = "zeropad"
    keras_type = "ZeroPadding2D"
    explains = "Zero padding: a border of zeros around each map, so that a window can be centred on the edge pixels."
    forms = {"zeropad": "zeropad P"}
    order = 100

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        text, where = item.take("the padding P (as in 'zeropad 3')")
        return Layer(padding=pair(text, where, "the padding P"), **base)

    def text(self, layer: Layer, stated: bool) -> str:
        return f"zeropad {pair_text(layer.pads)}"

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        h, w, d = image_shape(layer, state)
        ph, pw = layer.pads
        out = (h + 2 * ph, w + 2 * pw, d)
        state.steps += [
            f"W2 = W1 + 2P = {w} + 2*{pw} = {out[1]}",
            f"H2 = H1 + 2P = {h} + 2*{ph} = {out[0]}",
            "params = 0 (a border of zeros)",
        ]
        return Computed(out, 0, 0, 0)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras

        ph, pw = layer.pads
        return [keras.layers.ZeroPadding2D(padding=((ph, ph), (pw, pw)), name=layer.name)]

    def step_back(
        self, layer: Layer, below_shape: tuple[int, ...], rows: tuple[int, int], cols: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        ph, pw = layer.pads
        return (rows[0] - ph, rows[1] - ph), (cols[0] - pw, cols[1] - pw)

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        return {"kind": "note", "note": "a border of zeros around the layer below"}
