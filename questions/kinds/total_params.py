"""Total parameters of a small random network."""

from ...zoo.engine import analyze
from ..answers import COUNT, Single
from ..core import Wrong, question_kind
from .network_table import drawn_network, network_draft


def key(oracle, q):
    return sum(r.params for r in oracle.rows(q.specs[0]))


def mistakes(answer, numbers):
    result = analyze(numbers["spec"])
    layers = result.layers
    biases = sum(r.output_shape[-1] for r in layers if r.type in ("Conv2D", "Dense"))
    pooled = sum(r.output_shape[-1] for r in layers if r.type.endswith("Pooling2D"))
    weighted = sum(1 for r in layers if r.type in ("Conv2D", "Dense"))
    per_channel = sum((r.input_shape[-1] - 1) * r.output_shape[-1] for r in layers if r.type == "Conv2D")
    wrong = [
        Wrong(answer - biases, "forgot the bias", "every filter and every dense unit has a bias"),
        Wrong(
            answer - biases + weighted,
            "one bias for the whole layer",
            "every filter and every dense unit has its own bias: K per conv layer, N per dense layer",
        ),
    ]
    if per_channel:
        wrong.append(
            Wrong(
                answer + per_channel, "a bias per input channel", "a filter has one bias, however deep: (F*F*D1 + 1)*K"
            )
        )
    if pooled:
        wrong.append(
            Wrong(
                answer + pooled,
                "counted pooling parameters",
                "pooling computes a fixed function of its input: 0 parameters",
            )
        )
    unshared = sum(r.params * (r.output_shape[0] * r.output_shape[1] - 1) for r in layers if r.type == "Conv2D")
    if unshared:
        wrong.append(
            Wrong(
                answer + unshared,
                "forgot parameter sharing",
                "a filter's weights are shared by every output position: do not multiply by W2*H2",
            )
        )
    if result.non_trainable_params:
        wrong.append(
            Wrong(
                result.trainable_params,
                "left out the non-trainable parameters",
                "BatchNormalization's moving mean and variance count too (2*C per layer)",
            )
        )
    return wrong


@question_kind(
    "total_params",
    form=Single(COUNT),
    key=key,
    misconceptions=mistakes,
    points=2,
    tags=("network", "parameters"),
    extended="batch normalisation (with its non-trainable parameters), dropout and global average pooling",
)
def generate(rng, lv):
    """Total parameters of a small network."""
    spec = drawn_network(rng, lv)
    both = " (trainable and non-trainable)" if lv.extended or analyze(spec).non_trainable_params else ""
    draft = network_draft(spec, f"How many parameters{both} does this network have?")
    assert draft.table is not None  # a network draft always has its table
    draft.table = {**draft.table, "columns": ["Layer"], "rows": [[row[0]] for row in draft.table["rows"]]}
    draft.numbers = {"spec": spec}
    return draft
