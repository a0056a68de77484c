"""batchnorm: each channel normalised, then scaled and shifted (Keras' BatchNormalization): gamma and beta are
trained, the moving mean and variance are not."""

from __future__ import annotations

import math

from ..engine import Computed, State
from ..spec import Layer
from . import register
from .base import LayerType


@register
class BatchNorm(LayerType):
    kind = "batchnorm"
    keras_type = "BatchNormalization"
    explains = (
        "Batch normalization: each map's values shifted and scaled by what training learned of their mean and "
        "spread, then by two trainable numbers per map."
    )
    forms = {"batchnorm": "batchnorm"}
    aliases = {"bn": "batchnorm", "batchnormalization": "batchnorm"}
    order = 70

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        c = state.shape[-1]
        size = math.prod(state.shape)
        state.steps += [
            f"params = 4*C = 4*{c} = {4 * c:,}: gamma and beta are trained (2*{c} = {2 * c:,}), "
            f"the moving mean and variance are not (2*{c} = {2 * c:,})",
            f"operations = one scale and shift per value = {size:,}",
        ]
        return Computed(state.shape, 2 * c, 2 * c, size)
