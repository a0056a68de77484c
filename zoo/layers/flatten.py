"""flatten: an image's values in one row (Keras' Flatten); no parameters."""

from __future__ import annotations

import math
from typing import Any

from ..engine import Computed, State, whole_image
from ..spec import Layer
from . import register
from .base import Explorer, LayerType


@register
class Flatten(LayerType):
    kind = "flatten"
    keras_type = "Flatten"
    explains = (
        "Flatten: the activation maps laid out one after the other as a single vector, so that fully "
        "connected layers can read them. Nothing is computed and there are no parameters."
    )
    forms = {"flatten": "flatten"}
    order = 40

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        n = math.prod(state.shape)
        if len(state.shape) == 3:
            h, w, d = state.shape
            state.steps.append(f"output = H*W*D = {h}*{w}*{d} = {n:,} values")
        else:
            state.steps.append(f"output = {n:,} values (already flat)")
        state.steps.append("params = 0 (flatten only rearranges values)")
        whole_image(state)
        return Computed((n,), 0, 0, 0)

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        return {"kind": "note", "note": "flatten only rearranges values: this is one of the layer below's values"}
