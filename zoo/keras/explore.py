"""`convzoo explore`'s Keras side: a trained zoo model opened once, every layer's activations for a digit in one
call, and the working of one unit (its window, the model's real weights, the sum over channels plus bias).
Imported by the command's background loader alone, once the page is served: importing it starts TensorFlow. The
model file has been checked before, without TensorFlow (``model_file``).

The layer arithmetic beside each layer (shapes, parameters, receptive fields, worked steps) is the engine's own:
the model is matched to the zoo model it was built from, and its engine rows are shown as they are.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..layers import kinds
from ..layers.window import Window
from ..spec import Layer
from . import photos, training
from .backend import load_keras
from .layers import keras_activation
from .mnist import Mnist
from .model_file import ZooModel

keras = load_keras()
import tensorflow as tf  # noqa: E402  (started quietly by load_keras)

MAX_MAPS = 64  # maps drawn per layer (VGG's 512 would fill a screen with thumbnails no one reads)
MAX_STRIP = 4096  # a flat layer longer than this is not drawn (mnist_cnn's flatten: 9,216 values)
MAX_WRONG = 200  # misclassified test digits listed (a model at 98.5% gets 150 wrong)


def activate(name: str | None, z: float) -> float:
    """A spec activation (not softmax, which needs the whole layer: ``Explorer.activated``) of one value, by
    the same function the model applied."""
    return float(keras.activations.get(keras_activation(name))(np.float32(z)))


@dataclass
class Opened:
    """A zoo model's file, loaded, and MNIST's test set for "load a test digit"."""

    zoo: ZooModel  # the zoo model the file was found to be: its spec layers and the engine's result for them
    model: Any  # the keras.Model
    mnist: Mnist | None


def open_model(zoo: ZooModel, mnist: Mnist | None) -> Opened:
    """Load the model that ``zoo`` found in its file, and check every layer's output shape against the zoo
    model's: what its config.json does not record (the last layer's) is known only now. One line otherwise
    (TrainingError)."""
    model = training.load_model(str(zoo.path))
    for row in zoo.engine.layers:
        try:
            shape = tuple(model.get_layer(row.name).output.shape[1:])
        except ValueError:
            shape = None
        if shape != row.output_shape:
            raise training.TrainingError(
                f"{zoo.path}: not a model convzoo trained (its layer {row.name} is not "
                f"{zoo.name}'s); explore takes the model.keras that convzoo train writes"
            )
    return Opened(zoo, model, mnist)


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _quantised(values: np.ndarray) -> dict:
    """Values as bytes for the page's pictures: 0-255 over the layer's own range, with the range."""
    lo, hi = float(values.min()), float(values.max())
    scaled = np.zeros(values.shape, "uint8") if hi == lo else np.round((values - lo) / (hi - lo) * 255).astype("uint8")
    return {"lo": lo, "hi": hi, "bytes": _b64(scaled)}


class Explorer:
    """One model, opened once: every layer's activations in one call, and the working of any unit."""

    def __init__(self, opened: Opened):
        self.opened = opened
        self.model = opened.model
        self.spec = {layer.name: layer for layer in opened.zoo.layers}
        self.input_name = opened.zoo.layers[0].name
        self.input_shape = tuple(self.model.input_shape[1:])
        self.rows = opened.zoo.engine.layers
        probe = keras.Model(self.model.input, [self.model.get_layer(r.name).output for r in self.rows])
        # one traced graph for the one input shape: a call costs the arithmetic, not Python's layer-by-layer walk
        self._forward = tf.function(
            lambda x: probe(x, training=False), input_signature=[tf.TensorSpec((1, *self.input_shape), "float32")]
        )
        self._forward(tf.zeros((1, *self.input_shape)))
        self._wrong: dict | None = None  # misclassified(), once worked out

    def _below(self, name: str) -> str:
        layer = self.spec[name]
        if layer.inputs:
            return layer.inputs[0]
        names = list(self.spec)
        return names[names.index(name) - 1]

    # --- a digit through the model -----------------------------------------------------------------------
    def digit(self, drawing: tuple[bytes, int, int] | None = None, test_index: int | None = None):
        """The 28x28 digit and its label (a test digit's), or (None, None) for a blank drawing (its ink, one
        byte a pixel, with its height and width)."""
        if test_index is not None:
            mnist = self.opened.mnist
            assert mnist is not None  # the app offers test digits only when there is a test set
            return mnist.x_test[test_index], int(mnist.y_test[test_index])
        assert drawing is not None
        ink, height, width = drawing
        return photos.digit_from_drawing(np.frombuffer(ink, "uint8").reshape(height, width)), None

    def forward(self, digit: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """The input the model receives (H x W x C) and every layer's output, in one call."""
        given = training.fit_inputs(digit[None], self.input_shape)
        outputs = self._forward(tf.constant(given))
        return given[0], [np.asarray(o)[0] for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]

    def analyze(self, digit: np.ndarray, label: int | None = None) -> dict:
        given, outputs = self.forward(digit)
        layers = {}
        for row, values in zip(self.rows, outputs):
            if values.ndim == 3 and values.shape[0] * values.shape[1] > 1:  # 1x1 maps: one strip of values
                shown = min(values.shape[-1], MAX_MAPS)
                layers[row.name] = {"maps": shown, **_quantised(np.moveaxis(values[..., :shown], -1, 0))}
            elif values.size <= MAX_STRIP:
                layers[row.name] = {"maps": 0, **_quantised(values.reshape(-1))}
            else:
                layers[row.name] = {"maps": 0, "bytes": None}
        return {
            "digit": _b64(digit.astype("uint8")),
            "label": label,
            "top": training.top_classes(self.model, outputs[-1]),
            "input": {"values": _b64(given[..., 0].astype("float32")), **_quantised(given[..., 0])},
            "layers": layers,
        }

    # --- the test digits the model gets wrong --------------------------------------------------------------
    def misclassified(self) -> dict:
        """Every test digit the model names wrong (its index, label, the digit named and its probability, the
        surest mistakes first, at most MAX_WRONG of them), with how many there are of how many; worked out
        once, on the first call (seconds: the whole test set through the model)."""
        if self._wrong is None:
            mnist = self.opened.mnist
            assert mnist is not None  # the app asks only when there is a test set
            outputs = self.model.predict(
                training.fit_inputs(mnist.x_test, self.input_shape), batch_size=1000, verbose=0
            )
            named = [training.top_classes(self.model, o)[0] for o in outputs]
            wrong = [
                (index, int(label), digit, probability)
                for index, (label, (digit, probability)) in enumerate(zip(mnist.y_test, named))
                if digit != label
            ]
            wrong.sort(key=lambda entry: (-entry[3], entry[0]))
            self._wrong = {"count": len(wrong), "of": len(named), "digits": [list(w) for w in wrong[:MAX_WRONG]]}
        return self._wrong

    # --- one unit, worked ----------------------------------------------------------------------------------
    def unit(self, digit: np.ndarray, name: str, channel: int, row: int, col: int) -> dict:
        """The working of unit (row, col) of map ``channel`` of layer ``name``: its window on the input and
        on the layer below, and the sum that made it, with the model's weights and this digit's values."""
        given, outputs = self.forward(digit)
        values = {self.input_name: given, **{r.name: o for r, o in zip(self.rows, outputs)}}
        layer = self.spec[name]
        below_name = self._below(name)
        below = values[below_name]
        value = values[name][row, col, channel] if values[name].ndim == 3 else values[name][channel]
        working = kinds()[layer.kind].working(self, layer, below, channel, row, col)
        rows, cols = self.window(name, (row, row), (col, col))
        return {
            "layer": name,
            "map": channel,
            "row": row,
            "col": col,
            "value": float(value),
            "below": below_name,
            "working": working,
            "input_window": {"rows": list(rows), "cols": list(cols)},
            "below_window": self._window_below(layer, below, channel, row, col),
        }

    def _window_below(self, layer, below: np.ndarray, channel: int, row: int, col: int) -> dict | None:
        """The unit's window on the layer below, and which of its maps it reads (None: all of them)."""
        if below.ndim != 3:
            return None
        if len(self._shape(layer.name)) != 3:  # a flat unit reads all of the layer below
            return {"rows": [0, below.shape[0] - 1], "cols": [0, below.shape[1] - 1], "maps": None}
        layer_type = kinds()[layer.kind]
        rows, cols = layer_type.step_back(layer, below.shape, (row, row), (col, col))
        return {"rows": list(rows), "cols": list(cols), "maps": layer_type.maps_read(layer, channel)}

    def window(self, name: str, rows: tuple[int, int], cols: tuple[int, int]) -> tuple[tuple, tuple]:
        """The rows and columns of the network's input that units ``rows`` x ``cols`` of layer ``name`` see
        (before clipping to the image: a window reaching into the padding goes past its edges)."""
        if name == self.input_name:
            return rows, cols
        layer = self.spec[name]
        below = self._below(name)
        shape = self._shape(below)
        if len(shape) != 3 or len(self._shape(name)) != 3:
            return (0, self.input_shape[0] - 1), (0, self.input_shape[1] - 1)  # a flat unit sees everything
        layer_type = kinds()[layer.kind]
        sources = layer.inputs if layer_type.merges else (below,)
        seen = [self.window(source, *layer_type.step_back(layer, shape, rows, cols)) for source in sources]
        return (
            (min(s[0][0] for s in seen), max(s[0][1] for s in seen)),
            (min(s[1][0] for s in seen), max(s[1][1] for s in seen)),
        )

    def _shape(self, name: str) -> tuple[int, ...]:
        return self.input_shape if name == self.input_name else self.opened.zoo.engine.layer(name).output_shape

    # --- what a layer type's working asks (zoo.layers.base.Explorer) -------------------------------------------
    def weights(self, name: str) -> list[np.ndarray]:
        return [np.asarray(w) for w in self.model.get_layer(name).get_weights()]

    def patch(self, layer: Layer, below: np.ndarray, row: int, col: int) -> np.ndarray:
        """The window of unit (row, col) of a window layer on the layer below, zero padding included:
        Fh x Fw x D1."""
        window = kinds()[layer.kind]
        assert isinstance(window, Window)
        top, left = window.padding_before(layer, below.shape[0], 0), window.padding_before(layer, below.shape[1], 1)
        (fh, fw), (dy, dx) = layer.kernel, layer.dilation
        padded = np.pad(below, ((top, top + fh * dy), (left, left + fw * dx), (0, 0)))
        r, c = row * layer.stride[0], col * layer.stride[1]
        return padded[r : r + dy * (fh - 1) + 1 : dy, c : c + dx * (fw - 1) + 1 : dx, :]

    def activated(self, layer: Layer, z: float, every_z: np.ndarray | None = None) -> dict:
        """z and the activation of it; softmax needs the z of every unit of the layer (``every_z``)."""
        if layer.activation == "softmax":
            assert every_z is not None
            shifted = np.exp(every_z.astype("float64") - every_z.max())
            return {
                "z": float(z),
                "activation": "softmax",
                "activated": float(np.exp(z - every_z.max()) / shifted.sum()),
                "exp_sum": float(shifted.sum()),
                "z_max": float(every_z.max()),
            }
        return {"z": float(z), "activation": layer.activation or "linear", "activated": activate(layer.activation, z)}

    def activate(self, name: str | None, z: float) -> float:
        return activate(name, z)
