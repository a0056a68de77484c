"""Where the parameters sit: the share of a network's parameters in its dense layers (AlexNet: 94%).

Any zoo model in the syllabus with dense layers, at any input and class count it is asked about
(questions/syllabus.py). The prompt gives the total and every dense layer (its parameters where the question is
easy, else its inputs and units), so the share is worked from the sheet, not from memory."""

from __future__ import annotations

from ..answers import PERCENT, PERCENT_TOLERANCE
from ..core import Draft, Wrong, question_kind
from ..forms import Single
from ..syllabus import draw_variant


def key(oracle, q):
    rows = oracle.rows(q.specs[0])
    dense = sum(rows[i].params for i in q.numbers["dense"])
    return round(100 * dense / sum(r.params for r in rows))


def mistakes(answer, numbers):
    return [
        Wrong(100 - answer, "gave the convolutions' share", "the question asks for the dense layers' share"),
        Wrong(
            numbers["by_count"],
            "counted layers, not parameters",
            "a dense layer of 4096 units holds far more weights than a 3x3 convolution",
        ),
    ]


def decimals(share: float) -> str:
    """The share with the fewest decimals (one at least) that read as its rounding: 63.49 for 63.4857 (63.5
    would read as 64), 66.55 for 66.5467 (66.5 could read either way)."""
    for places in range(1, 7):
        text = f"{share:.{places}f}"
        if text.split(".")[1] != "5" + "0" * (places - 1) and int(float(text) + 0.5) == round(share):
            return text
    return text


def dense_layers(variant) -> list[int]:
    return [i for i, layer in enumerate(variant.layers()) if layer.kind == "dense"]


@question_kind(
    "params_share",
    form=Single(PERCENT, tolerance=PERCENT_TOLERANCE),
    key=key,
    misconceptions=mistakes,
    points=2,
    tags=("zoo", "parameters", "ilsvrc"),
    extended="ZFNet, GoogLeNet, ResNet-50 and the 1998 LeNet",
)
def generate(rng, lv):
    """The share, in percent, of a famous network's parameters that sit in its dense layers."""
    variant = draw_variant(rng, lv.syllabus, keep=dense_layers)
    result = variant.analysis()
    dense = dense_layers(variant)
    rows = [result.layers[i] for i in dense]
    if lv.name == "easy":  # the counts given: a sum and a division
        listed = "; ".join(f"{r.name}, {r.params:,} parameters" for r in rows)
    else:  # the counts worked out first, (N1 + 1)*N each
        listed = "; ".join(f"{r.name}, {r.output_shape[0]:,} units on {r.input_shape[0]:,} inputs" for r in rows)
    dense_params = sum(r.params for r in rows)
    weighted = [r for r in result.layers if r.params]
    prompt = (
        f"{variant.title} has {result.total_params:,} parameters. Its dense (fully connected) layers are: "
        f"{listed}. What share of the parameters, in percent rounded to a whole number, sits in them?"
    )
    solution = [f"{r.name}: (N1 + 1)*N = ({r.input_shape[0]} + 1)*{r.output_shape[0]} = {r.params:,}" for r in rows]
    share = 100 * dense_params / result.total_params
    solution.append(f"dense share = {dense_params:,} / {result.total_params:,} = {decimals(share)}% -> {round(share)}%")
    numbers = {"dense": dense, "by_count": round(100 * len(rows) / len(weighted))}
    return Draft(
        prompt,
        [variant.spec],
        solution,
        numbers=numbers,
        show_spec=False,
        hint="add up the dense layers' parameters (N1 + 1)*N, divide by all the parameters, times 100",
    )
