"""globalavgpool and globalmaxpool: one value per channel, the mean or the largest over all positions (Keras'
GlobalAveragePooling2D and GlobalMaxPooling2D); no parameters."""

from __future__ import annotations

from ..engine import Computed, State, image_shape, whole_image
from ..spec import Layer
from . import register
from .base import LayerType


class _GlobalPooling(LayerType):
    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        h, w, d = image_shape(layer, state)
        operations = h * w * d
        state.steps += [
            f"output = D1 = {d} (one value per channel, over all {h}x{w} positions)",
            "params = 0",
            f"operations = H*W*D = {h}*{w}*{d} = {operations:,}",
        ]
        whole_image(state)
        return Computed((d,), 0, 0, operations)


@register
class GlobalAvgPool(_GlobalPooling):
    kind = "globalavgpool"
    keras_type = "GlobalAveragePooling2D"
    explains = "Global average pooling: each activation map made one number, its mean; no parameters."
    forms = {"globalavgpool": "globalavgpool"}
    aliases = {"globalaveragepool": "globalavgpool"}
    order = 80


@register
class GlobalMaxPool(_GlobalPooling):
    kind = "globalmaxpool"
    keras_type = "GlobalMaxPooling2D"
    explains = "Global max pooling: each activation map made one number, its largest value; no parameters."
    forms = {"globalmaxpool": "globalmaxpool"}
    order = 90
