"""rbf: LeNet-5's output, N Euclidean RBF units: unit i gives sum_j (x_j - w_ij)^2, the distance of its input
to a fixed +-1 code (convzoo's Keras layer RBFOutput)."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State
from ..spec import Layer, SpecError, fmt_dims
from . import register
from .base import Explorer
from .dense import Dense


@register
class RBF(Dense):
    kind = "rbf"
    keras_type = "RBFOutput"
    explains = (
        "LeNet-5's output layer (the 1998 paper's RBF units): each class's unit is the squared distance "
        "between the 84 values below and that class's fixed code; the nearest code is the answer."
    )
    forms = {"rbf": "rbf N (LeNet's output: N Euclidean RBF units with fixed +-1 codes)"}
    aliases = {}
    order = 120
    takes_activation = False

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        if len(state.shape) != 1:
            raise SpecError(
                f"rbf needs a flat input (put it after flatten or a dense layer), got {fmt_dims(state.shape)}",
                layer.where,
            )
        n1, n = state.shape[0], layer.units
        codes = n1 * n
        state.steps += [
            f"output = N = {n} (y_i = sum_j (x_j - w_ij)^2: the distance to code i)",
            f"params = 0 trainable; the fixed +-1 codes are N1*N = {n1}*{n} = {codes:,} non-trainable values",
            f"connections (MACs) = N1*N = {codes:,}",
        ]
        return Computed((n,), 0, codes, codes)

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import RBFOutput

        return [RBFOutput(layer.units, name=layer.name)]

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """The squared distance of F6's values to class ``channel``'s code."""
        codes = explorer.weights(layer.name)[0][:, channel]
        return {"kind": "rbf", "count": int(codes.size), "value": float(((below - codes) ** 2).sum(dtype="float64"))}
