"""What a quiz may ask: the lecture's syllabus (the default) or the extended one.

The lecture (../shared/lecture/lecture3-cnn.txt) teaches convolutions with K filters of F x F at stride S and
zero padding P (and P = (F - 1)/2 to keep the size), max pooling (its summary, (W1 - F)/S + 1 with no padding and
no parameters, holds for any pooling), flatten, fully connected layers and activations; LeNet-5 as
CONV-POOL-CONV-POOL-CONV-FC. It names the ILSVRC winners without their internals. So a layer is *taught* when
those formulas compute it as written; ``--syllabus extended`` adds batch normalisation (and its non-trainable
parameters), the 1998 LeNet's trainable subsampling, C3 table and RBF output, 'same' padding where it is not
P = (F - 1)/2, global pooling, residual and inception graphs (GoogLeNet, ResNet), and dropout.

A zoo model is in a syllabus when every layer is taught there, or (in the lecture) is a dropout: a layer with no
parameters that keeps its input, which a table then shows filled in rather than asks. Decided by the layers,
adding a model to the zoo adds it to the right syllabus without an edit here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from ..zoo.engine import NetworkResult, analyze
from ..zoo.registry import get, list_models
from ..zoo.spec import Layer, SpecError, fmt_dims, layer_text, parse

LECTURE, EXTENDED = "lecture", "extended"
SYLLABI = (LECTURE, EXTENDED)
SHOWN = ("dropout",)  # beyond the lecture, but without parameters and keeping the shape: shown, never asked
KEEPS_SHAPE = ("dropout", "activation", "batchnorm")  # a row whose output is the row before's

# The other inputs and class counts a zoo model is asked about (besides its own): CIFAR-sized, Tiny-ImageNet-sized
# and larger inputs, grey or colour, and 10, 100 or 200 classes, wherever the model's windows fit them.
OTHER_SIDES = (28, 32, 64)
OTHER_DEPTHS = (1, 3)
OTHER_CLASSES = (10, 100)


def check(name: str) -> str:
    from ..zoo.errors import ConvzooError

    if name not in SYLLABI:
        raise ConvzooError(f"syllabus must be one of {', '.join(SYLLABI)}, got {name!r}")
    return name


def lecture_padding(layer: Layer) -> int | None:
    """P for a conv layer the lecture's formula computes: its explicit P, 0 for 'valid', (F - 1)/2 for 'same' at
    stride 1 with an odd F (the lecture's size-keeping padding); None where 'same' means anything else."""
    if isinstance(layer.padding, tuple):
        return layer.padding[0] if layer.padding[0] == layer.padding[1] else None
    if layer.padding == "valid":
        return 0
    f = layer.kernel[0]
    return (f - 1) // 2 if layer.stride == (1, 1) and f % 2 == 1 else None


def taught(layer: Layer) -> bool:
    """Whether the lecture's formulas compute this layer as written."""
    if layer.inputs:  # a graph: 'from', add, concat
        return False
    square = layer.kernel[0] == layer.kernel[1] and layer.stride[0] == layer.stride[1]
    if layer.kind == "conv":
        return square and not layer.table and layer.dilation == (1, 1) and lecture_padding(layer) is not None
    if layer.kind in ("maxpool", "avgpool"):
        return square and layer.padding in ("valid", (0, 0))
    return layer.kind in ("input", "flatten", "dense", "activation")


def allowed(layer: Layer, syllabus: str) -> bool:
    return syllabus == EXTENDED or taught(layer) or layer.kind in SHOWN


def lecture_text(layer: Layer, stated: bool = False) -> str:
    """The layer in the spec language as the lecture would write it: 'same' at stride 1 as its pad P (``stated``:
    every stride and padding written, as in layer_text)."""
    p = lecture_padding(layer) if layer.kind == "conv" and layer.padding == "same" else None
    return layer_text(layer._replace(padding=(p, p)) if p is not None else layer, stated)


class Variant(NamedTuple):
    """A zoo model with one choice of its options, as a question names it."""

    name: str
    options: tuple  # ((option, value), ...)
    spec: str
    floor: bool

    @property
    def title(self) -> str:
        """'VGG-16 (vgg16)', 'VGG-16 (vgg16) built for 32x32x3 inputs and 10 classes', 'GoogLeNet (Inception v1;
        googlenet)'."""
        return self.named("input", "classes")

    def named(self, *options: str) -> str:
        """The title with only these options said (a table's rows already show its classes)."""
        entry = get(self.name)
        words = {"input": lambda v: f"{fmt_dims(v)} inputs", "classes": lambda v: f"{v} classes"}
        built = " and ".join(words[k](v) for k, v in self.options if k in options)
        short = re.split(r"[,:]", entry.description)[0]  # what it is, not the sizes after it
        named = f"{short[:-1]}; {self.name})" if short.endswith(")") else f"{short} ({self.name})"
        return named + (f" built for {built}" if built else "")

    def analysis(self) -> NetworkResult:
        return analyze(self.spec, floor=self.floor)  # cached by the engine

    def layers(self) -> list[Layer]:
        return parse(self.spec)[1:]


@cache
def _option_sets(name: str) -> tuple[tuple, ...]:
    """The model's choices of options, each as ((option, value), ...): the published one (()) first."""
    defaults = get(name).options
    inputs: list[tuple[int, int, int] | None] = [None]
    if "input" in defaults:
        inputs += [(s, s, d) for s in (defaults["input"][0],) + OTHER_SIDES for d in OTHER_DEPTHS]
    classes = [None] + (list(OTHER_CLASSES) if "classes" in defaults else [])
    options = [
        tuple((k, v) for k, v in (("input", i), ("classes", c)) if v is not None and v != defaults[k])
        for i in inputs
        for c in classes
    ]
    return tuple(dict.fromkeys(options))  # each once, in order


@cache
def models(syllabus: str) -> tuple[str, ...]:
    """The zoo models in the syllabus (a model's options change its sizes, never its layers)."""
    return tuple(name for name in list_models() if all(allowed(layer, syllabus) for layer in get(name).layers()))


def draw_variant(rng, syllabus: str, keep=lambda variant: True) -> Variant:
    """A zoo model of the syllabus that ``keep`` accepts (as published), each as likely, with one of its choices
    of input and classes that computes (no window that does not fit, unless the published model floors one)."""
    names = [name for name in models(syllabus) if keep(_variant(name, ()))]
    name = rng.choice(names)
    choices = list(_option_sets(name))
    while True:
        options = choices.pop(rng.randrange(len(choices)))
        variant = _variant(name, options)
        try:
            variant.analysis()
            return variant
        except SpecError:  # this input does not fit the model's windows: another (the published one always does)
            continue


@cache
def _variant(name: str, options: tuple) -> Variant:
    entry = get(name)
    return Variant(name, options, entry.spec(**dict(options)), entry.floor)


def by_level(pool: list, level_name: str, size) -> list:
    """The share of a pool sorted by ``size`` that a difficulty draws from: the smaller half (easy), the middle
    half (medium) or the larger half (hard), so that every level has half the pool to vary over."""
    ordered = sorted(pool, key=size)
    n = len(ordered)
    start, stop = {"easy": (0, (n + 1) // 2), "medium": (n // 4, n - n // 4), "hard": (n // 2, n)}[level_name]
    return ordered[start:stop]
