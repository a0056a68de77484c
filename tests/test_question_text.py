"""What every question says, in words: a table states every number a student needs, and prompts read as English."""

from __future__ import annotations

import re

import pytest
from convzoo.questions.core import kinds
from convzoo.questions.quiz import build_quiz


def questions(syllabus: str, seeds=range(12), names=None, mc=False):
    names = names or tuple(n for n, k in kinds().items() if syllabus == "extended" or k.syllabus == "lecture")
    for seed in seeds:
        quiz = build_quiz(seed=seed, count=len(names), versions=3, kind_names=names, syllabus=syllabus, mc=mc)
        yield from (q for v in quiz.versions for q in v.questions)


@pytest.mark.parametrize("syllabus", ["lecture", "extended"])
def test_every_table_row_states_its_stride_and_padding(syllabus):
    """The lecture's formulas need S for a pooling row and S and P for a conv row: no row leans on a default."""
    from convzoo.zoo.spec import parse

    rows = 0
    for q in questions(syllabus, names=("network_table", "zoo_table", "total_params")):
        layers = parse(q.specs[0])[1:]
        for (text, *_), layer in zip(q.table["rows"], layers):
            if layer.kind in ("conv", "maxpool", "avgpool", "subsample"):
                stride = "x".join(map(str, dict.fromkeys(layer.stride)))
                assert re.search(rf"\bstride {stride}\b", text), (q.kind, text)
                rows += 1
            if layer.kind == "conv":
                assert re.search(r"\bpad (\d+|same)\b", text), (q.kind, text)
                if layer.padding == "valid":
                    assert " pad 0" in text
    assert rows > 100


def spoken_with_an(number: str) -> bool:
    """Whether the number, read aloud, starts with a vowel sound: eight, eleven, eighteen, eighty."""
    n = int(number.replace(",", ""))
    while n >= 1000:  # 11,000 is "eleven thousand", 1,100 "one thousand one hundred"
        n //= 1000
    return n in (8, 11, 18) or 80 <= n < 90 or 800 <= n < 900


@pytest.mark.parametrize("syllabus, mc", [("lecture", False), ("extended", True)])
def test_prompts_start_with_a_capital_and_say_a_or_an_as_spoken(syllabus, mc):
    """Prompts, worked solutions and every option's feedback."""
    texts = 0
    for q in questions(syllabus, mc=mc):
        assert q.prompt[:1].isupper(), (q.kind, q.prompt[:60])
        for text in [q.prompt, *q.solution, *(c.feedback for c in q.choices or [])]:
            for article, number in re.findall(r"\b([Aa]n?) ([0-9][0-9,]*)", text):
                assert (article.lower() == "an") == spoken_with_an(number), (q.kind, text)
                texts += 1
    assert texts > 100


@pytest.mark.parametrize(
    "number, an",
    [
        ("8", True),
        ("11", True),
        ("18", True),
        ("80", True),
        ("89", True),
        ("800", True),
        ("8,000", True),
        ("11,000", True),
        ("18,500", True),
        ("1", False),
        ("110", False),
        ("1,100", False),
        ("28", False),
        ("180", False),
        ("16", False),
        ("111", False),
    ],
)
def test_a_or_an_by_the_spoken_number(number, an):
    from convzoo.questions.core import english

    assert english(f"A {number}x{number} filter, a {number} input") == (
        f"A{'n' if an else ''} {number}x{number} filter, a{'n' if an else ''} {number} input"
    )
    assert spoken_with_an(number) == an


def test_a_cell_is_counted_from_1_as_every_sheet_and_report_counts_it():
    """conv_value's '320' cell is named as the student counts it: row 1, column 1 is the top-left output cell;
    the window-placement mistakes name the padded input's cells the same way."""
    seen = 0
    for q in questions("lecture", seeds=range(6), names=("conv_value", "conv_value_rgb")):
        i, j = q.data["cell"]
        assert f"at row {i + 1}, column {j + 1} (counting from 1 at the top-left)?" in q.prompt, q.prompt
        assert not re.search(r"\bfrom 0\b|\(\d+, \d+\)", q.prompt)
        for wrong in kinds()[q.kind].misconceptions(q.answer, q.data):
            assert not re.search(r"\(\d+, \d+\)|\brow 0\b|\bcolumn 0\b", wrong.explanation), wrong
            if wrong.name.startswith("placed the window"):  # the window's first cell, or the cell it is centred on
                stride = q.data["stride"] if q.kind == "conv_value" else 1
                first = (i * stride + 1, j * stride + 1)
                assert f"row {first[0]}, column {first[1]}" in wrong.explanation, wrong
        seen += 1
    assert seen >= 24
