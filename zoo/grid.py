"""Convolution and pooling by the numbers, as the lecture does them by hand.

Matrices are lists of rows; an image or a kernel with several channels is a list of such matrices. Like Keras
(and the lecture), ``convolve`` computes a cross-correlation: the kernel slides over the input unflipped;
``flip=True`` rotates it by 180 degrees first, which is the convolution of the lecture's formula
f[x,y] * g[x,y] = sum f[n1,n2] g[x-n1, y-n2].

Output sizes and the "does not fit" verdict come from the engine (``zoo.engine``), so the calculators and the
shape engine can never disagree. Pure Python, like the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .engine import analyze
from .spec import SpecError

Number = int | float
Matrix = list[list[Number]]

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class GridError(SpecError):
    """A matrix that cannot be read or used; the message says what, where and what is accepted."""


def number_text(value: Number) -> str:
    """3 -> '3', 2.5 -> '2.5', 2.0 -> '2': numbers as a person writes them."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:.12g}" if isinstance(value, float) else str(value)  # :g alone gives 12345.25 as 12345.2


def _number(text: str, what: str, row: int, col: int) -> Number:
    if not _NUMBER.fullmatch(text):
        raise GridError(f"{what}: '{text}' at row {row}, column {col} is not a number")
    value = float(text)
    return int(value) if value.is_integer() and not any(c in text for c in ".eE") else value


def _count(n: int) -> str:
    return f"{n} value" if n == 1 else f"{n} values"


def parse_matrix(text: str, what: str = "matrix") -> list[Matrix]:
    """``'1 2; 3 4'`` -> [[[1, 2], [3, 4]]]: rows split by ';' or new lines, values by spaces or commas,
    channels by '|'. Returns the channels, each a matrix."""
    channels = []
    for c, chunk in enumerate(text.split("|"), start=1):
        rows = [r for r in re.split(r"[;\n]", chunk) if r.strip()]
        label = f"{what} channel {c}" if "|" in text else what
        if not rows:
            raise GridError(
                f"{label} is empty: write rows separated by ';' or new lines, values by spaces or "
                "commas, e.g. '1 0 1; 0 1 0'"
            )
        matrix = [
            [_number(v, label, i, j) for j, v in enumerate(re.split(r"[\s,]+", r.strip()), start=1)]
            for i, r in enumerate(rows, start=1)
        ]
        for i, row in enumerate(matrix[1:], start=2):
            if len(row) != len(matrix[0]):
                raise GridError(
                    f"{label}: row {i} has {_count(len(row))} but row 1 has {len(matrix[0])}; "
                    "every row needs the same number of values"
                )
        channels.append(matrix)
    for c, matrix in enumerate(channels[1:], start=2):
        if (len(matrix), len(matrix[0])) != (len(channels[0]), len(channels[0][0])):
            raise GridError(
                f"{what}: channel {c} is {len(matrix)}x{len(matrix[0])} but channel 1 is "
                f"{len(channels[0])}x{len(channels[0][0])}; channels must have the same size"
            )
    return channels


def _shape(channels: list[Matrix]) -> tuple[int, int, int]:
    return len(channels[0]), len(channels[0][0]), len(channels)


def padded(matrix: Matrix, pad: int) -> Matrix:
    width = len(matrix[0]) + 2 * pad
    rows: Matrix = [[0] * width for _ in range(pad)]
    rows += [[0] * pad + list(r) + [0] * pad for r in matrix]
    rows += [[0] * width for _ in range(pad)]
    return rows


def _output_size(spec: str, floor: bool) -> tuple[int, int]:
    """The engine's verdict: the output size, or a SpecError in the lecture's words."""
    try:
        out = analyze(spec, floor=floor).layers[-1].output_shape
    except SpecError as err:  # the same kind of error, without the place in a spec the user never wrote
        raise type(err)(err.message) from None
    return out[0], out[1]


def _clean(value: Number) -> Number:
    """Sums of floats such as 0.1 + 0.2 printed as 0.3: round away the binary noise, keep ints as ints."""
    if isinstance(value, float):
        value = round(value, 10)
        return int(value) if value.is_integer() else value
    return value


@dataclass(frozen=True)
class Convolution:
    input: list[Matrix]
    kernel: list[Matrix]
    stride: int
    pad: int
    bias: Number
    flip: bool
    size: tuple[int, int]  # the output's height and width, from the engine

    @cached_property
    def output(self) -> Matrix:
        """One map: the channel sums under each position, plus the bias."""
        bias = self.bias
        return [[_clean(sum(cell) + bias) for cell in zip(*row)] for row in zip(*self._sums)]  # cell: its channels

    @cached_property
    def _padded(self) -> list[Matrix]:
        return [padded(m, self.pad) for m in self.input]

    @cached_property
    def _kernels(self) -> list[Matrix]:
        """The kernels as they slide: rotated by 180 degrees for true convolution (--flip)."""
        return [[row[::-1] for row in k[::-1]] for k in self.kernel] if self.flip else self.kernel

    @cached_property
    def _sums(self) -> list[tuple[tuple[Number, ...], ...]]:
        """Each channel's sum under each output cell (see ``_channel_sums``)."""
        return [
            _channel_sums(tuple(map(tuple, image)), tuple(map(tuple, kernel)), self.stride, self.size)
            for image, kernel in zip(self._padded, self._kernels)
        ]

    def channel_sum(self, c: int, i: int, j: int) -> Number:
        return self._sums[c][i][j]

    @cached_property
    def _texts(self) -> list[tuple[list[list[str]], list[str]]]:
        """Each channel's padded input as written, and its kernel's weights row by row: an input value is in the
        working of every window over it, written once here."""
        return [
            ([[number_text(x) for x in row] for row in image], [number_text(k) for row in kernel for k in row])
            for image, kernel in zip(self._padded, self._kernels)
        ]

    def working(self, i: int, j: int) -> list[str]:
        """The lecture's working for output cell (i, j): one line per channel, then the sum with the bias."""
        lines, sums = [], []
        for c, (image, weights) in enumerate(self._texts):
            kernel = self._kernels[c]
            under = _window(image, len(kernel), len(kernel[0]), self.stride, i, j)
            sums.append(self.channel_sum(c, i, j))
            text = " + ".join(f"{x}*{k}" for x, k in zip(under, weights)) + f" = {number_text(sums[-1])}"
            lines.append(f"channel {c + 1}: {text}" if len(self.input) > 1 else text)
        if len(self.input) > 1 or self.bias:
            parts = [number_text(s) for s in sums] + ([number_text(self.bias)] if self.bias else [])
            lines.append(
                f"{' + '.join(parts)} = {number_text(self.output[i][j])}"
                + (f" (bias {number_text(self.bias)})" if self.bias else "")
            )
        return lines


def _window(matrix: list[list], rows: int, cols: int, stride: int, i: int, j: int) -> list:
    """The values of ``matrix`` under output cell (i, j) of a rows x cols window moved by ``stride``, row by row."""
    return [matrix[i * stride + a][j * stride + b] for a in range(rows) for b in range(cols)]


@lru_cache(maxsize=256)  # a question's key and named mistakes convolve again what its draw convolved
def _channel_sums(
    image: tuple[tuple[Number, ...], ...], kernel: tuple[tuple[Number, ...], ...], stride: int, size: tuple[int, int]
) -> tuple[tuple[Number, ...], ...]:
    """One channel's sum under each output cell, its terms added in the order the working lists them (row by
    row of the window): weight by weight, each over every cell at once (a quiz of a thousand versions works out
    a few hundred thousand)."""
    height, width = size
    line = len(image[0])
    flat = [x for row in image for x in row]
    corners = [i * stride * line + j * stride for i in range(height) for j in range(width)]  # each window's first
    sums: list[Number] = [0] * len(corners)
    for a, weights in enumerate(kernel):
        for b, k in enumerate(weights):
            offset = a * line + b
            sums = [total + flat[corner + offset] * k for total, corner in zip(sums, corners)]
    return tuple(tuple(_clean(total) for total in sums[i * width : (i + 1) * width]) for i in range(height))


def convolve(
    image: list[Matrix],
    kernel: list[Matrix],
    *,
    stride: int = 1,
    pad: int = 0,
    bias: Number = 0,
    flip: bool = False,
    floor: bool = False,
) -> Convolution:
    """Slide ``kernel`` over ``image`` (both lists of channels): one output map, summed over the channels,
    plus the bias."""
    h, w, c = _shape(image)
    fh, fw, kc = _shape(kernel)
    if kc != c:
        raise GridError(
            f"the input has {c} channel{'s' if c != 1 else ''} but the kernel has {kc}; "
            "give the kernel one matrix per input channel, separated by '|'"
        )
    size = _output_size(f"input {h}x{w}x{c}, conv 1 {fh}x{fw} stride {stride} pad {pad}", floor)
    return Convolution(image, kernel, stride, pad, bias, flip, size)


@dataclass(frozen=True)
class Pooling:
    input: list[Matrix]
    size: int
    stride: int
    mode: str
    output: list[Matrix]  # one map per channel

    @cached_property
    def _texts(self) -> list[list[list[str]]]:
        """Each channel as written: a value is in the working of every window over it, written once here."""
        return [[[number_text(v) for v in row] for row in m] for m in self.input]

    def working(self, c: int, i: int, j: int) -> str:
        window = _window(self._texts[c], self.size, self.size, self.stride, i, j)
        if self.mode == "max":
            return f"max({', '.join(window)}) = {number_text(self.output[c][i][j])}"
        return f"({' + '.join(window)})/{len(window)} = {number_text(self.output[c][i][j])}"


def pool(
    image: list[Matrix], *, size: int, stride: int | None = None, mode: str = "max", floor: bool = False
) -> Pooling:
    """Max or average pooling of every channel on its own, windows F x F at stride S (default S = F)."""
    if mode not in ("max", "avg"):
        raise GridError(f"pooling mode must be 'max' or 'avg', got '{mode}'")
    stride = stride or size
    h, w, c = _shape(image)
    out_h, out_w = _output_size(f"input {h}x{w}x{c}, maxpool {size} stride {stride}", floor)
    reduce = max if mode == "max" else (lambda values: _clean(sum(values) / len(values)))
    output = [
        [[reduce(_window(m, size, size, stride, i, j)) for j in range(out_w)] for i in range(out_h)] for m in image
    ]
    return Pooling(image, size, stride, mode, output)


def channels(value) -> list[Matrix]:
    """A matrix (list of rows) or a list of matrices, as a list of channels."""
    return [value] if isinstance(value[0][0], (int, float)) else value


def convolve_args(data: dict) -> dict:
    """A question's "data" ({"input", "kernel", "stride", "pad", "bias"}) as arguments of ``convolve``."""
    return {
        "image": channels(data["input"]),
        "kernel": channels(data["kernel"]),
        "stride": data["stride"],
        "pad": data["pad"],
        "bias": data.get("bias", 0),
        "flip": data.get("flip", False),
        "floor": True,
    }


def pool_args(data: dict) -> dict:
    """A question's "data" ({"input", "size", "stride", "mode"}) as arguments of ``pool``."""
    return {
        "image": channels(data["input"]),
        "size": data["size"],
        "stride": data["stride"],
        "mode": data.get("mode", "max"),
        "floor": True,
    }
