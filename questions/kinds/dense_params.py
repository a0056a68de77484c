"""Parameters of a dense layer after a flatten: (H*W*D + 1)*N."""

from ...zoo.engine import analyze
from ..answers import COUNT
from ..core import Draft, Wrong, question_kind
from ..forms import Single


def key(oracle, q):
    return oracle.rows(q.specs[0])[-1].params


def mistakes(answer, numbers):
    h, d, n = numbers["h"], numbers["d"], numbers["n"]
    flat = h * h * d
    return [
        Wrong(flat * n, "forgot the bias", f"each of the {n} units has one bias: (N1 + 1)*N"),
        Wrong((h * h + 1) * n, "forgot the depth when flattening", f"flatten gives H*W*D = {h}*{h}*{d} values"),
        Wrong((d + 1) * n, "used only the depth", f"a dense layer after flatten sees all H*W*D = {flat:,} values"),
        Wrong(flat + n, "added instead of multiplied", "every input connects to every unit: (N1 + 1)*N"),
        Wrong(2 * flat * n, "a bias for every weight", "each unit has one bias, not one per input: (N1 + 1)*N"),
        Wrong(
            (flat + 1) * (n + 1),
            "added 1 to N as well",
            f"the +1 is each unit's bias input: (N1 + 1)*N = ({flat:,} + 1)*{n}",
        ),
    ]


@question_kind("dense_params", form=Single(COUNT), key=key, misconceptions=mistakes, tags=("parameters", "dense"))
def generate(rng, lv):
    """Parameters of a dense layer fed by a flattened volume."""
    h = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 12) if lv.sizes[0] < 20 else (4, 5, 6, 7, 8, 12, 14))
    d = rng.choice(lv.depths + (16, 32))
    n = rng.choice((10, 32, 64, 84, 100, 120, 128, 256, 500))
    spec = f"input {h}x{h}x{d}, flatten, dense {n}"
    result = analyze(spec)
    prompt = (
        f"A {h}x{h}x{d} volume is flattened and fed to a dense (fully connected) layer of {n} units. "
        "How many parameters does the dense layer have?"
    )
    flatten, dense = result.layers
    solution = [f"{flatten.name}: {flatten.steps[0]}", *(f"{dense.name}: {step}" for step in dense.steps[:2])]
    return Draft(prompt, [spec], solution, numbers={"h": h, "d": d, "n": n})
