"""The layer-spec language.

A spec is the lecture's way of writing a network down, one layer after another::

    input 32x32x3, conv 10 5x5 stride 1 pad 2, relu, maxpool 2, flatten, dense 10 softmax

Layers are separated by ``,``, ``->``, ``;`` or new lines; keywords are case-insensitive; ``#`` starts a
comment. A layer may be named (``c1: conv 6@5x5``). ``parse`` turns the text into ``Layer`` records, each
remembering where it was written so that every later error can point at it.

This module reads the text into items, names the layers and follows ``from``; what each layer's words mean is
its layer type's (``zoo/layers/``, one module a type, which reads them with ``Item`` and ``read_options``).

Pure Python: nothing here imports numpy, TensorFlow or Keras.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from .errors import ConvzooError
from .layers import forms, keywords, kinds

ACTIVATIONS = ("relu", "tanh", "sigmoid", "softmax", "linear", "scaled_tanh")  # scaled_tanh: 1.7159*tanh(2a/3)

# Partial connection tables: for each output map, the input maps it reads. "lenet" is Table I of LeCun et al.
# (1998), C3's 16 maps over S2's 6: "a non-complete connection scheme keeps the number of connections within
# reasonable bounds [and] forces a break of symmetry in the network".
CONNECTION_TABLES = {
    "lenet": (
        (0, 1, 2),
        (1, 2, 3),
        (2, 3, 4),
        (3, 4, 5),
        (4, 5, 0),
        (5, 0, 1),
        (0, 1, 2, 3),
        (1, 2, 3, 4),
        (2, 3, 4, 5),
        (3, 4, 5, 0),
        (4, 5, 0, 1),
        (5, 0, 1, 2),
        (0, 1, 3, 4),
        (1, 2, 4, 5),
        (0, 2, 3, 5),
        (0, 1, 2, 3, 4, 5),
    ),
}

OPTION_ALIASES = {"strides": "stride", "padding": "pad", "dilation_rate": "dilation"}

_SEPARATOR = re.compile(r"->|[,;]")
_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*:")
_TOKEN = re.compile(r"\S+")
_WHOLE = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")
_DIMS = re.compile(r"[0-9]+(?:x[0-9]+)*")  # ASCII digits only: int() refuses superscripts


class Where(NamedTuple):
    """A place in the spec text: 1-based line and column, and the word found there."""

    line: int
    col: int
    token: str = ""

    def __str__(self) -> str:
        found = f" ('{self.token}')" if self.token else ""
        return f"line {self.line}, col {self.col}{found}"


class SpecError(ConvzooError):
    """A spec that cannot be read or computed. The message says what is wrong and what is accepted;
    ``where`` says where."""

    def __init__(self, message: str, where: Where | None = None):
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class Layer(NamedTuple):
    """One layer as written (a NamedTuple: quizzes parse many thousands of specs). Pairs are (height, width);
    ``padding`` is 'valid', 'same' or (Ph, Pw)."""

    kind: str
    name: str
    where: Where
    shape: tuple[int, ...] = ()  # input only
    units: int = 0  # conv: filters K; dense: units N
    kernel: tuple[int, int] = (1, 1)  # conv: filter F; pooling: window F
    stride: tuple[int, int] = (1, 1)
    padding: str | tuple[int, int] = "valid"
    dilation: tuple[int, int] = (1, 1)
    activation: str | None = None
    rate: float = 0.0  # dropout only
    inputs: tuple[
        str, ...
    ] = ()  # the layers it reads ('from NAME', or the names after add/concat); () = the one before
    table: str | None = None  # conv only: a partial connection table of CONNECTION_TABLES

    @property
    def pads(self) -> tuple[int, int]:
        """(Ph, Pw) of ``pad P`` or ``zeropad P``; (0, 0) for 'valid', and for 'same' (whose padding follows from
        the input)."""
        return self.padding if isinstance(self.padding, tuple) else (0, 0)

    @property
    def explicit_pad(self) -> tuple[int, int] | None:
        """(Ph, Pw) when the spec says ``pad P`` with P > 0: Keras then needs a ZeroPadding2D layer."""
        return self.pads if any(self.pads) else None


def accepted_layers() -> str:
    return ", ".join(forms())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, as in "unknown layer (did you mean 'conv'?)", or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _separator_hint(word: str) -> str:
    """A layer keyword where an option or nothing was expected: most likely a missing separator."""
    if word in keywords():
        return " (a new layer? separate layers with ',', '->', ';' or a new line)"
    return ""


class Item:
    """The tokens of one layer after its keyword, with a cursor, so each layer type reads its arguments in
    order."""

    def __init__(self, tokens: list[tuple[str, Where]], end: Where):
        self.tokens = tokens
        self.pos = 0
        self.end = end

    def peek(self) -> tuple[str, Where] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, what: str) -> tuple[str, Where]:
        tok = self.peek()
        if tok is None:
            raise SpecError(f"missing {what}", self.end)
        self.pos += 1
        return tok


def positive(text: str, where: Where, what: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise SpecError(f"{what} must be a whole number of 1 or more, got '{text}'", where)
    value = int(text)
    if value < 1:
        raise SpecError(f"{what} must be 1 or more, got {value}", where)
    return value


def pair(text: str, where: Where, what: str, allow_zero: bool = False) -> tuple[int, int]:
    """``3`` -> (3, 3); ``3x5`` -> (3, 5) (height x width)."""
    parts = text.split("x")
    if len(parts) > 2 or not all(_SIGNED.fullmatch(p) for p in parts):
        raise SpecError(f"{what} must be N or NxM with whole numbers, got '{text}'", where)
    values = [int(p) for p in parts]
    low = 0 if allow_zero else 1
    if any(v < low for v in values):
        raise SpecError(f"{what} must be {low} or more, got '{text}'", where)
    return (values[0], values[-1])


def fmt_dims(dims: Iterable[int]) -> str:
    """(32, 32, 3) -> '32x32x3', as the lecture writes a volume."""
    return "x".join(str(d) for d in dims)


def parse_dims(text: str, where: Where | None = None) -> tuple[int, ...]:
    """``32x32x3`` -> (32, 32, 3); ``28x28`` -> (28, 28, 1); ``400`` -> (400,)."""
    where = where or Where(1, 1, text)
    if not _DIMS.fullmatch(text):
        raise SpecError(f"input must be HxWxD, HxW or N (whole numbers), got '{text}'", where)
    dims = tuple(int(p) for p in text.split("x"))
    if len(dims) > 3:
        raise SpecError(f"input has at most 3 dimensions (HxWxD), got '{text}'", where)
    if any(d < 1 for d in dims):
        raise SpecError(f"every input dimension must be 1 or more, got '{text}'", where)
    return dims + (1,) if len(dims) == 2 else dims


class Option(NamedTuple):
    """An option a layer type accepts after its arguments: its form for "accepted: ..." and how its value is
    read (the value's text and where it is -> the value)."""

    form: str
    read: Callable[[str, Where], Any]


def _padding(text: str, where: Where) -> str | tuple[int, int]:
    return text if text in ("same", "valid") else pair(text, where, "pad", allow_zero=True)


STRIDE = Option("stride S", lambda text, where: pair(text, where, "stride"))
PAD = Option("pad P|same|valid", _padding)
DILATION = Option("dilation D", lambda text, where: pair(text, where, "dilation"))


def read_options(item: Item, kind: str, allowed: dict[str, Option], with_activation: bool) -> dict[str, Any]:
    """Read ``stride S``, ``pad P`` ... and an activation word, each at most once."""
    found: dict[str, Any] = {}
    accepted = [option.form for option in allowed.values()] + (list(ACTIVATIONS) if with_activation else [])
    while item.peek() is not None:
        word, where = item.take("an option")
        key = OPTION_ALIASES.get(word, word)
        value: Any
        if with_activation and key in ACTIVATIONS:
            key, value = "activation", key
        elif key in allowed:
            text, vwhere = item.take(f"a value after '{word}'")
            value = allowed[key].read(text, vwhere)
        else:
            choices = tuple(allowed) + (ACTIVATIONS if with_activation else ())
            hint = _separator_hint(word) or did_you_mean(word, choices)
            raise SpecError(f"unknown option '{word}' for {kind}{hint}; accepted: {', '.join(accepted)}", where)
        if key in found:
            raise SpecError(f"{key} given twice for {kind}", where)
        found[key] = value
    return found


def _take_from(item: Item) -> tuple[tuple[str, ...], Where | None]:
    """Remove 'from NAME' (this layer reads NAME's output instead of the layer before) from an item."""
    for i, (word, _where) in enumerate(item.tokens):
        if word == "from":
            if i + 1 >= len(item.tokens):
                raise SpecError("missing a layer name after 'from'", item.end)
            source = item.tokens[i + 1][1]
            del item.tokens[i : i + 2]
            return (source.token,), source
    return (), None


_Raw = tuple[str | None, Where | None, list[tuple[str, Where]], Where]


def _items(text: str) -> Iterator[_Raw]:
    """Yield (name, name_where, tokens, end) for every layer item in the text."""
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0]
        start = 0
        bounds = [(m.start(), m.end()) for m in _SEPARATOR.finditer(line)] + [(len(line), len(line))]
        for sep_start, sep_end in bounds:
            chunk, offset = line[start:sep_start], start
            start = sep_end
            if not chunk.strip():  # tolerate doubled or trailing separators
                continue
            name = name_where = None
            m = _NAME.match(chunk)
            if m:
                name, name_where = m.group(1), Where(line_no, offset + m.start(1) + 1, m.group(1))
                body_offset = m.end()
            else:
                body_offset = 0
            tokens = [
                (t.group().lower(), Where(line_no, offset + body_offset + t.start() + 1, t.group()))
                for t in _TOKEN.finditer(chunk[body_offset:])
            ]
            end = Where(line_no, offset + len(chunk.rstrip()) + 1)
            if not tokens:
                raise SpecError("a layer name must be followed by a layer", name_where)
            yield name, name_where, tokens, end


_Written = tuple[str | None, Where | None, str, Where, Item]  # name, where it is, keyword, where that is, the rest


def parse(text: str) -> list[Layer]:
    """Parse a spec into layers; the first is always the input. Raises SpecError with the position."""
    return list(_parse(text))


@lru_cache(maxsize=4096)  # quizzes read the same spec several times (key, solution, table)
def _parse(text: str) -> tuple[Layer, ...]:
    known_words = keywords()
    raw: list[_Written] = []
    for name, name_where, tokens, end in _items(text):
        word, where = tokens[0]
        if word not in known_words:
            raise SpecError(f"unknown layer{did_you_mean(word, forms())}; accepted: {accepted_layers()}", where)
        raw.append((name, name_where, known_words[word][0], where, Item(tokens[1:], end)))

    if not raw:
        raise SpecError("empty spec: expected layers such as 'input 32x32x3, conv 10 5x5 pad 2, relu'")
    if raw[0][2] != "input":
        raise SpecError("a spec starts with 'input HxWxD' (or HxW, or N)", raw[0][3])
    for entry in raw[1:]:
        if entry[2] == "input":
            raise SpecError("only the first layer can be 'input'", entry[3])
    names = _names(raw)
    layers: list[Layer] = []
    known: set[str] = set()  # the names of the layers so far
    for (_, _, kind, where, item), name in zip(raw, names):
        layer_type = known_words[kind][1]
        base = {"kind": kind, "name": name, "where": where}
        source, source_where = _take_from(item) if not layer_type.merges else ((), None)
        layer = layer_type.parse(item, base)
        if source:
            layer = layer._replace(inputs=source)
        for wanted in layer.inputs:
            if wanted not in known:
                raise SpecError(
                    f"'{wanted}' is not a layer before {name}; a layer can only read layers above it",
                    source_where or where,
                )
        extra = item.peek()
        if extra is not None:
            word = extra[0]
            hint = _separator_hint(word)
            raise SpecError(f"unexpected '{word}' after {kind}{hint}; accepted: {forms()[kind]}", extra[1])
        layers.append(layer)
        known.add(layer.name)
    if len(layers) == 1:
        raise SpecError("the spec has an input but no layers after it (add one, e.g. 'conv 6 5x5')", raw[0][3])
    return tuple(layers)


def _names(raw: list[_Written]) -> list[str]:
    """Given names stay; the others become kind + running number (conv1, conv2, maxpool1, relu1 ...)."""
    given = {}
    for name, name_where, *_ in raw:
        if name is not None:
            if name in given:
                raise SpecError(f"layer name '{name}' is used twice; names must be unique", name_where)
            given[name] = name_where
    counters: dict[str, int] = {}
    names = []
    for written, _, kind, _, _ in raw:
        name = written
        if name is None:
            name = "input" if kind == "input" and "input" not in given else None
            while name is None or name in given:
                counters[kind] = counters.get(kind, 0) + 1
                name = f"{kind}{counters[kind]}"
        names.append(name)
    return names


def pair_text(values: tuple[int, int]) -> str:
    """(3, 3) -> '3'; (3, 5) -> '3x5': a pair as the spec language writes it."""
    return str(values[0]) if values[0] == values[1] else fmt_dims(values)


def padding_text(padding: str | tuple[int, int]) -> str:
    return padding if isinstance(padding, str) else pair_text(padding)


def _an(number: str) -> bool:
    """Whether a number, read aloud, starts with a vowel sound: eight, eleven, eighteen, eighty (8, 11, 18, 80-89,
    800-899, 8,000, 11,000, 18,500, ...): the digits of its first group of thousands decide."""
    digits = number.replace(",", "")
    first = digits[: (len(digits) - 1) % 3 + 1]
    return first.startswith("8") or first in ("11", "18")


# 'a' or 'an' before a number; the letter first, with its word's start checked behind it (what \b before it
# would check), so that a text is scanned for the letter alone: four times faster on a text without one
_ARTICLE = re.compile(r"([Aa])(?<!\w[Aa])(n?) (?=([0-9][0-9,]*))")


@lru_cache(maxsize=1 << 16)  # a quiz's solutions repeat the same steps in version after version
def english(text: str) -> str:
    """A text with 'a' or 'an' before each number as it is spoken ('an 11x11 filter', 'a 16x16 input')."""
    return _ARTICLE.sub(lambda m: f"{m.group(1)}{'n' if _an(m.group(3)) else ''} ", text)


def layer_text(layer: Layer, stated: bool = False) -> str:
    """A layer written back in the spec language, canonically: ``conv 10 5x5 stride 1 pad 2 relu``. ``stated``:
    with every stride and padding a student needs, defaults too (``conv 8 3x3 stride 1 pad 0``, ``maxpool 2
    stride 2``), as a question's table shows them."""
    return kinds()[layer.kind].text(layer, stated)
