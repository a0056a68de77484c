"""How typed text is read: the rules every blank type reads answers by (questions/answers.py), as people type
them on paper, keyboards and phones.

These rules are written twice: here, and in JavaScript for the self-test page (templates/answers.js.j2:
``clean``, ``readNumber``, ``readDims``, ``readAs``; the word lists below reach it generated). One corpus holds
the two to the same verdicts: tests/test_answers.py grades every typed answer of tests/answer_corpus.tsv with
this module and with the page's script in headless Chromium. Change a rule in both places and add its cases to
the corpus (tests/make_answer_corpus.py).
"""

from __future__ import annotations

import re

# What phones and other keyboards put in the place of plain characters
_PLAIN = str.maketrans(
    {
        "×": "x",
        "✕": "x",
        "∗": "*",
        "’": "'",
        "‘": "'",
        "`": "'",
        "−": "-",
        "–": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "％": "%",
        "٫": ".",
        "٬": ",",
        **{chr(0x660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x6F0 + d): str(d) for d in range(10)},
    }
)  # Eastern Arabic-Indic digits
NOT_FIT = frozenset(
    {
        "does not fit",
        "doesnt fit",
        "doesn't fit",
        "it does not fit",
        "it doesn't fit",
        "not fit",
        "no fit",
        "dnf",
        "won't fit",
        "wont fit",
        "does not",
        "doesn't",
        "not fitting",
    }
)
FITS = frozenset({"fits", "fit", "it fits", "yes", "y", "true"})
NO = frozenset({"no", "n", "false"})


def clean(text: str) -> str:
    """Lower case, plain characters, single spaces, no full stop or exclamation mark at the end."""
    text = " ".join(str(text).translate(_PLAIN).lower().split())
    return text.rstrip(".!").strip()


def _whole(digits: str) -> int | float:
    """A run of digits as a number. A very long one (a pasted page of 9s: Python converts no more than 4,300
    digits to an int, and a quotient of two long ints overflows a float) is read as the self-test page's
    Number() reads it, as a float: infinity past about 309 digits, an answer that is simply wrong."""
    return int(digits) if len(digits) <= 300 else float(digits)


def read_number(text: str) -> int | float | None:
    """A number as people type it, or None: 416, -3, 2.75, .25, 1,199,882 or 1 199 882 (thousands), 2,75
    (a decimal comma), 1e3, 11/4. A whole value comes back as an int (-0 is 0)."""
    t = clean(text)
    fraction = re.fullmatch(r"([-+]?[0-9]+) ?/ ?([0-9]+)", t)
    if fraction:
        numerator, denominator = fraction.group(1), fraction.group(2)
        if _whole(denominator) == 0:
            return None
        sign = -1 if numerator[0] == "-" else 1
        value = sign * _whole(numerator.lstrip("+-")) / _whole(denominator)
    else:
        if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", t):
            t = t.replace(",", "")
        elif re.fullmatch(r"[-+]?[0-9]{1,3}( [0-9]{3})+(\.[0-9]+)?", t):
            t = t.replace(" ", "")
        elif re.fullmatch(r"[-+]?[0-9]*,[0-9]+", t):
            t = t.replace(",", ".")
        if not re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?", t):
            return None
        value = float(t)
    return int(value) if value.is_integer() else value


def read_dims(text: str) -> tuple[int | float, ...] | None:
    """32x32x10, 32 x 32 x 10, (32, 32, 10), [32,32,10], 32*32*10 -> (32, 32, 10)."""
    t = clean(text)
    if t[:1] in "([" and t[-1:] in ")]":
        t = t[1:-1]
    pieces = [p for p in re.split(r"\s*[x*,]\s*|\s+", t.strip()) if p]
    if not pieces or not all(re.fullmatch("[0-9]+", p) for p in pieces):
        return None
    return tuple(_whole(p) for p in pieces)
