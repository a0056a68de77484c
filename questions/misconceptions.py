"""Named misconceptions: the wrong answers students really give, each with the mistake it comes from.

Multiple-choice distractors are built from these, and every wrong option's feedback names its mistake."""

from __future__ import annotations

from functools import lru_cache

from .answers import DOES_NOT_FIT
from .core import Wrong


def _whole(num: int, den: int) -> int | None:
    return num // den if den and num % den == 0 and num // den > 0 else None


def _one_more(value: int | None) -> int | None:
    return None if value is None else value + 1


def output_size(n: int, f: int, s: int, p: int) -> list[Wrong]:
    """Wrong spatial sizes for (N - F + 2P)/S + 1."""
    span = n - f + 2 * p
    fits = span >= 0 and span % s == 0
    right = f"(N - F + 2P)/S + 1 = ({n} - {f} + 2*{p})/{s} + 1"
    wrong = []

    def add(value, mistake, explanation):
        if value is not None and value > 0:
            wrong.append(Wrong(value, mistake, explanation))

    add(_whole(span, s), "forgot the +1", f"the count of positions is {right}: the first position counts too")
    if p:
        add(
            _one_more(_whole(n - f, s)),
            "forgot the padding",
            f"zero padding P = {p} on each side widens the input to N + 2P = {n + 2 * p}",
        )
        add(
            _one_more(_whole(n - f + p, s)),
            "forgot 2P (padded one side only)",
            f"the padding goes on both sides: N + 2P = {n} + 2*{p}",
        )
    if s > 1:
        add(
            span + 1 if span >= 0 else None,
            "forgot to divide by the stride",
            f"the filter moves S = {s} pixels at a time: divide (N - F + 2P) by S",
        )
    add(
        _one_more(_whole(n + 2 * p, s)),
        "forgot to subtract F",
        f"at its last position the window covers F = {f} of the N + 2P = {n + 2 * p} pixels: {right}",
    )
    if fits:
        wrong.append(
            Wrong(
                DOES_NOT_FIT,
                "thought the filter does not fit",
                f"{right} = {span // s + 1} is a whole number, so the filter fits",
            )
        )
    else:
        add(
            span // s + 1 if span >= 0 else None,
            "floored a size that does not fit",
            f"{right} = {span / s + 1:.2f} is not a whole number: by the lecture's formula the filter does not "
            "fit (Keras would floor it and drop the last columns)",
        )
        add(
            -(-span // s) + 1 if span >= 0 else None,
            "rounded up a size that does not fit",
            f"{right} is not a whole number: the filter does not fit",
        )
    return wrong


def fit(n: int, f: int, s: int, p: int) -> list[Wrong]:
    """Wrong verdicts on whether a window fits, by (N - F + 2P)/S + 1 worked without the padding or with it on
    one side only: each named where it turns the verdict."""
    fits = (n - f + 2 * p) % s == 0
    size = f"{(n - f + 2 * p) / s + 1:.2f}".rstrip("0").rstrip(".")
    right = f"(N - F + 2P)/S + 1 = ({n} - {f} + 2*{p})/{s} + 1 = {size}, {'' if fits else 'not '}a whole number"
    wrong = []
    if p:
        for span, mistake, explanation in (
            (
                n - f,
                "forgot the padding",
                f"zero padding P = {p} on each side widens the input to N + 2P = {n + 2 * p}: {right}",
            ),
            (n - f + p, "forgot 2P (padded one side only)", f"the padding goes on both sides: {right}"),
        ):
            if span >= 0 and (span % s == 0) != fits:
                wrong.append(Wrong(span % s == 0, mistake, explanation))
    return wrong


def volume(sizes: list[Wrong], h: int, d2: int, answer_depth_wrong: int | None) -> list[Wrong]:
    """Wrong W2xH2xD2 volumes: the size mistakes with the right depth, and the right size with a wrong depth."""
    wrong = [
        Wrong(w.value if w.value == DOES_NOT_FIT else [w.value, w.value, d2], w.name, w.explanation) for w in sizes
    ]
    if answer_depth_wrong is not None and h > 0:
        wrong.append(
            Wrong(
                [h, h, answer_depth_wrong],
                "kept the input depth",
                f"a conv layer's output depth D2 is its number of filters K = {d2}",
            )
        )
    return wrong


def conv_params(f: int, d1: int, k: int, positions: int | None = None, per_filter: bool = False) -> list[Wrong]:
    """Wrong parameter counts for a conv layer's (F*F*D1 + 1)*K, or (per_filter) one filter's F*F*D1 + 1; some
    fall short of the answer, some overshoot it."""
    filters = 1 if per_filter else k
    per = "per filter" if per_filter else f"for {k} filters"
    wrong = [
        Wrong(f * f * d1 * filters, "forgot the bias", f"each filter has one bias: +1 {per}"),
        Wrong(
            (f * f + 1) * filters,
            "forgot the input depth",
            f"a filter spans the whole input depth: F*F*D1 = {f}*{f}*{d1} weights",
        ),
        Wrong(
            (f * d1 + 1) * filters, "F instead of F*F", f"a {f}x{f} filter has F*F = {f * f} weights per input channel"
        ),
        Wrong(
            (f * f + 1) * d1 * filters,
            "a bias per input channel",
            f"a filter has one bias, however deep: F*F*D1 + 1 = {f}*{f}*{d1} + 1",
        ),
        Wrong(
            (f * f * k + 1) * filters,
            "took K for the input depth",
            f"D1 = {d1} is the input's depth; K = {k} is the number of filters",
        ),
    ]
    if per_filter:
        wrong.append(
            Wrong((f * f * d1 + 1) * k, "counted the whole layer", f"the question asks for one filter, not all K = {k}")
        )
    else:
        wrong.append(
            Wrong(f * f * d1 * k + 1, "one bias for the whole layer", f"every filter has its own bias: K = {k} biases")
        )
    if positions:
        wrong.append(
            Wrong(
                (f * f * d1 + 1) * k * positions,
                "forgot parameter sharing",
                "a filter's weights are shared by every output position: do not multiply by W2*H2",
            )
        )
    return wrong


def table_rows(question) -> dict[tuple[int, int], tuple[Wrong, ...]]:
    """The named mistakes of each blank of a network's table, {(row, column): wrong answers}: a conv or pooling
    layer's size mistakes, a conv layer's parameter mistakes, a dense layer's forgotten bias, a volume not
    flattened. Layers the lecture's formulas do not cover by hand ('same' padding, uneven windows, C3's table)
    name none."""
    return dict(_table_rows(question.specs[0]))


@lru_cache(maxsize=1024)  # a zoo model's table is asked about again and again, with the same mistakes each time
def _table_rows(spec: str) -> dict[tuple[int, int], tuple[Wrong, ...]]:
    from ..zoo.engine import analyze
    from ..zoo.spec import parse

    layers = parse(spec)[1:]
    found: dict[tuple[int, int], tuple[Wrong, ...]] = {}
    for i, (layer, row) in enumerate(zip(layers, analyze(spec, floor=True).layers)):
        before, after = row.input_shape, row.output_shape
        square = (
            len(before) == 3
            and before[0] == before[1]
            and layer.kernel[0] == layer.kernel[1]
            and layer.stride[0] == layer.stride[1]
            and layer.dilation == (1, 1)
        )
        if layer.kind in ("conv", "maxpool", "avgpool") and square and not layer.table and layer.padding != "same":
            n, f, s = before[0], layer.kernel[0], layer.stride[0]
            p = layer.padding[0] if isinstance(layer.padding, tuple) else 0
            if isinstance(layer.padding, tuple) and layer.padding[0] != layer.padding[1]:
                continue
            depth_kept = before[2] if layer.kind == "conv" and before[2] != after[2] else None
            found[(i, 1)] = tuple(volume(output_size(n, f, s, p), after[0], after[2], depth_kept))
            if layer.kind == "conv":
                found[(i, 2)] = tuple(conv_params(f, before[2], layer.units, positions=after[0] * after[1]))
        elif layer.kind == "dense":
            found[(i, 2)] = (
                Wrong(
                    before[-1] * layer.units,
                    "forgot the bias",
                    f"each of the {layer.units} units has its own bias: (N1 + 1)*N",
                ),
            )
        elif layer.kind == "flatten" and len(before) == 3:
            found[(i, 1)] = (
                Wrong(
                    list(before),
                    "did not flatten",
                    f"flatten makes one vector of H*W*D = {before[0] * before[1] * before[2]:,} values",
                ),
            )
    return found
