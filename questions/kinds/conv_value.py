"""One output cell of a single-channel convolution, as the lecture's sharpen kernel giving 320."""

from ...zoo.grid import convolve
from ..answers import VALUE
from ..core import Draft, Wrong, question_kind
from ..forms import Single
from ..grids import (
    CONV_HINT,
    FLIPPED,
    TRANSPOSED,
    flipped_value,
    image,
    input_grids,
    kernel,
    kernel_grids,
    output_grid,
    window,
)

SETTINGS = {  # level -> (input sizes, image styles, strides, pads)
    "easy": ((4, 5), ("digits", "binary"), (1,), (0,)),
    "medium": ((5, 6), ("digits", "grey"), (1, 2), (0, 1)),
    "hard": ((6, 7), ("grey", "signed"), (1, 2), (1,)),
}


def key(oracle, q):
    i, j = q.data["cell"]
    return oracle.convolve(q.data)[i][j]


def mistakes(answer, numbers):
    image_, kern, stride, pad, (i, j) = (numbers[k] for k in ("input", "kernel", "stride", "pad", "cell"))
    full = convolve([image_], [kern], stride=stride, pad=pad, floor=True).output
    wrong = [Wrong(flipped_value([image_], [kern], stride, pad, 0, i, j), *FLIPPED)]
    for di, dj, where in (
        (0, 1, "one column to the right"),
        (1, 0, "one row down"),
        (0, -1, "one column left"),
        (-1, 0, "one row up"),
    ):
        if 0 <= i + di < len(full) and 0 <= j + dj < len(full[0]):
            wrong.append(
                Wrong(
                    full[i + di][j + dj],
                    f"placed the window {where}",
                    f"the window of the output cell in row r, column c starts at row (r - 1)*S + 1, "
                    f"column (c - 1)*S + 1 of the padded input, here at row {i * stride + 1}, column "
                    f"{j * stride + 1}",
                )
            )
    transposed = [list(row) for row in zip(*kern)]
    wrong.append(Wrong(convolve([image_], [transposed], stride=stride, pad=pad, floor=True).output[i][j], *TRANSPOSED))
    if pad:
        unpadded = convolve([image_], [kern], stride=stride, pad=0, floor=True).output
        if i < len(unpadded) and j < len(unpadded[0]):
            wrong.append(
                Wrong(unpadded[i][j], "forgot the padding", f"with pad {pad} the window starts on the zero border")
            )
    return wrong


@question_kind(
    "conv_value", form=Single(VALUE), key=key, misconceptions=mistakes, points=2, tags=("convolution", "by hand")
)
def generate(rng, lv):
    """One output value of a convolution, worked by hand."""
    sizes, styles, strides, pads = SETTINGS[lv.name]
    for _ in range(100):
        n, stride, pad = rng.choice(sizes), rng.choice(strides), rng.choice(pads)
        if (n + 2 * pad - 3) % stride == 0:
            break
    family, kern = kernel(rng)
    img = image(rng, n, n, rng.choice(styles))
    result = convolve([img], [kern], stride=stride, pad=pad)
    out_h, out_w = len(result.output), len(result.output[0])
    i, j = rng.randrange(out_h), rng.randrange(out_w)
    padding = f", zero padding {pad}" if pad else ""
    prompt = (
        f"The 3x3 {family} kernel slides over the {n}x{n} image (stride {stride}{padding}), as in Keras "
        f"(no flipping). What is the output value at row {i + 1}, column {j + 1} (counting from 1 at the "
        "top-left)?"
    )
    data = {"input": img, "kernel": kern, "stride": stride, "pad": pad, "bias": 0, "cell": [i, j]}
    grids = (
        input_grids([img], pad, window(i, j, stride, 3))
        + kernel_grids([kern])
        + [output_grid((out_h, out_w), [[i, j]])]
    )
    return Draft(
        prompt,
        [f"input {n}x{n}x1, conv 1 3x3 stride {stride} pad {pad}"],
        result.working(i, j),
        numbers=data,
        data=data,
        grids=grids,
        hint=CONV_HINT,
    )
