"""Output size of a conv or pooling layer from N, F, S, P: (N - F + 2P)/S + 1."""

from .. import misconceptions
from ..answers import DOES_NOT_FIT, SIZE
from ..core import Draft, question_kind, worked
from ..draw import conv_words, window
from ..forms import Single


def key(oracle, q):
    row = oracle.rows(q.specs[0])[-1]
    return row.output_shape[1] if row.fits else DOES_NOT_FIT


def mistakes(answer, numbers):
    return misconceptions.output_size(numbers["n"], numbers["f"], numbers["s"], numbers["p"])


@question_kind("output_size", form=Single(SIZE), key=key, misconceptions=mistakes, tags=("output size",))
def generate(rng, lv):
    """Spatial output size of one conv or pooling layer."""
    pooling = rng.random() < 0.3
    n, f, s, p = window(rng, lv, pooling=pooling)
    d = rng.choice(lv.depths)
    if pooling:
        layer, what = f"maxpool {f} stride {s}", f"{f}x{f} max pooling with stride {s}"
    else:
        layer, what = (
            f"conv {rng.choice(lv.filters)} {conv_words(f, s, p)}",
            f"{f}x{f} filters with stride {s} and zero padding {p}",
        )
    spec = f"input {n}x{n}x{d}, {layer}"
    prompt = (
        f"A {n}x{n}x{d} input goes through {what}. What is the spatial output size W2 (= H2)? "
        f'If the window does not fit, answer "{DOES_NOT_FIT}".'
    )
    sizes = [step for step in worked(spec) if not step.startswith(("D2", "params"))]  # K and D are not asked
    return Draft(prompt, [spec], sizes, numbers={"n": n, "f": f, "s": s, "p": p})
