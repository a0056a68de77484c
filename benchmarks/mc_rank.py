"""Can multiple choice be gamed by size? The rank of the right option among a question's options, smallest first,
over many questions of every kind that has multiple choice (issue 16: no rank above 40% with 4+ options).

Options are ordered by what they say: a number by its value, a volume W2xH2xD2 by its width, then height, then
depth (as a student who games it would read it); "does not fit" has no size and stands aside (a question whose
answer it is has no rank). Questions are drawn as `convzoo quiz --mc` draws them, seed by seed, the three levels
in turn.

Run: python benchmarks/mc_rank.py [--count 10000] [--kinds dense_params,same_padding]
Prints, per kind and number of ranked options, the share of questions whose right option has each rank, and the
largest share; a line ends in "OVER 40%" where a rank of a kind with 4+ ranked options exceeds it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

from convzoo.questions.answers import DOES_NOT_FIT
from convzoo.questions.core import kinds
from convzoo.questions.quiz import make_question
from convzoo.questions.reading import read_dims, read_number

LEVELS = ("easy", "medium", "hard")
LIMIT = 0.40


def size(text: str) -> tuple | None:
    """An option's size, read from its text: (a number's value,), a volume's (W2, H2, D2); None for
    "does not fit"."""
    if text == DOES_NOT_FIT:
        return None
    number = read_number(text.rstrip("%"))
    if number is not None:
        return (number,)
    dims = read_dims(text)
    if dims is None:
        raise ValueError(f"an option that is neither a number nor a volume: {text!r}")
    return dims


def rank(question) -> tuple[int, int] | None:
    """(the right option's rank from 0 = smallest, how many options are ranked); None where the answer is
    "does not fit"."""
    sized = [(size(c.text), c.correct) for c in question.choices]
    right = next(s for s, correct in sized if correct)
    if right is None:
        return None
    values = sorted(s for s, _ in sized if s is not None)
    if len(set(values)) != len(values):
        raise ValueError(f"two options of the same size: {[c.text for c in question.choices]}")
    return values.index(right), len(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="questions per kind (default 10,000)")
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: every kind with --mc)")
    args = parser.parse_args()
    registry = kinds()
    names = [n for n in (args.kinds.split(",") if args.kinds else registry) if registry[n].misconceptions]
    over = False
    print(f"rank of the right option, smallest first ({args.count:,} questions per kind)")
    for name in names:
        kind = registry[name]
        tally: dict[int, Counter] = defaultdict(Counter)
        unranked = 0
        for seed in range(args.count):
            found = rank(make_question(kind, seed, "A", 0, LEVELS[seed % 3], mc=True))
            if found is None:
                unranked += 1
            else:
                tally[found[1]][found[0]] += 1
        for options, ranks in sorted(tally.items()):
            total = sum(ranks.values())
            shares = [ranks[r] / total for r in range(options)]
            flag = "  OVER 40%" if options >= 4 and max(shares) > LIMIT else ""
            over = over or bool(flag)
            print(
                f"{name:<18} {options} ranked  n={total:>6,}  "
                + " ".join(f"{100 * s:5.1f}%" for s in shares)
                + f"   max {100 * max(shares):5.1f}%{flag}"
            )
        if unranked:
            print(f"{name:<18} answer 'does not fit' (no rank): n={unranked:,}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
