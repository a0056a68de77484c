"""The analytic engine: output shape, parameters, receptive field and connections of every layer, each number
with its worked steps in the lecture's notation. The engine walks the layers and keeps the totals; each layer's
own arithmetic is its layer type's rule (``zoo/layers/``, one module a type).

Shapes follow Keras exactly (its ``model.summary()`` is the ground truth the tests hold this to): ``pad P`` is
zero padding followed by a 'valid' window; 'same' gives ceil(N/S), worked as (N - F + 2P)/S + 1 with the
padding Keras adds; a window that does not fit is an error unless
``floor=True``, which floors as Keras does.

Pure Python: nothing here imports numpy, TensorFlow or Keras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .layers import kinds
from .spec import Layer, SpecError, parse


class DoesNotFit(SpecError):
    """A window that does not fit its input by the lecture's formula, though Keras would floor it."""


class Row(NamedTuple):
    """What an answer key is made of, per layer: the same from the engine and from a Keras model."""

    output_shape: tuple[int, ...]
    params: int
    fits: bool


class LayerResult(NamedTuple):
    name: str
    type: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    trainable_params: int
    non_trainable_params: int
    receptive_field: tuple[int, int] | None
    connections: int  # the LeNet-5 paper's count: every multiply-add, each bias one more; operations where none
    steps: tuple[str, ...]
    fits: bool = True  # False where --floor dropped rows or columns, as Keras does

    @property
    def params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output_shape": list(self.output_shape),
            "params": self.params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
            "receptive_field": list(self.receptive_field) if self.receptive_field else None,
            "macs": self.connections,
            "connections": self.connections,  # the LeNet-5 paper's word for the same count
            "steps": list(self.steps),
            "fits": self.fits,
        }


@dataclass(frozen=True)
class NetworkResult:
    input_shape: tuple[int, ...]
    layers: tuple[LayerResult, ...]

    @property
    def trainable_params(self) -> int:
        return sum(r.trainable_params for r in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(r.non_trainable_params for r in self.layers)

    @property
    def total_params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def total_connections(self) -> int:
        return sum(r.connections for r in self.layers)

    def rows(self) -> list[Row]:
        return [Row(r.output_shape, r.params, r.fits) for r in self.layers]

    def layer(self, name: str) -> LayerResult:
        return next(r for r in self.layers if r.name == name)

    def to_dict(self) -> dict:
        return {
            "input_shape": list(self.input_shape),
            "layers": [r.to_dict() for r in self.layers],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
            "total_macs": self.total_connections,
            "total_connections": self.total_connections,
        }


@dataclass
class State:
    """What flows from one layer to the next: the shape, and for the receptive field the size R and the jump J
    (input pixels between neighbouring units), per axis (height, width). A layer type's rule adds its worked
    steps and updates the receptive field."""

    shape: tuple[int, ...]
    image: tuple[int, int] | None  # the network input's H, W: what a flat unit sees
    rf: tuple[int, int] | None
    jump: tuple[int, int] = (1, 1)
    steps: list[str] = field(default_factory=list)
    fits: bool = True
    merged: list[tuple[str, State]] = field(default_factory=list)  # (name, state) of every input of add or concat


class Computed(NamedTuple):
    """What a layer type's rule gives for one layer (its worked steps go to the State)."""

    shape: tuple[int, ...]
    trainable: int
    non_trainable: int
    connections: int


def plural(n: int, word: str) -> str:
    """1 column, 2 columns."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def image_shape(layer: Layer, state: State) -> tuple[int, int, int]:
    """The input's H, W, D, for a layer that needs an image; one line otherwise."""
    if len(state.shape) != 3:
        raise SpecError(
            f"{layer.kind} needs an image input HxWxD, but its input is a flat vector of "
            f"{plural(state.shape[0], 'value')} "
            "(put it before flatten, or start from 'input HxWxD')",
            layer.where,
        )
    h, w, d = state.shape
    return h, w, d


def whole_image(state: State) -> None:
    """After flatten or global pooling every unit sees the whole input image."""
    state.rf = state.image


def analyze(layers: list[Layer] | str, floor: bool = False) -> NetworkResult:
    """Compute every layer after the input. ``layers`` is parsed spec layers or spec text."""
    if isinstance(layers, str):
        return _analyze_text(layers, floor)
    return _analyze(layers, floor)


def _analyze_text(text: str, floor: bool) -> NetworkResult:
    outcome = _outcome(text, floor)
    if isinstance(outcome, SpecError):  # a new error each time: one raised keeps the traceback it was raised with
        raise type(outcome)(outcome.message, outcome.where)
    return outcome


@lru_cache(maxsize=4096)  # immutable, an error's message too: a quiz asks for the same spec's key, solution and table
def _outcome(text: str, floor: bool) -> NetworkResult | SpecError:
    """The spec's analysis, or the error that says why it has none (remembered as the analysis is: a quiz's draws
    try the same misfits again and again)."""
    if not floor:  # where every window fits, flooring changes nothing: one analysis serves both (quizzes ask both)
        floored = _outcome(text, True)
        if isinstance(floored, NetworkResult) and all(r.fits for r in floored.layers):
            return floored
    try:
        return _analyze(parse(text), floor)
    except SpecError as err:
        return err


def _analyze(layers: list[Layer], floor: bool) -> NetworkResult:
    shape = layers[0].shape
    image = (shape[0], shape[1]) if len(shape) == 3 else None
    states = {layers[0].name: State(shape=shape, image=image, rf=(1, 1) if image else None)}
    previous = layers[0].name
    results = []
    layer_types = kinds()
    for layer in layers[1:]:
        layer_type = layer_types[layer.kind]
        sources = layer.inputs or (previous,)
        first = states[sources[0]]
        state = State(
            shape=first.shape,
            image=first.image,
            rf=first.rf,
            jump=first.jump,
            merged=[(name, states[name]) for name in sources] if layer_type.merges else [],
        )
        in_shape = state.shape
        out_shape, trainable, non_trainable, connections = layer_type.rule(layer, state, floor)
        state.shape = out_shape
        states[layer.name] = state
        previous = layer.name
        results.append(
            LayerResult(
                name=layer.name,
                type=layer_type.type_name(layer),
                input_shape=in_shape,
                output_shape=out_shape,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
                receptive_field=state.rf,
                connections=connections,
                steps=tuple(state.steps),
                fits=state.fits,
            )
        )
    return NetworkResult(input_shape=shape, layers=tuple(results))
