"""One layer of a famous network: the parameters of VGG-16's first dense layer, the connections of LeNet-5's C3.

Any layer with parameters of any zoo model in the syllabus, at any input and class count it is asked about
(questions/syllabus.py): the difficulty picks among the model's smaller, middle or larger layers. The prompt states
all the layer's own numbers (its input, K, F, S and P, or its units), so nothing needs the architecture learnt by
heart."""

from __future__ import annotations

from ...zoo.engine import analyze
from ...zoo.spec import CONNECTION_TABLES, fmt_dims
from ..answers import COUNT
from ..core import Draft, Wrong, question_kind
from ..forms import Single
from ..syllabus import by_level, draw_variant, lecture_padding, lecture_text

STEPS = {"params": ("params",), "connections": ("W2", "H2", "connections")}


def key(oracle, q):
    row = oracle.rows(q.specs[0])[q.numbers["index"]]
    # connections of a convolution: every output position repeats the layer's weights (as the paper counts them)
    return row.params * row.output_shape[0] * row.output_shape[1] if q.numbers["what"] == "connections" else row.params


def mistakes(answer, numbers):
    kind, channels = numbers["kind"], numbers["biases"]
    if kind == "batchnorm":
        return [
            Wrong(
                answer // 2,
                "left out the non-trainable parameters",
                "the moving mean and variance are parameters too, though not trained: 4 per channel",
            ),
            Wrong(4, "counted one set for the whole layer", f"each of the {channels} channels has its own four"),
        ]
    wrong = [Wrong(answer - channels, "forgot the bias", "each filter, unit or map has one bias")]
    if numbers["what"] == "connections":
        wrong.append(
            Wrong(
                numbers["params"],
                "gave the parameters, not the connections",
                "a convolution repeats its weights at every output position: connections = H2*W2*params",
            )
        )
    else:
        wrong.append(
            Wrong(
                answer * numbers["positions"],
                "forgot parameter sharing",
                "a filter's weights serve every output position: do not multiply by W2*H2",
            )
        )
    return wrong


def describe(layer, row) -> str:
    """The layer's own numbers, in the lecture's words."""
    given = fmt_dims(row.input_shape)
    if layer.kind == "conv":
        f, s = layer.kernel[0], layer.stride[0]
        p = lecture_padding(layer)
        pad = f"pad {p}" if p is not None else "'same' padding"
        table = ""
        if layer.table:
            reads = [len(t) for t in CONNECTION_TABLES[layer.table]]
            counts = ", ".join(f"{reads.count(n)} read {n}" for n in sorted(set(reads)))
            table = f"; each filter reads only some input maps, as the paper's Table I says ({counts})"
        return f"a convolution of {layer.units} {f}x{f} filters, stride {s}, {pad}, on a {given} input{table}"
    if layer.kind == "dense":
        return f"a dense (fully connected) layer of {layer.units} units on {row.input_shape[0]:,} inputs"
    if layer.kind == "batchnorm":
        return (
            f"a batch normalisation on a {given} input (a scale, an offset, a moving mean and a moving variance "
            "per channel)"
        )
    if layer.kind == "subsample":
        return (
            f"LeNet's trainable subsampling ({layer.kernel[0]}x{layer.kernel[0]} sums, each map times a trained "
            f"coefficient plus a trained bias) on a {given} input"
        )
    raise AssertionError(f"no question on a {layer.kind} layer")  # asked() keeps only the kinds above


def asked(variant, syllabus: str) -> list[tuple[int, str, int]]:
    """(layer index, what, answer) for every layer of the variant with parameters: its parameters, and in the
    extended syllabus also a convolution's connections as the LeNet-5 paper counts them."""
    found = []
    for index, (layer, row) in enumerate(zip(variant.layers(), variant.analysis().layers)):
        if row.params and layer.kind in ("conv", "dense", "batchnorm", "subsample"):
            found.append((index, "params", row.params))
            if syllabus == "extended" and layer.kind == "conv":
                found.append((index, "connections", row.params * row.output_shape[0] * row.output_shape[1]))
    return found


@question_kind(
    "zoo_layer",
    form=Single(COUNT),
    key=key,
    misconceptions=mistakes,
    points=2,
    tags=("zoo", "parameters", "ilsvrc"),
    extended="batch normalisation, GoogLeNet, ResNet-50, ZFNet, the 1998 LeNet's subsampling and C3 "
    "table, and connections as the LeNet-5 paper counts them",
)
def generate(rng, lv):
    """The parameters or connections of one layer of a famous network, its numbers stated."""
    variant = draw_variant(rng, lv.syllabus)
    index, what, _ = rng.choice(by_level(asked(variant, lv.syllabus), lv.name, lambda q: q[2]))
    layer = variant.layers()[index]
    row = variant.analysis().layers[index]
    noun = (
        "connections (as the LeNet-5 paper counts them: every weight use, biases included)"
        if what == "connections"
        else "parameters" + (" (trainable and non-trainable)" if row.non_trainable_params else "")
    )
    prompt = f"In {variant.title}, layer {row.name} is {describe(layer, row)}. How many {noun} does it have?"
    alone = analyze(
        f"input {fmt_dims(row.input_shape)}, {lecture_text(layer._replace(inputs=()))}", floor=variant.floor
    )  # the layer on its own, worked as the lecture works it
    steps = [s for s in alone.layers[-1].steps if s.startswith(STEPS[what])]
    positions = row.output_shape[0] * row.output_shape[1] if len(row.output_shape) == 3 else 1
    numbers = {
        "index": index,
        "what": what,
        "kind": layer.kind,
        "params": row.params,
        "positions": positions,
        "biases": row.output_shape[-1],
    }
    return Draft(prompt, [variant.spec], steps, numbers=numbers, show_spec=False)
