"""Parameters of one filter: F*F*D1 + 1 (+1 for the bias)."""

from .. import misconceptions
from ..answers import COUNT
from ..core import Draft, question_kind
from ..draw import conv_words, window
from ..forms import Single


def key(oracle, q):
    return oracle.rows(q.specs[0])[-1].params // q.numbers["k"]


def mistakes(answer, numbers):
    return misconceptions.conv_params(numbers["f"], numbers["d"], numbers["k"], per_filter=True)


@question_kind("params_per_filter", form=Single(COUNT), key=key, misconceptions=mistakes, tags=("parameters",))
def generate(rng, lv):
    """Parameters of each filter of a conv layer."""
    n, f, s, p = window(rng, lv, allow_misfit=False)
    d, k = rng.choice(lv.depths), rng.choice(lv.filters)
    spec = f"input {n}x{n}x{d}, conv {k} {conv_words(f, s, p)}"
    prompt = (
        f"Input volume: {n}x{n}x{d}. {k} {f}x{f} filters with stride {s}, pad {p}. "
        "How many parameters does each filter have?"
    )
    solution = [f"params per filter = F*F*D1 + 1 = {f}*{f}*{d} + 1 = {f * f * d + 1:,} (+1 for the bias)"]
    return Draft(prompt, [spec], solution, numbers={"f": f, "d": d, "k": k})
