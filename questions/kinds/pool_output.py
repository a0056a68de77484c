"""Output volume of a pooling layer, (W1 - F)/S + 1 with the depth kept; pooling has no parameters."""

from .. import misconceptions
from ..answers import DOES_NOT_FIT, VOLUME
from ..core import Draft, Wrong, question_kind, worked
from ..draw import window
from ..forms import Single


def key(oracle, q):
    row = oracle.rows(q.specs[0])[-1]
    return list(row.output_shape) if row.fits else DOES_NOT_FIT


def mistakes(answer, numbers):
    n, f, s, d = numbers["n"], numbers["f"], numbers["s"], numbers["d"]
    sizes = misconceptions.output_size(n, f, s, 0)
    wrong = misconceptions.volume(sizes, 0, d, None)
    if answer != DOES_NOT_FIT:
        h = answer[0]
        wrong.append(
            Wrong(
                [h, h, 1],
                "pooled across the depth",
                f"pooling works on each activation map independently: D2 = D1 = {d}",
            )
        )
    return wrong


@question_kind("pool_output", form=Single(VOLUME), key=key, misconceptions=mistakes, tags=("pooling", "output size"))
def generate(rng, lv):
    """Output volume of a max or average pooling layer."""
    n, f, s, _ = window(rng, lv, pooling=True)
    d = rng.choice(lv.depths + (6, 16))
    mode = rng.choice(("max", "average"))
    spec = f"input {n}x{n}x{d}, {'maxpool' if mode == 'max' else 'avgpool'} {f} stride {s}"
    prompt = (
        f"{mode.capitalize()} pooling with {f}x{f} filters and stride {s} is applied to a {n}x{n}x{d} "
        f"feature map. What is the output volume (W2xH2xD2)? If the window does not fit, answer "
        f'"{DOES_NOT_FIT}".'
    )
    solution = worked(spec)
    if not any(step.startswith("params") for step in solution):  # the does-not-fit explanation
        solution.append("A pooling layer has no parameters: it computes a fixed function of its input.")
    return Draft(prompt, [spec], solution, numbers={"n": n, "f": f, "s": s, "d": d})
