"""Build a spec as a real ``keras.Model`` and hold the engine to it, layer by layer.

The only module of ``zoo`` that imports Keras (and so TensorFlow); it is imported lazily, by the commands that
need Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..engine import NetworkResult, Row
from ..layers import kinds
from ..layers.window import Window
from ..spec import Layer, Where, fmt_dims
from .backend import load_keras

keras = load_keras()


@dataclass
class KerasBuild:
    model: Any  # the keras.Model
    # spec layer name -> the Keras layers that make it up (``pad P`` adds a ZeroPadding2D before the window)
    parts: dict[str, list[Any]]


def keras_layers(layer: Layer) -> list:
    """The Keras layers for one spec layer: its layer type's."""
    return kinds()[layer.kind].keras_layers(layer)


def build_keras(layers: list[Layer], name: str = "convzoo") -> KerasBuild:
    inputs = keras.Input(shape=layers[0].shape, name=layers[0].name)
    outputs = {layers[0].name: inputs}  # every layer's output, for 'from', add and concat
    x = inputs
    parts = {}
    for layer in layers[1:]:
        made = keras_layers(layer)
        if kinds()[layer.kind].merges:
            x = made[0]([outputs[name] for name in layer.inputs])
        else:
            x = outputs[layer.inputs[0]] if layer.inputs else x
            for keras_layer in made:
                x = keras_layer(x)
        outputs[layer.name] = x
        parts[layer.name] = made
    return KerasBuild(model=keras.Model(inputs, x, name=name), parts=parts)


def _count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def compare(result: NetworkResult, build: KerasBuild) -> list[str]:
    """Every difference between the engine and Keras, one line each; an empty list means they agree."""
    problems = []
    for r in result.layers:
        made = build.parts[r.name]
        keras_shape = tuple(made[-1].output.shape[1:])
        trainable = sum(_count(k.trainable_weights) for k in made)
        non_trainable = sum(_count(k.non_trainable_weights) for k in made)
        for what, ours, theirs in (
            ("output shape", fmt_dims(r.output_shape), fmt_dims(keras_shape)),
            ("trainable params", r.trainable_params, trainable),
            ("non-trainable params", r.non_trainable_params, non_trainable),
        ):
            if ours != theirs:
                problems.append(f"{r.name}: {what}: engine {ours}, Keras {theirs}")
    if result.total_params != build.model.count_params():
        problems.append(f"total params: engine {result.total_params:,}, Keras {build.model.count_params():,}")
    return problems


def fits_in_keras(build: KerasBuild, layer: Layer) -> bool:
    """Whether a window fits by the shapes Keras gave it (a layer that is no window always does)."""
    layer_type = kinds()[layer.kind]
    if not isinstance(layer_type, Window):
        return True
    window = build.parts[layer.name][-1]
    return layer_type.keras_fits(layer, tuple(window.input.shape), tuple(window.output.shape))


def keras_rows(layers: list[Layer]) -> list[Row]:
    """Output shape, parameters and fit of every layer after the input, as Keras' own layers give them. Each
    layer is built on its own, on the shape Keras gave its input, and measured once for a given input; its
    weights are declared but never allocated (see ``_measure``), so a class's quiz full of VGG-16 questions is
    checked in seconds and never holds a network's weights."""
    shapes = {layers[0].name: tuple(layers[0].shape)}
    previous, rows = layers[0].name, []
    for layer in layers[1:]:
        sources = layer.inputs or (previous,)
        row = _measure(layer._replace(name="layer", where=_NOWHERE, inputs=()), tuple(shapes[s] for s in sources))
        shapes[layer.name], previous = row.output_shape, layer.name
        rows.append(row)
    return rows


_NOWHERE = Where(0, 0)  # a layer measured is the same wherever the spec wrote it


@lru_cache(maxsize=8192)
def _measure(layer: Layer, input_shapes: tuple[tuple[int, ...], ...]) -> Row:
    """One layer's row from Keras: its build declares the weights (their shapes give the parameter count) and
    compute_output_shape gives the shape, the functions a Keras model's summary reads too. Inside a
    StatelessScope that does not initialise them, the weights are never allocated; Keras' list of variables
    waiting to be initialised is emptied afterwards, so no later scope allocates them either."""
    from keras.src.backend.common import global_state  # the list of variables waiting to be initialised

    layer_type = kinds()[layer.kind]
    made = layer_type.keras_layers(layer)
    shape: Any = [(None, *s) for s in input_shapes] if layer_type.merges else (None, *input_shapes[0])
    before = shape
    with keras.StatelessScope(initialize_variables=False):
        for keras_layer in made:
            before = shape
            keras_layer.build(shape)
            shape = tuple(keras_layer.compute_output_shape(shape))
        params = sum(k.count_params() for k in made)
    global_state.set_global_attribute("uninitialized_variables", [])
    fits = not isinstance(layer_type, Window) or layer_type.keras_fits(layer, before, shape)
    return Row(output_shape=shape[1:], params=params, fits=fits)


def _from_float32(value: float):
    """Keras computes in float32: whole numbers back to ints, the rest to the precision a key is written in."""
    return int(round(value)) if abs(value - round(value)) < 1e-4 else round(value, 4)


def keras_convolve(image, kernel, *, stride=1, pad=0, bias=0, flip=False, floor=False):
    """The output map of Keras' convolution (keras.ops.conv, what Conv2D calls; after zero padding) with the
    kernel and bias as its weights. Keras floors a window that does not fit, so ``floor`` needs no handling."""
    import numpy

    if flip:
        kernel = [[row[::-1] for row in k[::-1]] for k in kernel]
    x = numpy.array(image, dtype="float32").transpose(1, 2, 0)[None]
    if pad:
        x = numpy.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    weights = numpy.array(kernel, dtype="float32").transpose(1, 2, 0)[:, :, :, None]
    out = keras.ops.conv(x, weights, strides=stride, padding="valid") + numpy.float32(bias)
    return [[_from_float32(v) for v in row] for row in keras.ops.convert_to_numpy(out)[0, :, :, 0].tolist()]


def keras_pool(image, *, size, stride=None, mode="max", floor=False):
    """The maps of Keras' max or average pooling (keras.ops, what MaxPooling2D and AveragePooling2D call),
    one per channel."""
    import numpy

    pool = keras.ops.max_pool if mode == "max" else keras.ops.average_pool
    x = numpy.array(image, dtype="float32").transpose(1, 2, 0)[None]
    out = keras.ops.convert_to_numpy(pool(x, size, strides=stride or size, padding="valid"))
    return [[[_from_float32(v) for v in row] for row in m] for m in out[0].transpose(2, 0, 1).tolist()]


class KerasOracle:
    """The same questions as ``questions.core.EngineOracle``, answered by real Keras layers."""

    @staticmethod
    def rows(spec: str) -> list[Row]:  # parse and each layer's measure are cached: nothing to keep here
        from ..spec import parse

        return keras_rows(parse(spec))

    @staticmethod
    def convolve(data: dict):
        from ..grid import convolve_args

        return keras_convolve(**convolve_args(data))

    @staticmethod
    def pool(data: dict):
        from ..grid import pool_args

        return keras_pool(**pool_args(data))
