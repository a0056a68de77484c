"""Average pooling of a feature map: 2x2 windows, so every average is a whole number of quarters."""

from ..core import question_kind
from ..forms import Map
from .max_pool import pooling_draft

SETTINGS = {"easy": ((4, 2, 2),), "medium": ((6, 2, 2),), "hard": ((5, 2, 1), (6, 2, 2))}


def key(oracle, q):
    return oracle.pool({**q.data, "mode": "avg"})[0]


# The lecture works max pooling by hand only (its pooling summary, sizes and no parameters, holds for any pooling)
@question_kind("avg_pool", form=Map(decimals=True), key=key, points=2, tags=("pooling", "by hand"), syllabus="extended")
def generate(rng, lv):
    """The average-pooled map of a small feature map."""
    return pooling_draft(rng, lv, "avg", SETTINGS)
