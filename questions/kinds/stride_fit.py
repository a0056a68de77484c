"""Which strides fit N and F: (N - F + 2P)/S + 1 must be a whole number (7x7 with 3x3: 1 and 2 fit, 3 does not)."""

from .. import misconceptions
from ..core import Draft, question_kind, worked
from ..forms import FitList


def key(oracle, q):
    return [oracle.rows(spec)[-1].fits for spec in q.specs]


def mistakes(q):
    """Each stride's named mistakes: the padding forgotten, or put on one side only, where that turns the verdict."""
    n, f, p = q.numbers["n"], q.numbers["f"], q.numbers["p"]
    return [misconceptions.fit(n, f, s, p) for s in q.numbers["strides"]]


@question_kind("stride_fit", form=FitList(mistakes), key=key, tags=("stride", "output size"))
def generate(rng, lv):
    """Which of several strides fit a filter on an input."""
    while True:
        n, f = rng.choice(lv.sizes), rng.choice([k for k in lv.kernels if k > 1])
        p = rng.choice((0, 0, 1))  # the lecture's 1-pixel border, now and then
        if n + 2 * p > f + 2:
            break
    strides = [1, 2, 3] if lv.strides[-1] <= 3 else [1, 2, 3, 4]
    specs = [f"input {n}x{n}, conv 1 {f}x{f} stride {s} pad {p}" for s in strides]
    pad = f" with zero padding {p}" if p else " without padding"
    prompt = (
        f"A {f}x{f} filter slides over a {n}x{n} input{pad}. For each stride S in "
        f'{", ".join(map(str, strides))}: does it fit? Answer "fits" or "does not fit" for each.'
    )
    solution = [f"S = {s}: {worked(spec)[0]}" for s, spec in zip(strides, specs)]
    return Draft(
        prompt,
        specs,
        solution,
        show_spec=False,
        labels=[f"S = {s}" for s in strides],
        numbers={"n": n, "f": f, "p": p, "strides": strides},
    )
