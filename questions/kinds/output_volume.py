"""Output volume W2 x H2 x D2 of a conv layer, as in the lecture's "Examples time"."""

from .. import misconceptions
from ..answers import DOES_NOT_FIT, VOLUME
from ..core import Draft, question_kind, worked
from ..draw import conv_words, window
from ..forms import Single


def key(oracle, q):
    row = oracle.rows(q.specs[0])[-1]
    return list(row.output_shape) if row.fits else DOES_NOT_FIT


def mistakes(answer, numbers):
    sizes = misconceptions.output_size(numbers["n"], numbers["f"], numbers["s"], numbers["p"])
    size = answer[0] if answer != DOES_NOT_FIT else 0
    return misconceptions.volume(sizes, size, numbers["k"], numbers["d"] if numbers["d"] != numbers["k"] else None)


@question_kind("output_volume", form=Single(VOLUME), key=key, misconceptions=mistakes, tags=("output size", "volume"))
def generate(rng, lv):
    """Output volume of a conv layer given the input volume and K filters."""
    n, f, s, p = window(rng, lv)
    d, k = rng.choice(lv.depths), rng.choice(lv.filters)
    spec = f"input {n}x{n}x{d}, conv {k} {conv_words(f, s, p)}"
    prompt = (
        f"Input volume: {n}x{n}x{d}. {k} {f}x{f} filters with stride {s}, pad {p}. "
        f'Output volume size (W2xH2xD2)? If the filters do not fit, answer "{DOES_NOT_FIT}".'
    )
    sizes = [step for step in worked(spec) if not step.startswith("params")]  # the volume, not the parameters
    return Draft(prompt, [spec], sizes, numbers={"n": n, "f": f, "s": s, "p": p, "d": d, "k": k})
