"""Multiple choice that tells the truth and cannot be gamed (issue 16): every wrong answer is what its named
mistake produces, recomputed here from each mistake's own formula, written independently of
questions/misconceptions.py and the kinds; every option is distinct, possible and not the answer."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from convzoo.questions.answers import DOES_NOT_FIT
from convzoo.questions.choices import SLIP
from convzoo.questions.core import kinds
from convzoo.questions.quiz import make_question
from convzoo.zoo.engine import analyze
from convzoo.zoo.spec import parse

QUESTIONS = 240  # per kind, the three levels in turn: a few seconds in all
LEVELS = ("easy", "medium", "hard")
FITS_WRONG = "thought the window does not fit"  # multiple choice's own "does not fit" option where the window fits


def _whole(x: Fraction):
    return int(x) if x.denominator == 1 else None


def sizes(n, f, s, p) -> dict:
    """Each size mistake's W2 for an N-wide input, an FxF window, stride S and padding P."""
    span = Fraction(n - f + 2 * p, s)
    return {
        "forgot the +1": _whole(span),
        "forgot the padding": _whole(Fraction(n - f, s) + 1),
        "forgot 2P (padded one side only)": _whole(Fraction(n - f + p, s) + 1),
        "forgot to divide by the stride": n - f + 2 * p + 1,
        "forgot to subtract F": _whole(Fraction(n + 2 * p, s) + 1),
        "thought the filter does not fit": DOES_NOT_FIT,
        FITS_WRONG: DOES_NOT_FIT,
        "floored a size that does not fit": math.floor(span) + 1,
        "rounded up a size that does not fit": math.ceil(span) + 1,
    }


def volumes(n, f, s, p, depth, input_depth, right_size) -> dict:
    """The size mistakes as volumes of the right depth, and the right size with the input depth kept."""
    found = {name: w if w == DOES_NOT_FIT or w is None else [w, w, depth] for name, w in sizes(n, f, s, p).items()}
    return {**found, "kept the input depth": [right_size, right_size, input_depth]}


def conv_params(f, d1, k, positions=None, per_filter=False) -> dict:
    """Each parameter mistake of K FxF filters on a D1-deep input (per_filter: of one filter)."""
    m = 1 if per_filter else k
    return {
        "forgot the bias": f * f * d1 * m,
        "forgot the input depth": (f * f + 1) * m,
        "F instead of F*F": (f * d1 + 1) * m,
        "a bias per input channel": (f * f * d1 + d1) * m,
        "took K for the input depth": (f * f * k + 1) * m,
        "one bias for the whole layer": f * f * d1 * k + 1,
        "counted the whole layer": (f * f * d1 + 1) * k,
        "forgot parameter sharing": None if positions is None else (f * f * d1 + 1) * k * positions,
    }


def conv_spec(spec: str) -> tuple[int, ...]:
    """(N, D, K, F, S, P) of 'input NxNxD, conv K FxF stride S pad P'."""
    found = re.fullmatch(r"input (\d+)x\1x(\d+), conv (\d+) (\d+)x\4 stride (\d+) pad (\d+)", spec)
    return tuple(map(int, found.groups()))


def correlate(channels, kernels, pad, stride, i, j, bias=0):
    """One output cell of a cross-correlation with zero padding, channel by channel, plus the bias."""
    total = bias
    for image, kernel in zip(channels, kernels):
        size = len(image)
        for a, row in enumerate(kernel):
            for b, weight in enumerate(row):
                y, x = i * stride + a - pad, j * stride + b - pad
                total += weight * (image[y][x] if 0 <= y < size and 0 <= x < size else 0)
    return total


def flipped(kernel):
    return [row[::-1] for row in kernel[::-1]]


def transposed(kernel):
    return [list(col) for col in zip(*kernel)]


SHIFTS = {"one column to the right": (0, 1), "one row down": (1, 0), "one column left": (0, -1), "one row up": (-1, 0)}


def conv_value(q) -> dict:
    image, kernel, stride, pad, (i, j) = (q.numbers[k] for k in ("input", "kernel", "stride", "pad", "cell"))
    out, unpadded = ((len(image) + 2 * p - len(kernel)) // stride + 1 for p in (pad, 0))
    found = {
        f"placed the window {where}": correlate([image], [kernel], pad, stride, i + di, j + dj)
        for where, (di, dj) in SHIFTS.items()
        if 0 <= i + di < out and 0 <= j + dj < out
    }
    return {
        **found,
        "flipped the kernel": correlate([image], [flipped(kernel)], pad, stride, i, j),
        "transposed the kernel": correlate([image], [transposed(kernel)], pad, stride, i, j),
        "forgot the padding": correlate([image], [kernel], 0, stride, i, j) if i < unpadded and j < unpadded else None,
    }


def conv_value_rgb(q) -> dict:
    channels, kernels, bias, (i, j) = (q.numbers[k] for k in ("input", "kernel", "bias", "cell"))
    found = {
        f"placed the window {where}": correlate(channels, kernels, 1, 1, i + di, j + dj, bias)
        for where, (di, dj) in SHIFTS.items()
        if 0 <= i + di < len(channels[0]) and 0 <= j + dj < len(channels[0])
    }
    return {
        **found,
        "forgot the bias": q.answer - bias,
        "a bias per input channel": q.answer + 2 * bias,
        "subtracted the bias": q.answer - 2 * bias,
        "used only the first channel": correlate(channels[:1], kernels[:1], 1, 1, i, j, bias),
        "flipped the kernel": correlate(channels, [flipped(k) for k in kernels], 1, 1, i, j, bias),
    }


def output_size(q) -> dict:
    n, f, s, p = (q.numbers[k] for k in "nfsp")
    return sizes(n, f, s, p)


def output_volume(q) -> dict:
    n, d, k, f, s, p = conv_spec(q.specs[0])
    right = q.answer[0] if q.answer != DOES_NOT_FIT else None
    return volumes(n, f, s, p, k, d, right)


def pool_output(q) -> dict:
    n, f, s, d = (q.numbers[k] for k in "nfsd")
    right = q.answer[0] if q.answer != DOES_NOT_FIT else None
    return {**volumes(n, f, s, 0, d, d, right), "pooled across the depth": [right, right, 1]}


def layer_params(q) -> dict:
    n, d, k, f, s, p = conv_spec(q.specs[0])
    return conv_params(f, d, k, positions=((n - f + 2 * p) // s + 1) ** 2)


def params_per_filter(q) -> dict:
    n, d, k, f, s, p = conv_spec(q.specs[0])
    return conv_params(f, d, k, per_filter=True)


def dense_params(q) -> dict:
    h, d, n = map(int, re.fullmatch(r"input (\d+)x\1x(\d+), flatten, dense (\d+)", q.specs[0]).groups())
    flat = h * h * d
    return {
        "forgot the bias": flat * n,
        "forgot the depth when flattening": (h * h + 1) * n,
        "used only the depth": (d + 1) * n,
        "added instead of multiplied": flat + n,
        "a bias for every weight": 2 * flat * n,
        "added 1 to N as well": (flat + 1) * (n + 1),
    }


def same_padding(q) -> dict:
    f = q.numbers["f"]
    return {"padded F - 1": f - 1, "padded by F": f, "took F/2 rounded up": math.ceil(f / 2), "no padding": 0}


def total_params(q) -> dict:
    rows = analyze(q.specs[0]).layers
    weighted = [r for r in rows if r.type in ("Conv2D", "Dense")]
    convs = [r for r in rows if r.type == "Conv2D"]
    biases = sum(r.output_shape[-1] for r in weighted)
    return {
        "forgot the bias": q.answer - biases,
        "one bias for the whole layer": q.answer - biases + len(weighted),
        "a bias per input channel": q.answer + sum((r.input_shape[-1] - 1) * r.output_shape[-1] for r in convs),
        "counted pooling parameters": q.answer + sum(r.output_shape[-1] for r in rows if "Pooling" in r.type),
        "forgot parameter sharing": q.answer
        + sum(r.params * (r.output_shape[0] * r.output_shape[1] - 1) for r in convs),
        "left out the non-trainable parameters": sum(r.trainable_params for r in rows),
    }


def zoo_layer(q) -> dict:
    row = analyze(q.specs[0], floor=True).layers[q.numbers["index"]]
    positions = row.output_shape[0] * row.output_shape[1] if len(row.output_shape) == 3 else 1
    return {
        "forgot the bias": q.answer - row.output_shape[-1],
        "gave the parameters, not the connections": row.params,
        "forgot parameter sharing": q.answer * positions,
    }


def params_share(q) -> dict:
    rows = analyze(q.specs[0], floor=True).layers
    weighted = [r for r in rows if r.params]
    return {
        "gave the convolutions' share": 100 - q.answer,
        "counted layers, not parameters": round(100 * sum(r.type == "Dense" for r in weighted) / len(weighted)),
    }


FORMULAS = {
    "conv_value": conv_value,
    "conv_value_rgb": conv_value_rgb,
    "output_size": output_size,
    "output_volume": output_volume,
    "pool_output": pool_output,
    "layer_params": layer_params,
    "params_per_filter": params_per_filter,
    "dense_params": dense_params,
    "same_padding": same_padding,
    "total_params": total_params,
    "zoo_layer": zoo_layer,
    "params_share": params_share,
}


def table(q) -> dict:
    """{(row, column): {mistake: value}} for a network's table: a window layer's sizes as volumes, a conv
    layer's parameter mistakes, a dense layer's forgotten bias, a volume not flattened."""
    found = {}
    for i, (layer, row) in enumerate(zip(parse(q.specs[0])[1:], analyze(q.specs[0], floor=True).layers)):
        before, after = row.input_shape, row.output_shape
        if layer.kind in ("conv", "maxpool", "avgpool"):
            p = layer.padding[0] if isinstance(layer.padding, tuple) else 0
            n, f, s = before[0], layer.kernel[0], layer.stride[0]
            found[(i, 1)] = volumes(n, f, s, p, after[2], before[2], after[0])
            if layer.kind == "conv":
                found[(i, 2)] = conv_params(f, before[2], layer.units, positions=after[0] * after[1])
        elif layer.kind == "dense":
            found[(i, 2)] = {"forgot the bias": before[-1] * layer.units}
        elif layer.kind == "flatten":
            found[(i, 1)] = {"did not flatten": list(before)}
    return found


TABLE_KINDS = ("network_table", "zoo_table")


def questions(name: str):
    kind = kinds()[name]
    return kind, [make_question(kind, seed, "A", 0, LEVELS[seed % 3], mc=True) for seed in range(QUESTIONS)]


def test_every_kind_with_named_mistakes_has_its_formulas_here():
    named = {n for n, k in kinds().items() if k.misconceptions}
    assert named == set(FORMULAS), "a kind's named mistakes need their formulas in this test"


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_every_wrong_option_is_what_its_named_mistake_gives(name):
    kind, drawn = questions(name)
    for q in drawn:
        formulas = FORMULAS[name](q)
        context = (q.specs, q.answer)
        for wrong in kind.misconceptions(q.answer, q.numbers):  # what practice's feedback names, too
            assert wrong.name in formulas, f"{name}: '{wrong.name}' has no formula in this test"
            assert kind.form.type.same(wrong.value, formulas[wrong.name]), (wrong, formulas, context)
        assert len(q.choices) == 5 and [c.correct for c in q.choices].count(True) == 1, context
        texts = [c.text for c in q.choices]
        assert len(set(texts)) == len(texts) and q.answer_text in texts, texts
        named_texts = {kind.form.text(v) for v in formulas.values() if v is not None}
        for c in q.choices:
            if c.correct:
                continue
            assert c.feedback.lower().startswith(c.mistake.name.lower() + ": "), c.feedback
            if c.mistake.name == SLIP:  # a plain slip: a possible answer that no named mistake gives
                assert c.text not in named_texts, (c, formulas)
                value = kind.form.type.read(c.text)
                assert kind.form.type.possible(value) and not kind.form.type.same(value, q.answer), c
                assert value != 0 or kind.form.type.least != 0, c  # no count or share slips to none
            else:
                assert c.mistake.name in formulas, f"{name}: '{c.mistake.name}' has no formula in this test"
                assert c.text == kind.form.text(formulas[c.mistake.name]), (c, formulas, context)


@pytest.mark.parametrize("name", TABLE_KINDS)
def test_every_table_blanks_named_mistake_is_what_it_gives(name):
    kind, drawn = questions(name)
    for q in drawn:
        formulas = table(q)
        for (row, column), wrongs in kind.form.row_mistakes(q).items():
            for wrong in wrongs:
                cell = formulas[(row, column)]
                assert wrong.name in cell, f"{name}: '{wrong.name}' has no formula in this test"
                assert wrong.value == cell[wrong.name], (q.specs, row, column, wrong, cell)


def test_the_one_bias_mistake_gives_one_bias_for_the_whole_layer():
    """Issue 16's example: 3x3 filters on a 3-deep input, K = 2: one bias for the layer is 3*3*3*2 + 1 = 55."""
    from convzoo.questions.misconceptions import conv_params as named

    (wrong,) = [w for w in named(3, 3, 2) if w.name == "one bias for the whole layer"]
    assert wrong.value == 55


def test_the_right_option_is_not_given_away_by_its_rank():
    """Issue 16: picking the biggest (or the second smallest) option must not pay. 300 questions per kind here,
    seeded; benchmarks/mc_rank.py counts 10,000 per kind (every share under 40%)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from mc_rank import LEVELS, rank

    for name, kind in kinds().items():
        if not kind.misconceptions:
            continue
        tally: dict[int, Counter] = defaultdict(Counter)
        for seed in range(300):
            found = rank(make_question(kind, seed, "A", 0, LEVELS[seed % 3], mc=True))
            if found is not None:
                tally[found[1]][found[0]] += 1
        for options, ranks in tally.items():
            total = sum(ranks.values())
            if options >= 4 and total >= 100:  # a share of a smaller sample says little
                assert max(ranks.values()) / total <= 0.45, (name, options, dict(ranks))
