"""The whole feature map of a small binary image, as the lecture's two filters on its 6x6 image."""

from ...zoo.grid import convolve
from ..core import Draft, Wrong, question_kind
from ..forms import Map, cell_step
from ..grids import CONV_HINT, FLIPPED, TRANSPOSED, image, input_grids, kernel, kernel_grids, output_grid

FAMILIES = ("diagonal", "vertical line", "horizontal edge", "random")


def key(oracle, q):
    return oracle.convolve(q.data)


def whole_mistakes(question) -> list[Wrong]:
    """Whole maps a named mistake makes: the kernel rotated by 180 degrees, or transposed (as for one cell)."""
    image_, kern, stride = (question.data[k] for k in ("input", "kernel", "stride"))
    return [
        Wrong(convolve([image_], [kern], stride=stride, flip=True).output, *FLIPPED),
        Wrong(convolve([image_], [[list(r) for r in zip(*kern)]], stride=stride).output, *TRANSPOSED),
    ]


@question_kind(
    "feature_map", form=Map(whole_mistakes), key=key, points=4, tags=("convolution", "by hand", "feature map")
)
def generate(rng, lv):
    """The feature map of a binary image under a 3x3 filter, stride 1 or 2."""
    n, stride = {"easy": ((5, 1), (6, 1)), "medium": ((6, 1), (5, 2)), "hard": ((7, 2), (7, 1))}[lv.name][
        rng.randrange(2)
    ]
    family, kern = kernel(rng, FAMILIES)
    img = image(rng, n, n, "binary")
    result = convolve([img], [kern], stride=stride)
    prompt = (
        f"Slide the 3x3 {family} filter over the {n}x{n} binary image with stride {stride} (no padding, no "
        "flipping). Write down the whole feature map."
    )
    solution = [
        f"{cell_step(i, j)}{result.working(i, j)[0]}"
        for i in range(len(result.output))
        for j in range(len(result.output[0]))
    ]
    data = {"input": img, "kernel": kern, "stride": stride, "pad": 0, "bias": 0}
    grids = (
        input_grids([img], 0, [])
        + kernel_grids([kern])
        + [output_grid((len(result.output), len(result.output[0])), None)]
    )
    return Draft(
        prompt,
        [f"input {n}x{n}x1, conv 1 3x3 stride {stride}"],
        solution,
        numbers=data,
        data=data,
        grids=grids,
        hint=CONV_HINT,
    )
