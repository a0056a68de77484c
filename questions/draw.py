"""Drawing realistic numbers from a seeded RNG: the lecture's common settings most of the time, with difficulty
setting the sizes, and a controlled share of layers that do not fit."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cache

from ..zoo.engine import analyze
from ..zoo.spec import SpecError

# The lecture's common conv settings (F, S, P) and pooling settings (F, S).
COMMON_CONV = ((3, 1, 1), (5, 1, 2), (1, 1, 0))
COMMON_POOL = ((2, 2), (3, 2))
DOWNSAMPLING_CONV = ((3, 2, 1), (7, 2, 3))  # the strided convolutions of ResNet-style stems
NOT_FIT_SHARE = 0.2  # of the layers drawn for size questions, this share does not fit


@dataclass(frozen=True)
class Level:
    """What a question may draw: the difficulty's sizes, the syllabus, and the instructor's own networks."""

    name: str
    sizes: tuple[int, ...]
    depths: tuple[int, ...]
    filters: tuple[int, ...]
    kernels: tuple[int, ...]
    strides: tuple[int, ...]
    pads: tuple[int, ...]
    network_layers: tuple[int, int]  # fewest and most layers after the input in a drawn network
    syllabus: str = "lecture"  # questions.syllabus: "lecture" or "extended"
    networks: tuple[str, ...] = ()  # --spec: the networks the table and total-parameter kinds ask about

    @property
    def extended(self) -> bool:
        return self.syllabus == "extended"


LEVELS = {
    "easy": Level(
        name="easy",
        sizes=tuple(range(5, 17)),
        depths=(1, 3),
        filters=(2, 4, 6, 8, 10),
        kernels=(1, 3, 5),
        strides=(1, 2),
        pads=(0, 1, 2),
        network_layers=(3, 4),
    ),
    "medium": Level(
        name="medium",
        sizes=(7, 14, 16, 24, 28, 32, 48, 56, 64),
        depths=(1, 3, 6, 16, 32),
        filters=(8, 16, 32, 64),
        kernels=(1, 3, 5, 7),
        strides=(1, 2, 3),
        pads=(0, 1, 2, 3),
        network_layers=(4, 6),
    ),
    "hard": Level(
        name="hard",
        sizes=(28, 32, 56, 64, 96, 112, 128, 224, 227),
        depths=(3, 32, 64, 128, 256),
        filters=(32, 64, 96, 128, 256, 512),
        kernels=(3, 5, 7, 11),
        strides=(1, 2, 3, 4),
        pads=(0, 1, 2, 3, 5),
        network_layers=(6, 7),
    ),
}


@cache  # a Level is frozen: every question of a quiz at this level shares one
def level(name: str, syllabus: str = "lecture", networks: tuple[str, ...] = ()) -> Level:
    return replace(LEVELS[name], syllabus=syllabus, networks=networks)


def fits(n: int, f: int, s: int, p: int) -> bool:
    return n + 2 * p >= f and (n + 2 * p - f) % s == 0


def window(rng: random.Random, lv: Level, *, pooling: bool = False, allow_misfit: bool = True):
    """(N, F, S, P) for a conv (or pooling) window; a share NOT_FIT_SHARE does not fit when allowed."""
    want_fit = not (allow_misfit and rng.random() < NOT_FIT_SHARE)
    for _ in range(1000):
        n = rng.choice(lv.sizes)
        if pooling:
            f, s = rng.choice(COMMON_POOL) if rng.random() < 0.7 else (rng.choice((2, 3, 4)), rng.choice((1, 2, 3)))
            p = 0  # "not common to use zero-padding for pooling layers"
        elif rng.random() < 0.6 and want_fit:
            f, s, p = rng.choice(COMMON_CONV)
        else:
            f, s, p = rng.choice(lv.kernels), rng.choice(lv.strides), rng.choice(lv.pads)
        if n + 2 * p >= f and s <= f + 2 * p and fits(n, f, s, p) == want_fit:
            return n, f, s, p
    raise AssertionError("no window could be drawn")  # unreachable with the levels above


def conv_words(f: int, s: int, p: int) -> str:
    """The spec words of a square conv window: '5x5 stride 1 pad 2'."""
    return f"{f}x{f} stride {s} pad {p}"


def network(rng: random.Random, lv: Level) -> str:
    """A small random network that fits: conv/pool blocks, then flatten and dense layers (the extended syllabus
    also batch normalisation, dropout and global average pooling)."""
    n = rng.choice(lv.sizes)
    lines = [f"input {n}x{n}x{rng.choice(lv.depths)}"]
    shape = None  # the output of the layers so far, to try each new layer on its own
    count = rng.randint(*lv.network_layers)
    for _ in range(200):
        if len(lines) - 1 == count:
            return "\n".join(lines)
        remaining = count - (len(lines) - 1)
        if shape is not None and len(shape) == 1:
            layer = f"dense {rng.choice((10, 32, 64, 84, 100, 120, 128))} relu" if remaining > 1 else "dense 10 softmax"
        elif remaining <= 2:
            layer = "flatten" if remaining == 2 or not lv.extended or rng.random() < 0.7 else "globalavgpool"
        else:
            roll = rng.random()
            size = (shape or (n,))[0]
            if not lv.extended:
                roll *= 0.85  # convolutions and pooling only
            if roll < 0.55:
                f, s, p = rng.choice(COMMON_CONV if rng.random() < 0.8 else DOWNSAMPLING_CONV)
                layer = f"conv {rng.choice(lv.filters)} {conv_words(f, s, p)} relu"
            elif roll < 0.85:
                f, s = rng.choice(COMMON_POOL)
                layer = f"{rng.choice(('maxpool', 'avgpool'))} {f} stride {s}"
                p = 0
            else:
                f, s, p = 1, 1, 0
                layer = rng.choice(("batchnorm", "dropout 0.25", "dropout 0.5"))
            if not fits(size, f, s, p):  # a quick look first; the engine has the last word below
                continue
        before = lines[0] if shape is None else f"input {'x'.join(map(str, shape))}"
        try:
            shape = analyze(f"{before}, {layer}").layers[-1].output_shape
        except SpecError:
            continue  # does not fit what came before: draw another layer
        lines.append(layer)
    return network(rng, lv)  # shrank too far to finish: start again from another input
