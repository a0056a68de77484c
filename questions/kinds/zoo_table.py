"""Blanks in a zoo model's table: LeNet-5, the Keras MNIST CNN, the lecture's conv stacks."""

from convzoo.questions import misconceptions
from convzoo.questions.answers import Table
from convzoo.questions.core import question_kind
from convzoo.questions.kinds.network_table import key, network_draft
from convzoo.zoo.registry import get, list_models

BLANK_SHARE = {"easy": 0.3, "medium": 0.5, "hard": 0.8}
MAX_ROWS = 16  # a table a student fills in by hand: LeNet-5 to AlexNet, not ResNet-50's 176 layers


def table_models() -> list[str]:
    return [name for name in list_models() if len(get(name).layers()) - 1 <= MAX_ROWS]


@question_kind("zoo_table", form=Table(misconceptions.table_rows),
               key=key, points=3, tags=("zoo", "network", "parameters"))
def generate(rng, lv):
    """Fill in the blanks of a zoo model's table."""
    name = rng.choice(table_models())
    entry = get(name)
    share = BLANK_SHARE[lv.name]
    count = len(entry.layers()) - 1
    blanks = {(i, c) for i in range(count) for c in (1, 2) if rng.random() < share} or {(count - 1, 2)}
    # the description up to its colon: after it, some give the very shapes and counts asked (conv_stack's)
    prompt = (f"The zoo's {name}, {entry.description.split(':')[0]}. Fill in the blank output shapes and parameter "
              "counts.")
    draft = network_draft(entry.spec(), prompt, given=lambda i, c: (i, c) not in blanks)
    draft.table["title"] = f"{name}: {draft.table['title']}"  # the model and its input volume, e.g. input 32x32x1
    return draft
