"""The Keras layers that LeNet-5 as the 1998 paper built it needs and Keras does not have: the scaled tanh,
trainable subsampling, a convolution with a partial connection table, and Euclidean RBF output units.
Registered as serializable, so a saved model loads again. The layer types' Keras builders (``zoo/layers/``)
import ``keras`` (started quietly), ``keras_activation`` and these layers from here when they are called."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import CONNECTION_TABLES
from .backend import load_keras

keras: Any = load_keras()  # a module mypy cannot see into (loaded by name): its layers are base classes here
ops = keras.ops


@keras.saving.register_keras_serializable(package="convzoo")
def scaled_tanh(x):
    """LeCun et al. (1998), appendix A: f(a) = 1.7159 tanh(2a/3), so that f(1) = 1 and f(-1) = -1."""
    return 1.7159 * ops.tanh(x * (2.0 / 3.0))


def keras_activation(name: str | None):
    """A spec's activation as Keras takes it: the names Keras knows, and the scaled tanh."""
    return scaled_tanh if name == "scaled_tanh" else name


@keras.saving.register_keras_serializable(package="convzoo")
class Subsampling(keras.layers.Layer):
    """S2/S4: the sum of each FxF window, times a trained coefficient, plus a trained bias, per map."""

    def __init__(self, pool_size=(2, 2), strides=None, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = tuple(pool_size)
        self.strides = tuple(strides or pool_size)
        self.activation_name = activation
        self.activation = keras.activations.get(keras_activation(activation))

    def build(self, input_shape):
        channels = input_shape[-1]
        self.coefficient = self.add_weight(shape=(channels,), initializer="ones", name="coefficient")
        self.bias = self.add_weight(shape=(channels,), initializer="zeros", name="bias")

    def call(self, x):
        window_sum = ops.average_pool(x, self.pool_size, self.strides, padding="valid") * float(np.prod(self.pool_size))
        return self.activation(window_sum * self.coefficient + self.bias)

    def compute_output_shape(self, input_shape):
        h, w = ((n - f) // s + 1 for n, f, s in zip(input_shape[1:3], self.pool_size, self.strides))
        return (input_shape[0], h, w, input_shape[3])

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "strides": self.strides,
            "activation": self.activation_name,
        }


@keras.saving.register_keras_serializable(package="convzoo")
class PartialConv2D(keras.layers.Layer):
    """C3: output map j convolves only the input maps of its row of the connection table; the layer holds just
    those weights (25 per map read) and one bias per output map."""

    def __init__(self, table="lenet", kernel_size=(5, 5), activation=None, **kwargs):
        super().__init__(**kwargs)
        self.table = table
        self.kernel_size = tuple(kernel_size)
        self.activation_name = activation
        self.activation = keras.activations.get(keras_activation(activation))

    def build(self, input_shape):
        rows = CONNECTION_TABLES[self.table]
        self.kernels = [
            self.add_weight(shape=self.kernel_size + (len(maps), 1), initializer="glorot_uniform", name=f"kernel_{j}")
            for j, maps in enumerate(rows)
        ]
        self.bias = self.add_weight(shape=(len(rows),), initializer="zeros", name="bias")

    def call(self, x):
        maps = [
            ops.conv(ops.take(x, list(inputs), axis=-1), kernel, padding="valid")
            for inputs, kernel in zip(CONNECTION_TABLES[self.table], self.kernels)
        ]
        return self.activation(ops.concatenate(maps, axis=-1) + self.bias)

    def compute_output_shape(self, input_shape):
        h, w = (n - f + 1 for n, f in zip(input_shape[1:3], self.kernel_size))
        return (input_shape[0], h, w, len(CONNECTION_TABLES[self.table]))

    def get_config(self):
        return {
            **super().get_config(),
            "table": self.table,
            "kernel_size": self.kernel_size,
            "activation": self.activation_name,
        }


def rbf_codes(units: int, inputs: int) -> np.ndarray:
    """Fixed +-1 codes, one column per class: the same in every process (the paper drew 7x12 bitmaps)."""
    return np.where(np.random.default_rng(1998).random((inputs, units)) < 0.5, -1.0, 1.0).astype("float32")


@keras.saving.register_keras_serializable(package="convzoo")
class RBFOutput(keras.layers.Layer):
    """The output units: y_i = sum_j (x_j - w_ij)^2, the distance of the input to class i's fixed code (the
    smaller, the likelier). The codes are weights that do not train."""

    def __init__(self, units=10, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        codes = rbf_codes(self.units, input_shape[-1])
        self.codes = self.add_weight(
            shape=codes.shape, initializer=keras.initializers.Constant(codes), trainable=False, name="codes"
        )

    def call(self, x):
        return ops.sum(ops.square(ops.expand_dims(x, -1) - self.codes), axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}
