"""One output cell of a three-channel convolution with a bias: 308 - 498 + 164 + 1 = -25."""

from ...zoo.grid import convolve
from ..answers import VALUE
from ..core import Draft, Wrong, question_kind
from ..forms import Single
from ..grids import CONV_HINT, flipped_value, image, input_grids, kernel_grids, output_grid, window


def key(oracle, q):
    i, j = q.data["cell"]
    return oracle.convolve(q.data)[i][j]


def mistakes(answer, numbers):
    channels, kernels, bias, (i, j) = numbers["input"], numbers["kernel"], numbers["bias"], numbers["cell"]
    result = convolve(channels, kernels, stride=1, pad=1, bias=bias)
    full = result.output
    shifted = [
        Wrong(
            full[i + di][j + dj],
            f"placed the window {where}",
            f"the output cell in row {i + 1}, column {j + 1} is centred on the input cell in row {i + 1}, "
            f"column {j + 1}: with pad 1 the window starts one pixel up and left of it",
        )
        for di, dj, where in (
            (0, 1, "one column to the right"),
            (1, 0, "one row down"),
            (0, -1, "one column left"),
            (-1, 0, "one row up"),
        )
        if 0 <= i + di < len(full) and 0 <= j + dj < len(full[0])
    ]
    return shifted + [
        Wrong(answer - bias, "forgot the bias", f"the bias {bias} is added once, after the channel sums"),
        Wrong(answer + 2 * bias, "a bias per input channel", "one filter has one bias, added once"),
        Wrong(answer - 2 * bias, "subtracted the bias", f"the bias {bias} is added to the sum"),
        Wrong(
            result.channel_sum(0, i, j) + bias,
            "used only the first channel",
            "a filter spans the whole input depth: sum the three channel results",
        ),
        Wrong(
            flipped_value(channels, kernels, 1, 1, bias, i, j),
            "flipped the kernel",
            "Keras and the lecture slide the kernel as it is (cross-correlation)",
        ),
    ]


@question_kind(
    "conv_value_rgb",
    form=Single(VALUE),
    key=key,
    misconceptions=mistakes,
    points=3,
    tags=("convolution", "by hand", "rgb"),
)
def generate(rng, lv):
    """One output value of a convolution over red, green and blue channels, with a bias."""
    n = {"easy": 3, "medium": 4, "hard": 5}[lv.name]
    style = "digits" if lv.name == "easy" else "grey"
    channels = [image(rng, n, n, style) for _ in range(3)]
    kernels = [[[rng.choice((-1, 0, 1)) for _ in range(3)] for _ in range(3)] for _ in range(3)]
    bias = rng.choice((1, 1, 0, 2, -1))
    result = convolve(channels, kernels, stride=1, pad=1, bias=bias)
    i, j = (0, 0) if lv.name == "easy" else (rng.randrange(n), rng.randrange(n))
    prompt = (
        f"A 3x3x3 filter (one 3x3 kernel per channel, bias {bias}) slides over a {n}x{n}x3 RGB image, "
        f"stride 1 and zero padding 1. What is the output value at row {i + 1}, column {j + 1} (counting "
        "from 1 at the top-left)?"
    )
    data = {"input": channels, "kernel": kernels, "stride": 1, "pad": 1, "bias": bias, "cell": [i, j]}
    grids = input_grids(channels, 1, window(i, j, 1, 3)) + kernel_grids(kernels) + [output_grid((n, n), [[i, j]])]
    return Draft(
        prompt,
        [f"input {n}x{n}x3, conv 1 3x3 stride 1 pad 1"],
        result.working(i, j),
        numbers=data,
        data=data,
        grids=grids,
        hint=CONV_HINT,
    )
