"""Multiple choice that cannot be gamed by size: the wrong options come from the kind's named misconceptions, on
both sides of the answer, and the right option's rank among the options (smallest first) is drawn at random, so
"pick the biggest" wins no more often than chance (``benchmarks/mc_rank.py`` measures it).

Where too few named mistakes fall on the side a rank needs, plain arithmetic slips fill in, labelled as such:
a slip in a leading digit of the answer or of a named wrong answer on that side. No option repeats another,
none equals the answer, and every one is a possible answer of its type: a size at least 1, a percentage from
0 to 100, a count 0 only where a named mistake gives it ("no padding"). The draws come from the question's own
seeded RNG: the same seed gives the same options in the same order.
"""

from __future__ import annotations

import random
import re

from .answers import DOES_NOT_FIT
from .core import Choice, Kind, Wrong
from .forms import Single

MC_WRONG = 4  # wrong options, so 5 options in all
LETTERS = "abcdefgh"  # an option's letter, by its place: printed on the sheets, typed into grade's answers
SLIP = "an arithmetic slip"
SLIP_STEPS = (1, 2, 3, 4, 5, 10, 20)  # slips of 1, 2, ... in the third digit from the left, then in the second


def _order(value) -> tuple:
    """Where an option stands when options are sorted by size: a number by its value, a volume by width, height,
    then depth (as a student reading the options would compare them)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _slips(value, side: int) -> list:
    """Near misses of ``value`` on one side (+1 larger, -1 smaller): a number slipped in a leading digit, a
    volume's width and height slipped together, or its depth."""
    if isinstance(value, (list, tuple)):
        h, w, d = value
        return [[h + side * s, w + side * s, d] for s in SLIP_STEPS[:5]] + [
            [h, w, d + side * s] for s in SLIP_STEPS[:5]
        ]
    unit = 10 ** max(0, len(str(abs(int(value)))) - 3)
    return [value + side * s * unit for s in SLIP_STEPS]


def multiple_choice(rng: random.Random, kind: Kind, answer, numbers: dict, solution: list[str]) -> list[Choice] | None:
    """The options of a multiple-choice question: the right one and MC_WRONG wrong ones, each with its feedback."""
    if kind.misconceptions is None:
        return None
    form = kind.form
    assert isinstance(form, Single), kind.name  # the kinds with named misconceptions answer in one blank
    blank = form.type
    correct_text = form.text(answer)
    # the step that ends in the answer, for the feedback: "Correct: params = (F*F*D1 + 1)*K = ... = 608"
    # (a step may end in a remark in brackets: "... = 14 ('same' padding)"; formulas have brackets of their own)
    ends = (f"= {correct_text}", f"-> {correct_text}")
    key_step = next((step for step in solution if re.sub(r" \([^()]*\)$", "", step).endswith(ends)), None) or "; ".join(
        s for s in solution if not s.startswith(("params", "connections"))
    )  # a volume
    named: dict[str, Wrong] = {}  # by text: one option per value, under the first mistake that gives it
    for w in kind.misconceptions(answer, numbers):
        text = form.text(w.value)
        if text != correct_text and text not in named and blank.possible(w.value):
            named[text] = w
    # "does not fit" is always on offer where it may be the answer, so that its absence never says the window fits
    not_fit = form.may_not_fit and answer != DOES_NOT_FIT
    fits_wrong = named.pop(DOES_NOT_FIT, None) or Wrong(
        DOES_NOT_FIT, "thought the window does not fit", f"it fits: {key_step}"
    )
    # always as many options, so that their count tells nothing (the rank benchmark counts per number of options)
    wanted = MC_WRONG - 1 if not_fit else MC_WRONG

    def slips_of(bases, side: int | None) -> dict[str, Wrong]:
        """Slips of the bases on one side of the answer (None: either), that no option or named mistake gives."""
        found: dict[str, Wrong] = {}
        for base in bases:
            for value in _slips(base, side or 1) + ([] if side else _slips(base, -1)):
                text = form.text(value)
                beside = side is None or (_order(value) > _order(answer)) == (side > 0)
                nothing = value == 0 and blank.least == 0  # a count or a share never slips to none at all
                if beside and blank.possible(value) and not nothing and text != correct_text and text not in named:
                    found.setdefault(text, Wrong(value, SLIP, f"work it through: {key_step}"))
        return found

    if answer == DOES_NOT_FIT:  # no size to rank: the named sizes, then slips of them
        picked = rng.sample(sorted(named), min(wanted, len(named)))
        extra = slips_of([named[t].value for t in sorted(named)], None)
        picked += rng.sample(sorted(extra), min(wanted - len(picked), len(extra)))
        wrong = {**named, **extra}
    else:
        below = sorted(t for t, w in named.items() if _order(w.value) < _order(answer))
        above = sorted(t for t, w in named.items() if _order(w.value) > _order(answer))
        slips = {
            side: slips_of([answer] + [named[t].value for t in named_side], side)
            for side, named_side in ((-1, below), (1, above))
        }
        # how many wrong options are smaller than the answer: any count the two sides have room for, alike
        most = min(wanted, len(below) + len(slips[-1]))
        smaller = rng.randint(min(most, max(0, wanted - len(above) - len(slips[1]))), most)
        picked = []
        for count, named_side, side in ((smaller, below, -1), (wanted - smaller, above, 1)):
            take = rng.sample(named_side, min(count, len(named_side)))
            take += rng.sample(sorted(slips[side]), min(count - len(take), len(slips[side])))
            picked += take
        wrong = {**named, **slips[-1], **slips[1]}
    if not_fit:
        picked.append(DOES_NOT_FIT)
        wrong[DOES_NOT_FIT] = fits_wrong
    options = [Choice(correct_text, True, f"Correct: {key_step}")] + [
        Choice(text, False, f"{_sentence(wrong[text].name)}: {wrong[text].explanation}.", wrong[text])
        for text in picked
    ]
    rng.shuffle(options)
    return options


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
