"""What every sliding window shares (a convolution's filter, a pooling window, LeNet's subsampling): its output
size worked in the lecture's notation, its receptive field, its words in the spec language, its Keras layers,
and the rows and columns below that a unit reads. ``Window`` is not a layer type itself; conv, the pools and
subsample are."""

from __future__ import annotations

from typing import Any, ClassVar

from ..engine import DoesNotFit, State, plural
from ..spec import PAD, STRIDE, Item, Layer, Option, SpecError, english, fmt_dims, pair, pair_text, read_options
from ..spec import padding_text as _padding_text
from .base import LayerType


def ratio(num: int, den: int) -> str:
    """7/3 -> '2.33', 5/2 -> '2.5': as the lecture writes a size that does not fit."""
    return f"{num / den:.2f}".rstrip("0").rstrip(".")


def window_area(kernel: tuple[int, int]) -> tuple[str, str]:
    """The symbols and numbers of a window's area: ('F*F', '5*5') or ('Fh*Fw', '3*5')."""
    fh, fw = kernel
    return ("F*F", f"{fw}*{fw}") if fh == fw else ("Fh*Fw", f"{fh}*{fw}")


def effective(layer: Layer) -> tuple[int, int]:
    """The window's extent on its input, dilation included: F' = D*(F - 1) + 1 per axis."""
    (dh, dw), (fh, fw) = layer.dilation, layer.kernel
    return dh * (fh - 1) + 1, dw * (fw - 1) + 1


class Window(LayerType):
    """A layer whose unit reads an F x F window of its input, moved by stride S over the input padded by P."""

    window: ClassVar[str] = "pooling window"  # what the worked steps call it
    options: ClassVar[dict[str, Option]] = {"stride": STRIDE, "pad": PAD}
    takes_activation: ClassVar[bool] = False  # whether an activation word may follow

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        """``KEYWORD F [stride S] [pad P]``: the lecture's pooling default is stride S = F (non-overlapping
        windows), as in Keras."""
        kind = base["kind"]
        text, where = item.take(f"the pooling window F (as in '{kind} 2')")
        size = pair(text, where, "the pooling window F")
        opts = read_options(item, kind, self.options, with_activation=self.takes_activation)
        return Layer(
            kernel=size,
            stride=opts.get("stride", size),
            padding=opts.get("pad", "valid"),
            activation=opts.get("activation"),
            **base,
        )

    def words(self, layer: Layer, stated: bool) -> list[str]:
        words = [pair_text(layer.kernel)]
        if stated or layer.stride != layer.kernel:
            words += ["stride", pair_text(layer.stride)]
        if layer.padding != "valid":
            words += ["pad", _padding_text(layer.padding)]
        return words

    # --- the engine -------------------------------------------------------------------------------------------
    def output_size(self, layer: Layer, state: State, floor: bool) -> tuple[int, int]:
        """Output height and width with worked steps, and the receptive field after the window."""
        h1, w1, _ = state.shape
        pads = layer.pads
        eff = effective(layer)
        axes = [("W", 1, "column"), ("H", 0, "row")]
        same_both = (
            h1 == w1
            and layer.kernel[0] == layer.kernel[1]
            and layer.stride[0] == layer.stride[1]
            and pads[0] == pads[1]
            and layer.dilation[0] == layer.dilation[1]
        )
        window = self.window
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
                        f"a {fmt_dims(layer.kernel)} {window} does not fit inside the {fmt_dims(state.shape[:2])} "
                        f"input ({size} < {F} = {fe}); Keras cannot compute it either (use a smaller "
                        f"{window.split()[-1]}, or pad the input)"
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
                        f"{formula} + 1 = {numbers} + 1 = {ratio(span + s, s)}: a {fmt_dims(layer.kernel)} {window} "
                        f"with stride {s}{pad_text} does not fit {where_text}a {fmt_dims(state.shape[:2])} input; "
                        f"Keras would floor it to {o} (the last {plural(dropped, unit)} dropped)"
                    ),
                    layer.where,
                )
            if dropped:
                state.fits = False
                state.steps.append(
                    f"{axis}2 = floor({formula}) + 1 = floor({numbers}) + 1 = {o} "
                    f"(does not fit: {numbers} + 1 = {ratio(span + s, s)}; floored as Keras does, "
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

    # --- Keras ------------------------------------------------------------------------------------------------
    def keras_window(self, layer: Layer, window_class: Any, **kwargs: Any) -> list[Any]:
        """The Keras window layer, after a ZeroPadding2D where the spec says ``pad P``: 'valid' on the padded
        input is the lecture's padding."""
        from ..keras.layers import keras

        made = []
        if layer.explicit_pad:
            ph, pw = layer.explicit_pad
            made.append(keras.layers.ZeroPadding2D(padding=((ph, ph), (pw, pw)), name=f"{layer.name}_pad"))
        padding = "same" if layer.padding == "same" else "valid"
        made.append(window_class(strides=layer.stride, padding=padding, name=layer.name, **kwargs))
        return made

    def keras_fits(self, layer: Layer, before: tuple[Any, ...], after: tuple[Any, ...]) -> bool:
        """From Keras' shapes (batch first) before and after the window, independently of the engine: a 'valid'
        window fits when (O - 1)*S + F' = N (N padded) on both axes."""
        if layer.padding == "same":
            return True
        return all((o - 1) * s + f == n for o, s, f, n in zip(after[1:3], layer.stride, effective(layer), before[1:3]))

    # --- convzoo explore --------------------------------------------------------------------------------------
    def padding_before(self, layer: Layer, size: int, axis: int) -> int:
        """Rows (axis 0) or columns (axis 1) of zeros before an input ``size`` long, as Keras pads it."""
        if layer.padding == "same":
            out = -(-size // layer.stride[axis])
            return max((out - 1) * layer.stride[axis] + effective(layer)[axis] - size, 0) // 2  # odd one after
        return layer.pads[axis]

    def step_back(
        self, layer: Layer, below_shape: tuple[int, ...], rows: tuple[int, int], cols: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        spans = []
        for axis, (first, last) in enumerate((rows, cols)):
            pad = self.padding_before(layer, below_shape[axis], axis)
            spans.append(
                (first * layer.stride[axis] - pad, last * layer.stride[axis] - pad + effective(layer)[axis] - 1)
            )
        return spans[0], spans[1]


def _same(state: State, axis: str, F: str, S: str, P: str, n: int, f: int, s: int, unit: str) -> int:
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


def _receptive_field(layer: Layer, state: State, eff: tuple[int, int], square: bool) -> None:
    assert state.rf is not None  # a window reads an image, whose units see a field
    rf = (state.rf[0] + (eff[0] - 1) * state.jump[0], state.rf[1] + (eff[1] - 1) * state.jump[1])
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
    state.jump = (state.jump[0] * layer.stride[0], state.jump[1] * layer.stride[1])
