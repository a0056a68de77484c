"""add and concat: the outputs of earlier layers summed (a residual connection; Keras' Add) or stacked in depth
(an inception module; Keras' Concatenate); no parameters."""

from __future__ import annotations

import math
from typing import Any

from ..engine import Computed, State
from ..spec import Item, Layer, SpecError, fmt_dims
from . import register
from .base import LayerType


class _Merge(LayerType):
    merges = True

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        names = []
        while item.peek() is not None:
            _, where = item.take("a layer name")
            names.append(where.token)
        if len(names) < 2:
            raise SpecError(
                f"{base['kind']} needs the names of two or more earlier layers, as in "
                f"'{base['kind']} block1_conv block1_shortcut'",
                base["where"],
            )
        return Layer(inputs=tuple(names), **base)

    def text(self, layer: Layer, stated: bool) -> str:
        return " ".join((layer.kind,) + layer.inputs)

    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        names = [name for name, _ in state.merged]
        shapes = [s.shape for _, s in state.merged]
        listed = ", ".join(f"{n} {fmt_dims(s)}" for n, s in zip(names, shapes))
        out, operations = self.merged(layer, state, names, shapes, listed)
        # a unit sees what any of its inputs sees
        if state.rf:
            state.rf = (max(s.rf[0] for _, s in state.merged if s.rf), max(s.rf[1] for _, s in state.merged if s.rf))
        state.jump = (max(s.jump[0] for _, s in state.merged), max(s.jump[1] for _, s in state.merged))
        return Computed(out, 0, 0, operations)

    def merged(
        self, layer: Layer, state: State, names: list[str], shapes: list[tuple[int, ...]], listed: str
    ) -> tuple[tuple[int, ...], int]:
        """The output shape and the operations, with the worked steps (``listed``: the inputs and their shapes)."""
        raise NotImplementedError


@register
class Add(_Merge):
    kind = "add"
    keras_type = "Add"
    forms = {"add": "add A B ... (the outputs of earlier layers A, B, ... summed: a residual connection)"}
    order = 130

    def merged(
        self, layer: Layer, state: State, names: list[str], shapes: list[tuple[int, ...]], listed: str
    ) -> tuple[tuple[int, ...], int]:
        if len(set(shapes)) != 1:
            raise SpecError(f"add needs inputs of one shape, got {listed}", layer.where)
        out = shapes[0]
        size = math.prod(out)
        operations = size * (len(shapes) - 1)
        state.steps += [
            f"output = the shape of every input = {fmt_dims(out)} ({' + '.join(names)})",
            "params = 0",
            f"operations = (inputs - 1)*H*W*D = {len(shapes) - 1}*{size:,} = {operations:,}",
        ]
        return out, operations


@register
class Concat(_Merge):
    kind = "concat"
    keras_type = "Concatenate"
    forms = {"concat": "concat A B ... (the outputs of earlier layers A, B, ... stacked in depth: an inception module)"}
    order = 140

    def merged(
        self, layer: Layer, state: State, names: list[str], shapes: list[tuple[int, ...]], listed: str
    ) -> tuple[tuple[int, ...], int]:
        if any(len(s) != 3 for s in shapes) or len({s[:2] for s in shapes}) != 1:
            raise SpecError(f"concat needs inputs of one height and width, got {listed}", layer.where)
        depth = sum(s[2] for s in shapes)
        out = shapes[0][:2] + (depth,)
        state.steps += [f"D2 = {' + '.join(str(s[2]) for s in shapes)} = {depth} (stacked in depth)", "params = 0"]
        return out, 0

    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import keras

        return [keras.layers.Concatenate(axis=-1, name=layer.name)]
