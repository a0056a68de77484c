"""Max pooling of a feature map, 2x2 at stride 2 as in the lecture (and 3x3 or overlapping windows)."""

from ...zoo.grid import pool
from ..core import Draft, question_kind
from ..forms import Map, cell_step
from ..grids import POOL_HINT, image, input_grids, output_grid

SETTINGS = {"easy": ((4, 2, 2),), "medium": ((6, 2, 2), (6, 3, 3)), "hard": ((5, 2, 1), (7, 3, 2))}


def pooling_draft(rng, lv, mode: str, settings) -> Draft:
    """A pooling question (shared with avg_pool): draw the map and the window, work every output cell."""
    n, size, stride = rng.choice(settings[lv.name])
    fmap = image(rng, n, n, "signed")
    result = pool([fmap], size=size, stride=stride, mode=mode)
    name = "Max" if mode == "max" else "Average"
    prompt = (
        f"{name} pooling with {size}x{size} windows and stride {stride} is applied to the {n}x{n} feature "
        "map. Write down the pooled map."
    )
    out = result.output[0]
    solution = [f"{cell_step(i, j)}{result.working(0, i, j)}" for i in range(len(out)) for j in range(len(out[0]))]
    solution.append("Pooling has no parameters: it computes a fixed function of each window.")
    data = {"input": fmap, "size": size, "stride": stride}
    pool_word = "maxpool" if mode == "max" else "avgpool"
    return Draft(
        prompt,
        [f"input {n}x{n}x1, {pool_word} {size} stride {stride}"],
        solution,
        numbers=data,
        data=data,
        grids=input_grids([fmap], 0, [], "feature map") + [output_grid((len(out), len(out[0])), None)],
        hint=POOL_HINT,
    )


def key(oracle, q):
    return oracle.pool({**q.data, "mode": "max"})[0]


@question_kind("max_pool", form=Map(), key=key, points=2, tags=("pooling", "by hand"))
def generate(rng, lv):
    """The max-pooled map of a small feature map."""
    return pooling_draft(rng, lv, "max", SETTINGS)
