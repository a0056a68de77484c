"""Blanks in a zoo model's table: LeNet-5, the Keras MNIST CNN, the lecture's conv stacks, AlexNet."""

from __future__ import annotations

from ...zoo.spec import fmt_dims
from .. import misconceptions
from ..answers import Table
from ..core import question_kind
from ..syllabus import KEEPS_SHAPE, draw_variant, lecture_text, taught
from .network_table import key, network_draft

BLANK_SHARE = {"easy": 0.3, "medium": 0.5, "hard": 0.8}
MAX_ROWS = 16  # a table a student fills in by hand: LeNet-5 to AlexNet, not ResNet-50's 176 layers


def blanks(rng, layers, share: float, syllabus: str) -> set[tuple[int, int]]:
    """The (row, column) cells left blank: each with the level's chance, but a row that keeps its input's shape
    (dropout, an activation) shares its shape cell's state with the row before it, which would give it away; and
    rows the lecture does not teach are given in full, with the shape they copy."""
    drawn = {(i, c) for i in range(len(layers)) for c in (1, 2) if rng.random() < share}
    start = 0  # the first row of the current run of rows with one shape
    for i, layer in enumerate(layers):
        if not (i and layer.kind in KEEPS_SHAPE):
            start = i
        run = range(start, i + 1)
        if syllabus == "lecture" and not taught(layer):  # a dropout: the lecture's models hold no other
            drawn -= {(i, 2)} | {(j, 1) for j in run}
        elif (start, 1) in drawn:
            drawn |= {(j, 1) for j in run}
        else:
            drawn -= {(j, 1) for j in run}
    return drawn or {(len(layers) - 1, 2)}


@question_kind(
    "zoo_table",
    form=Table(misconceptions.table_rows),
    key=key,
    points=3,
    tags=("zoo", "network", "parameters"),
    extended="the 1998 LeNet (trainable subsampling, C3's table, RBF output) and ZFNet's 'same' pooling",
)
def generate(rng, lv):
    """Fill in the blanks of a zoo model's table."""
    variant = draw_variant(rng, lv.syllabus, keep=lambda v: len(v.layers()) <= MAX_ROWS)
    layers = variant.layers()
    empty = blanks(rng, layers, BLANK_SHARE[lv.name], lv.syllabus)
    given = fmt_dims(variant.analysis().input_shape)
    title = variant.named("input") + ("" if "input" in dict(variant.options) else f", on a {given} input")
    prompt = f"{title[:1].upper()}{title[1:]}: fill in the blank output shapes and parameter counts."
    draft = network_draft(
        variant.spec,
        prompt,
        given=lambda i, c: (i, c) not in empty,
        text=lambda layer: lecture_text(layer, stated=True),
    )
    assert draft.table is not None  # a network draft always has its table
    draft.table["title"] = f"{variant.name}: input {given}"
    return draft
