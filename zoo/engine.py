"""The analytic engine: output shape, parameters, receptive field and connections of every layer, each number
with its worked steps in the lecture's notation.

Shapes follow Keras exactly (its ``model.summary()`` is the ground truth the tests hold this to): ``pad P`` is
zero padding followed by a 'valid' window; 'same' gives ceil(N/S), worked as (N - F + 2P)/S + 1 with the
padding Keras adds; a window that does not fit is an error unless
``floor=True``, which floors as Keras does.

Pure Python: nothing here imports numpy, TensorFlow or Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .spec import CONNECTION_TABLES, Layer, SpecError, english, fmt_dims, parse

KERAS_TYPES = {
    "conv": "Conv2D",
    "maxpool": "MaxPooling2D",
    "avgpool": "AveragePooling2D",
    "flatten": "Flatten",
    "dense": "Dense",
    "dropout": "Dropout",
    "batchnorm": "BatchNormalization",
    "globalavgpool": "GlobalAveragePooling2D",
    "globalmaxpool": "GlobalMaxPooling2D",
    "activation": "Activation",
    "zeropad": "ZeroPadding2D",
    "subsample": "Subsampling",
    "rbf": "RBFOutput",
    "add": "Add",
    "concat": "Concatenate",
}


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
    macs: int
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
            "macs": self.macs,
            "connections": self.macs,  # the LeNet-5 paper's word for the same count
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
    def total_macs(self) -> int:
        return sum(r.macs for r in self.layers)

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
            "total_macs": self.total_macs,
            "total_connections": self.total_macs,
        }


@dataclass
class _State:
    """What flows from one layer to the next: the shape, and for the receptive field the size R and the jump J
    (input pixels between neighbouring units), per axis (height, width)."""

    shape: tuple[int, ...]
    image: tuple[int, int] | None  # the network input's H, W: what a flat unit sees
    rf: tuple[int, int] | None
    jump: tuple[int, int] = (1, 1)
    steps: list[str] = field(default_factory=list)
    fits: bool = True
    merged: list = field(default_factory=list)  # (name, state) of every input of an add or concat


def _ratio(num: int, den: int) -> str:
    """7/3 -> '2.33', 5/2 -> '2.5': as the lecture writes a size that does not fit."""
    return f"{num / den:.2f}".rstrip("0").rstrip(".")


def plural(n: int, word: str) -> str:
    """1 column, 2 columns."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _window(layer: Layer, state: _State, floor: bool) -> tuple[int, int]:
    """Output height and width of a sliding window (conv or pooling) with worked steps; shared by both."""
    h1, w1, _ = state.shape
    is_conv = layer.kind == "conv"
    pads = (0, 0) if layer.padding in ("valid", "same") else layer.padding
    eff = tuple(d * (f - 1) + 1 for d, f in zip(layer.dilation, layer.kernel))
    axes = [("W", 1, "column"), ("H", 0, "row")]
    same_both = (
        h1 == w1
        and layer.kernel[0] == layer.kernel[1]
        and layer.stride[0] == layer.stride[1]
        and pads[0] == pads[1]
        and layer.dilation[0] == layer.dilation[1]
    )
    window = "filter" if is_conv else "pooling window"
    out = {}
    for axis, i, unit in axes[:1] if same_both else axes:
        n, f, s, p, d, fe = state.shape[i], layer.kernel[i], layer.stride[i], pads[i], layer.dilation[i], eff[i]
        sub = "" if same_both else axis.lower()  # Fw/Fh when the two axes differ
        F, S, P = f"F{sub}", f"S{sub}", f"P{sub}"
        if d > 1:
            state.steps.append(f"{F}' = D*({F} - 1) + 1 = {d}*({f} - 1) + 1 = {fe} (the dilated filter)")
            F += "'"
        if layer.padding == "same":
            out[i] = _same(state, axis, F, S, P, n, fe, s, unit)
            continue
        if p:
            formula, numbers, span = f"({axis}1 - {F} + 2{P})/{S}", f"({n} - {fe} + 2*{p})/{s}", n + 2 * p - fe
        else:
            formula, numbers, span = f"({axis}1 - {F})/{S}", f"({n} - {fe})/{s}", n - fe
        if span < 0:
            size = f"{axis}1 + 2{P} = {n} + 2*{p} = {n + 2 * p}" if p else f"{axis}1 = {n}"
            raise SpecError(
                english(
                    f"a {fmt_dims(layer.kernel)} {window} does not fit inside the {fmt_dims(state.shape[:2])} input "
                    f"({size} < {F} = {fe}); Keras cannot compute it either (use a smaller {window.split()[-1]}, "
                    "or pad the input)"
                ),
                layer.where,
            )
        o = span // s + 1
        dropped = span % s
        if dropped and not floor:
            pad_text = f" and pad {p}" if p else ""
            where_text = "" if same_both else f"the {'width' if axis == 'W' else 'height'} of "
            raise DoesNotFit(
                english(
                    f"{formula} + 1 = {numbers} + 1 = {_ratio(span + s, s)}: a {fmt_dims(layer.kernel)} {window} with "
                    f"stride {s}{pad_text} does not fit {where_text}a {fmt_dims(state.shape[:2])} input; Keras would "
                    f"floor it to {o} (the last {plural(dropped, unit)} dropped)"
                ),
                layer.where,
            )
        if dropped:
            state.fits = False
            state.steps.append(
                f"{axis}2 = floor({formula}) + 1 = floor({numbers}) + 1 = {o} "
                f"(does not fit: {numbers} + 1 = {_ratio(span + s, s)}; floored as Keras does, "
                f"the last {plural(dropped, unit)} dropped)"
            )
        else:
            state.steps.append(f"{axis}2 = {formula} + 1 = {numbers} + 1 = {o}")
        out[i] = o
    if same_both:
        state.steps.append(f"H2 = W2 = {out[1]} (by symmetry)")
        out[0] = out[1]
    _receptive_field(layer, state, eff, same_both)
    return out[0], out[1]


def _same(state: _State, axis: str, F: str, S: str, P: str, n: int, f: int, s: int, unit: str) -> int:
    """Keras' 'same' size, ceil(N/S), worked as the lecture works any size, (W1 - F + 2P)/S + 1, with the zero
    padding Keras adds: the least that gives ceil(N/S), any odd zero after (P = (F - 1)/2 at stride 1)."""
    o = -(-n // s)
    total = max((o - 1) * s + f - n, 0)
    before, after = total // 2, total - total // 2
    least = f"the least that gives {axis}2 = ceil({axis}1/{S})"
    if not total:  # a 1x1 filter, or a stride longer than the window
        formula, numbers, dropped = f"({axis}1 - {F})/{S}", f"({n} - {f})/{s}", (n - f) % s
        size = f"floor({formula}) + 1 = floor({numbers}) + 1" if dropped else f"{formula} + 1 = {numbers} + 1"
        padding = f"none; the last {plural(dropped, unit)} dropped" if dropped else "none needed"
    elif before == after:
        size = f"({axis}1 - {F} + 2{P})/{S} + 1 = ({n} - {f} + 2*{before})/{s} + 1"
        padding = f"{P} = ({F} - 1)/2 = {before}" if s == 1 else f"{P} = {before} on each side, {least}"
    else:
        size = f"({axis}1 - {F} + 2{P})/{S} + 1 = ({n} - {f} + {before} + {after})/{s} + 1"
        padding = f"2{P} = {total}, {before} before and {after} after, {least}"
    state.steps.append(f"{axis}2 = {size} = {o} ('same' padding: {padding})")
    return o


def _receptive_field(layer: Layer, state: _State, eff: tuple[int, int], square: bool) -> None:
    rf = tuple(r + (f - 1) * j for r, f, j in zip(state.rf, eff, state.jump))
    dilated = "'" if max(layer.dilation) > 1 else ""
    if square:
        state.steps.append(
            f"RF = RF1 + (F{dilated} - 1)*J1 = {state.rf[1]} + ({eff[1]} - 1)*{state.jump[1]} = {rf[1]} "
            f"(J1 = input pixels between neighbouring units)"
        )
    else:
        for axis, i in (("w", 1), ("h", 0)):
            state.steps.append(
                f"RF{axis} = RF{axis}1 + (F{axis}{dilated} - 1)*J{axis}1 = {state.rf[i]} + ({eff[i]} - 1)*"
                f"{state.jump[i]} = {rf[i]}"
            )
    state.rf = rf
    state.jump = tuple(j * s for j, s in zip(state.jump, layer.stride))


def _needs_image(layer: Layer, state: _State) -> None:
    if len(state.shape) != 3:
        raise SpecError(
            f"{layer.kind} needs an image input HxWxD, but its input is a flat vector of "
            f"{plural(state.shape[0], 'value')} "
            "(put it before flatten, or start from 'input HxWxD')",
            layer.where,
        )


def _window_area(kernel: tuple[int, int]) -> tuple[str, str]:
    """The symbols and numbers of a window's area: ('F*F', '5*5') or ('Fh*Fw', '3*5')."""
    fh, fw = kernel
    return ("F*F", f"{fw}*{fw}") if fh == fw else ("Fh*Fw", f"{fh}*{fw}")


def _conv(layer: Layer, state: _State, floor: bool):
    _needs_image(layer, state)
    d1 = state.shape[2]
    h2, w2 = _window(layer, state, floor)
    k = layer.units
    fh, fw = layer.kernel
    ff, ff_num = _window_area(layer.kernel)
    if layer.table:
        return (h2, w2, k), *_partial_conv(layer, state, d1, h2, w2, ff, ff_num)
    per_filter = fh * fw * d1 + 1
    params = per_filter * k
    macs = h2 * w2 * per_filter * k
    state.steps += [
        f"D2 = K = {k}",
        f"params = ({ff}*D1 + 1)*K = ({ff_num}*{d1} + 1)*{k} = {params:,}",
        f"connections (MACs) = H2*W2*({ff}*D1 + 1)*K = {h2}*{w2}*({ff_num}*{d1} + 1)*{k} = {macs:,}",
    ]
    return (h2, w2, k), params, 0, macs


def _partial_conv(layer: Layer, state: _State, d1: int, h2: int, w2: int, ff: str, ff_num: str):
    """A convolution whose maps each read only some input maps (LeNet-5's C3): F*F weights per map read."""
    table = CONNECTION_TABLES[layer.table]
    if max(max(maps) for maps in table) >= d1:
        raise SpecError(
            f"table {layer.table} reads input maps up to {max(max(m) for m in table) + 1}, but the input has D1 = {d1}",
            layer.where,
        )
    counts = {}
    for maps in table:  # how many output maps read 3, 4, 6 ... input maps
        counts[len(maps)] = counts.get(len(maps), 0) + 1
    fh, fw = layer.kernel
    params = sum((fh * fw * n + 1) * times for n, times in counts.items())
    terms = " + ".join(f"({ff_num}*{n} + 1)*{times}" for n, times in counts.items())
    macs = h2 * w2 * params
    state.steps += [
        f"D2 = K = {layer.units} (each reads only the input maps of table {layer.table})",
        f"params = sum over the maps of ({ff}*inputs + 1) = {terms} = {params:,}",
        f"connections (MACs) = H2*W2*params = {h2}*{w2}*{params:,} = {macs:,}",
    ]
    return params, 0, macs


def _subsample(layer: Layer, state: _State, floor: bool):
    """LeNet-5's S2 and S4: each window's sum times a trained coefficient, plus a trained bias, per map."""
    _needs_image(layer, state)
    d1 = state.shape[2]
    h2, w2 = _window(layer, state, floor)
    ff, ff_num = _window_area(layer.kernel)
    fh, fw = layer.kernel
    macs = h2 * w2 * d1 * (fh * fw + 1)
    state.steps += [
        f"D2 = D1 = {d1}",
        f"params = 2*D1 = 2*{d1} = {2 * d1} (a coefficient and a bias per map)",
        f"connections (MACs) = H2*W2*D2*({ff} + 1) = {h2}*{w2}*{d1}*({ff_num} + 1) = {macs:,}",
    ]
    return (h2, w2, d1), 2 * d1, 0, macs


def _rbf(layer: Layer, state: _State, floor: bool):
    """LeNet-5's output: unit i gives sum_j (x_j - w_ij)^2, its distance to a fixed +-1 code."""
    if len(state.shape) != 1:
        raise SpecError(
            f"rbf needs a flat input (put it after flatten or a dense layer), got {fmt_dims(state.shape)}", layer.where
        )
    n1, n = state.shape[0], layer.units
    codes = n1 * n
    state.steps += [
        f"output = N = {n} (y_i = sum_j (x_j - w_ij)^2: the distance to code i)",
        f"params = 0 trainable; the fixed +-1 codes are N1*N = {n1}*{n} = {codes:,} non-trainable values",
        f"connections (MACs) = N1*N = {codes:,}",
    ]
    return (n,), 0, codes, codes


def _pool(layer: Layer, state: _State, floor: bool):
    _needs_image(layer, state)
    d1 = state.shape[2]
    h2, w2 = _window(layer, state, floor)
    fh, fw = layer.kernel
    ff, ff_num = _window_area(layer.kernel)
    macs = h2 * w2 * d1 * fh * fw
    state.steps += [
        f"D2 = D1 = {d1}",
        "params = 0 (pooling computes a fixed function of its input)",
        f"operations = H2*W2*D2*{ff} = {h2}*{w2}*{d1}*{ff_num} = {macs:,}",
    ]
    return (h2, w2, d1), 0, 0, macs


def _flatten(layer: Layer, state: _State, floor: bool):
    n = math.prod(state.shape)
    if len(state.shape) == 3:
        h, w, d = state.shape
        state.steps.append(f"output = H*W*D = {h}*{w}*{d} = {n:,} values")
    else:
        state.steps.append(f"output = {n:,} values (already flat)")
    state.steps.append("params = 0 (flatten only rearranges values)")
    _whole_image(state)
    return (n,), 0, 0, 0


def _whole_image(state: _State) -> None:
    """After flatten or global pooling every unit sees the whole input image."""
    state.rf = state.image


def _dense(layer: Layer, state: _State, floor: bool):
    n = layer.units
    if len(state.shape) == 1:
        n1 = state.shape[0]
        params = (n1 + 1) * n
        state.steps += [
            f"output = N = {n} units, each reading all N1 = {n1:,} inputs",
            f"params = (N1 + 1)*N = ({n1} + 1)*{n} = {params:,}",
            f"connections (MACs) = (N1 + 1)*N = {params:,}",
        ]
        return (n,), params, 0, params
    h, w, d1 = state.shape
    params = (d1 + 1) * n
    macs = h * w * params
    state.steps += [
        f"Dense acts on the last axis, as Keras does: output H x W x N = {h}x{w}x{n}",
        f"params = (D1 + 1)*N = ({d1} + 1)*{n} = {params:,}",
        f"connections (MACs) = H*W*(D1 + 1)*N = {h}*{w}*({d1} + 1)*{n} = {macs:,}",
    ]
    return (h, w, n), params, 0, macs


def _dropout(layer: Layer, state: _State, floor: bool):
    state.steps.append(
        f"shape unchanged; params = 0 (while training, a share {layer.rate:g} of the values is set to 0)"
    )
    return state.shape, 0, 0, 0


def _batchnorm(layer: Layer, state: _State, floor: bool):
    c = state.shape[-1]
    size = math.prod(state.shape)
    state.steps += [
        f"params = 4*C = 4*{c} = {4 * c:,}: gamma and beta are trained (2*{c} = {2 * c:,}), "
        f"the moving mean and variance are not (2*{c} = {2 * c:,})",
        f"operations = one scale and shift per value = {size:,}",
    ]
    return state.shape, 2 * c, 2 * c, size


def _global_pool(layer: Layer, state: _State, floor: bool):
    _needs_image(layer, state)
    h, w, d = state.shape
    macs = h * w * d
    state.steps += [
        f"output = D1 = {d} (one value per channel, over all {h}x{w} positions)",
        "params = 0",
        f"operations = H*W*D = {h}*{w}*{d} = {macs:,}",
    ]
    _whole_image(state)
    return (d,), 0, 0, macs


def _activation(layer: Layer, state: _State, floor: bool):
    state.steps.append(f"shape unchanged; params = 0 ({layer.activation} is applied to every value)")
    return state.shape, 0, 0, 0


def _zeropad(layer: Layer, state: _State, floor: bool):
    _needs_image(layer, state)
    h, w, d = state.shape
    ph, pw = layer.padding
    out = (h + 2 * ph, w + 2 * pw, d)
    state.steps += [
        f"W2 = W1 + 2P = {w} + 2*{pw} = {out[1]}",
        f"H2 = H1 + 2P = {h} + 2*{ph} = {out[0]}",
        "params = 0 (a border of zeros)",
    ]
    return out, 0, 0, 0


def _merge(layer: Layer, state: _State, floor: bool):
    names = [name for name, _ in state.merged]
    shapes = [s.shape for _, s in state.merged]
    listed = ", ".join(f"{n} {fmt_dims(s)}" for n, s in zip(names, shapes))
    if layer.kind == "add":
        if len(set(shapes)) != 1:
            raise SpecError(f"add needs inputs of one shape, got {listed}", layer.where)
        out = shapes[0]
        size = math.prod(out)
        macs = size * (len(shapes) - 1)
        state.steps += [
            f"output = the shape of every input = {fmt_dims(out)} ({' + '.join(names)})",
            "params = 0",
            f"operations = (inputs - 1)*H*W*D = {len(shapes) - 1}*{size:,} = {macs:,}",
        ]
    else:
        if any(len(s) != 3 for s in shapes) or len({s[:2] for s in shapes}) != 1:
            raise SpecError(f"concat needs inputs of one height and width, got {listed}", layer.where)
        depth = sum(s[2] for s in shapes)
        out = shapes[0][:2] + (depth,)
        macs = 0
        state.steps += [f"D2 = {' + '.join(str(s[2]) for s in shapes)} = {depth} (stacked in depth)", "params = 0"]
    # a unit sees what any of its inputs sees
    state.rf = tuple(max(s.rf[i] for _, s in state.merged) for i in (0, 1)) if state.rf else None
    state.jump = tuple(max(s.jump[i] for _, s in state.merged) for i in (0, 1))
    return out, 0, 0, macs


_RULES = {
    "conv": _conv,
    "maxpool": _pool,
    "avgpool": _pool,
    "flatten": _flatten,
    "dense": _dense,
    "dropout": _dropout,
    "batchnorm": _batchnorm,
    "globalavgpool": _global_pool,
    "globalmaxpool": _global_pool,
    "activation": _activation,
    "zeropad": _zeropad,
    "subsample": _subsample,
    "rbf": _rbf,
    "add": _merge,
    "concat": _merge,
}


def analyze(layers: list[Layer] | str, floor: bool = False) -> NetworkResult:
    """Compute every layer after the input. ``layers`` is parsed spec layers or spec text."""
    if isinstance(layers, str):
        return _analyze_text(layers, floor)
    return _analyze(layers, floor)


@lru_cache(maxsize=4096)  # results are immutable: a quiz asks for the same spec's key, solution and table
def _analyze_text(text: str, floor: bool) -> NetworkResult:
    return _analyze(parse(text), floor)


def _analyze(layers: list[Layer], floor: bool) -> NetworkResult:
    shape = layers[0].shape
    image = shape[:2] if len(shape) == 3 else None
    states = {layers[0].name: _State(shape=shape, image=image, rf=(1, 1) if image else None)}
    previous = layers[0].name
    results = []
    for layer in layers[1:]:
        sources = layer.inputs or (previous,)
        first = states[sources[0]]
        state = _State(
            shape=first.shape,
            image=first.image,
            rf=first.rf,
            jump=first.jump,
            merged=[(name, states[name]) for name in sources] if layer.kind in ("add", "concat") else [],
        )
        in_shape = state.shape
        out_shape, trainable, non_trainable, macs = _RULES[layer.kind](layer, state, floor)
        state.shape = out_shape
        states[layer.name] = state
        previous = layer.name
        results.append(
            LayerResult(
                name=layer.name,
                type="PartialConv2D" if layer.table else KERAS_TYPES[layer.kind],
                input_shape=in_shape,
                output_shape=out_shape,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
                receptive_field=state.rf,
                macs=macs,
                steps=tuple(state.steps),
                fits=state.fits,
            )
        )
    return NetworkResult(input_shape=shape, layers=tuple(results))
