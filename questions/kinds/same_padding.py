"""The zero padding P = (F - 1)/2 that preserves the size at stride 1."""

from ..answers import COUNT
from ..core import Draft, Wrong, question_kind, worked
from ..forms import Single


def key(oracle, q):
    row = oracle.rows(q.specs[0])[-1]
    return q.numbers["p"] if row.output_shape[:2] == (q.numbers["n"], q.numbers["n"]) else "size not preserved"


def mistakes(answer, numbers):
    f = numbers["f"]
    return [
        w
        for w in (
            Wrong(
                f - 1, "padded F - 1", f"the padding goes on both sides: 2P = F - 1 = {f - 1}, so P = {(f - 1) // 2}"
            ),
            Wrong(f, "padded by F", "the output keeps N when N + 2P - F + 1 = N, i.e. P = (F - 1)/2"),
            Wrong((f + 1) // 2, "took F/2 rounded up", f"P = (F - 1)/2 = ({f} - 1)/2 = {(f - 1) // 2}"),
            Wrong(0, "no padding", f"without padding a {f}x{f} filter shrinks the input by F - 1 = {f - 1}"),
        )
        if w.value != answer
    ]


@question_kind("same_padding", form=Single(COUNT), key=key, misconceptions=mistakes, tags=("padding",))
def generate(rng, lv):
    """The zero padding that keeps the spatial size at stride 1."""
    f = rng.choice([k for k in lv.kernels + (3, 5, 7) if k % 2 == 1 and k > 1])
    n = max(rng.choice(lv.sizes), f)
    d, k = rng.choice(lv.depths), rng.choice(lv.filters)
    p = (f - 1) // 2
    spec = f"input {n}x{n}x{d}, conv {k} {f}x{f} stride 1 pad {p}"
    prompt = (
        f"A conv layer applies {k} {f}x{f} filters at stride 1 to a {n}x{n}x{d} input. "
        f"How much zero padding P (on each side) keeps the output {n}x{n}?"
    )
    solution = [f"P = (F - 1)/2 = ({f} - 1)/2 = {p}", *worked(spec)[:2]]
    return Draft(prompt, [spec], solution, numbers={"n": n, "f": f, "p": p}, show_spec=False)
