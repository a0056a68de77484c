"""A small random network: fill in every layer's output shape and parameters (model.summary() with blanks)."""

from ...zoo.engine import analyze
from ...zoo.spec import fmt_dims, layer_text, parse
from .. import misconceptions
from ..core import QUIZ_STEPS, Draft, question_kind
from ..draw import network
from ..forms import Table


def key(oracle, q):
    return [{"output_shape": list(r.output_shape), "params": r.params} for r in oracle.rows(q.specs[0])]


def table_text(layer) -> str:
    """A table's layer with every stride and padding written, defaults too: the table states all it needs."""
    return layer_text(layer, stated=True)


def network_draft(spec: str, prompt: str, given=lambda i, column: False, text=table_text) -> Draft:
    """The table of a network with blanks (None) wherever ``given(row, column)`` is false, each layer written by
    ``text``; shared by the network, total and zoo questions."""
    layers = parse(spec)
    result = analyze(spec, floor=True)  # fits throughout; the same cached analysis the key reads
    rows = [
        [
            text(layer),
            "x".join(map(str, r.output_shape)) if given(i, 1) else None,
            f"{r.params:,}" if given(i, 2) else None,
        ]
        for i, (layer, r) in enumerate(zip(layers[1:], result.layers))
    ]
    solution = [f"{r.name}: {step}" for r in result.layers for step in r.steps if step.startswith(QUIZ_STEPS)]
    solution.append(f"total params = {' + '.join(str(r.params) for r in result.layers)} = {result.total_params:,}")
    # the input's whole volume, depth 1 too: a conv layer's parameters need D1
    table = {
        "title": f"input {fmt_dims(result.input_shape)}",
        "columns": ["Layer", "Output shape", "Param #"],
        "rows": rows,
    }
    return Draft(prompt, [spec], solution, table=table)


def drawn_network(rng, lv) -> str:
    """One of the instructor's networks (--spec) where there are some, else a small random one."""
    return rng.choice(lv.networks) if lv.networks else network(rng, lv)


@question_kind(
    "network_table",
    form=Table(misconceptions.table_rows),
    key=key,
    points=3,
    tags=("network", "output size", "parameters"),
    extended="batch normalisation (with its non-trainable parameters), dropout and global average pooling",
)
def generate(rng, lv):
    """Fill in the output shape and parameters of every layer of a small network."""
    return network_draft(
        drawn_network(rng, lv), "Fill in the output shape and the number of parameters of every layer."
    )
