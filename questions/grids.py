"""Drawing small images and kernels for the by-hand questions, and describing them as grids to draw.

Kernels come from the lecture's families; images are small integer grids (binary, digits, or grey levels
around 100 as in the lecture's sharpen example)."""

from __future__ import annotations

import random

from ..zoo.grid import Matrix, convolve, padded

CONV_HINT = "multiply each input value by the kernel weight over it, add them up (and the bias)"
# the named mistakes of a convolution by hand, for one cell (conv_value) and for a whole map (feature_map)
FLIPPED = (
    "flipped the kernel",
    "Keras and the lecture's examples slide the kernel as it is (cross-correlation): no rotation",
)
TRANSPOSED = ("transposed the kernel", "the kernel's rows lie along the image's rows, as drawn")
POOL_HINT = "each output cell is the max (or the average) of its window; move the window by the stride"

KERNELS = {
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "diagonal": [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],  # the lecture's filter 1
    "vertical line": [[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]],  # the lecture's filter 2
    "horizontal edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
}


def kernel(rng: random.Random, families=tuple(KERNELS) + ("random",)) -> tuple[str, Matrix]:
    """(family name, 3x3 kernel); 'random' draws weights from {-1, 0, 1}."""
    family = rng.choice(families)
    if family == "random":
        weights: Matrix = [[rng.choice((-1, 0, 1)) for _ in range(3)] for _ in range(3)]
        return "random", weights
    weights = [list(row) for row in KERNELS[family]]
    return family, weights


def image(rng: random.Random, h: int, w: int, style: str) -> Matrix:
    if style == "binary":
        return [[rng.randint(0, 1) for _ in range(w)] for _ in range(h)]
    if style == "grey":
        return [[rng.randint(95, 110) for _ in range(w)] for _ in range(h)]
    if style == "signed":
        return [[rng.randint(-4, 9) for _ in range(w)] for _ in range(h)]
    return [[rng.randint(0, 9) for _ in range(w)] for _ in range(h)]


def window(i: int, j: int, stride: int, size: int) -> list[list[int]]:
    """The input cells under output cell (i, j), in the padded input."""
    return [[i * stride + a, j * stride + b] for a in range(size) for b in range(size)]


def input_grids(channels: list[Matrix], pad: int, marked: list[list[int]], name: str = "input") -> list[dict]:
    """The input as the lecture draws it: zero border included, the asked window marked."""
    many = len(channels) > 1
    border = f" (zero-padded by {pad})" if pad else ""
    return [
        {
            "label": f"{name} channel {c + 1}{border}" if many else f"{name}{border}",
            "matrix": padded(m, pad),
            "marked": marked,
        }
        for c, m in enumerate(channels)
    ]


def kernel_grids(channels: list[Matrix]) -> list[dict]:
    many = len(channels) > 1
    return [
        {"label": f"kernel channel {c + 1}" if many else "kernel", "matrix": m, "marked": []}
        for c, m in enumerate(channels)
    ]


def output_grid(shape: tuple[int, int], asked: list[list[int]] | None) -> dict:
    """The output to fill in: ``asked`` cells (None: all of them)."""
    return {"label": "output", "shape": list(shape), "asked": asked}


def flipped_value(channels: list[Matrix], kernels: list[Matrix], stride: int, pad: int, bias, i: int, j: int):
    """The value of cell (i, j) had the kernel been rotated by 180 degrees (true convolution)."""
    return convolve(channels, kernels, stride=stride, pad=pad, bias=bias, flip=True, floor=True).output[i][j]
