"""Parameters of a conv layer: (F*F*D1 + 1)*K."""

from ...zoo.engine import analyze
from .. import misconceptions
from ..answers import COUNT
from ..core import Draft, question_kind
from ..draw import conv_words, window
from ..forms import Single


def key(oracle, q):
    return oracle.rows(q.specs[0])[-1].params


def mistakes(answer, numbers):
    return misconceptions.conv_params(numbers["f"], numbers["d"], numbers["k"], positions=numbers["positions"])


@question_kind("layer_params", form=Single(COUNT), key=key, misconceptions=mistakes, tags=("parameters",))
def generate(rng, lv):
    """Parameters of a whole conv layer."""
    n, f, s, p = window(rng, lv, allow_misfit=False)
    d, k = rng.choice(lv.depths), rng.choice(lv.filters)
    spec = f"input {n}x{n}x{d}, conv {k} {conv_words(f, s, p)}"
    layer = analyze(spec).layers[-1]
    prompt = (
        f"Input volume: {n}x{n}x{d}. {k} {f}x{f} filters with stride {s}, pad {p}. Number of parameters in this layer?"
    )
    solution = [
        f"each filter has F*F*D1 + 1 = {f}*{f}*{d} + 1 = {f * f * d + 1:,} parameters (+1 for the bias)",
        next(step for step in layer.steps if step.startswith("params")),
    ]
    h, w, _ = layer.output_shape
    return Draft(prompt, [spec], solution, numbers={"f": f, "d": d, "k": k, "positions": h * w})
