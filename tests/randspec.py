"""Random layer specs for the engine-vs-Keras sweeps: realistic layers mixed with awkward ones (non-square
filters and strides, dilation, 'same' at stride > 1, explicit and uneven padding, windows that do not fit)."""

from __future__ import annotations

import random

ACTIVATIONS = ["relu", "tanh", "sigmoid", "softmax", "linear"]


def _pair(rng: random.Random, low: int, high: int, square: float = 0.8) -> str:
    a = rng.randint(low, high)
    return str(a) if rng.random() < square else f"{a}x{rng.randint(low, high)}"


def _padding(rng: random.Random) -> str:
    return rng.choice(["", "", " pad same", " pad valid", f" pad {rng.randint(0, 3)}", f" pad {_pair(rng, 0, 2, 0)}"])


def _conv(rng: random.Random) -> str:
    k = rng.choice([1, 2, 3, 6, 8, 10, 16, 32, 64, rng.randint(1, 40)])
    f = _pair(rng, 1, 7)
    text = f"conv {k}@{f}" if rng.random() < 0.3 else f"conv {k} {f}"
    if rng.random() < 0.2:
        text += f" dilation {rng.randint(2, 3)}"  # Keras allows dilation only at stride 1
    elif rng.random() < 0.6:
        text += f" stride {_pair(rng, 1, 3)}"
    text += _padding(rng)
    if rng.random() < 0.5:
        text += " " + rng.choice(ACTIVATIONS)
    return text


def _pool(rng: random.Random) -> str:
    text = f"{rng.choice(['maxpool', 'avgpool'])} {_pair(rng, 1, 4)}"
    if rng.random() < 0.4:
        text += f" stride {_pair(rng, 1, 3)}"
    return text + rng.choice(["", "", " pad same", " pad 1"])


def _image_layer(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _conv(rng)
    if roll < 0.7:
        return _pool(rng)
    return rng.choice(
        [
            "batchnorm",
            f"dropout {rng.choice([0, 0.25, 0.5])}",
            rng.choice(ACTIVATIONS),
            f"dense {rng.randint(1, 20)}",
            "flatten",
            "globalavgpool",
            "globalmaxpool",
        ]
    )


def _flat_layer(rng: random.Random) -> str:
    return rng.choice(
        [
            f"dense {rng.randint(1, 300)} {rng.choice(ACTIVATIONS)}",
            f"dense {rng.randint(1, 64)}",
            "batchnorm",
            "dropout 0.5",
            rng.choice(ACTIVATIONS),
            "flatten",
        ]
    )


def random_spec(rng: random.Random) -> str:
    """A spec of 1 to 7 layers after an input of 4 to 64 pixels a side (or, now and then, a flat input)."""
    if rng.random() < 0.05:
        lines, flat = [f"input {rng.randint(1, 500)}"], True
    else:
        h = rng.randint(4, 64)
        w = h if rng.random() < 0.8 else rng.randint(4, 64)
        lines, flat = [f"input {h}x{w}x{rng.choice([1, 3, rng.randint(1, 16)])}"], False
    for i in range(rng.randint(1, 7)):
        layer = _flat_layer(rng) if flat else _image_layer(rng)
        flat = flat or layer.split()[0] in ("flatten", "globalavgpool", "globalmaxpool")
        lines.append(f"layer_{i}: {layer}" if rng.random() < 0.2 else layer)
    return rng.choice([", ", " -> ", "; ", "\n"]).join(lines)
