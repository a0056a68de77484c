"""What a quiz asks (issue 16): the lecture's syllabus by default and the extended one on request, questions that
state what they need and never their answer, variation (no question twice on a sheet, at least 20 distinct
questions per slot over a class), the instructor's own networks (--spec) and `convzoo kinds`."""

from __future__ import annotations

import json
import re

import pytest
from convzoo import cli
from convzoo.questions.core import blanked, kinds, syllabus_kinds
from convzoo.questions.draw import LEVELS
from convzoo.questions.quiz import build_quiz, make_question
from convzoo.questions.syllabus import SHOWN, SYLLABI, taught
from convzoo.zoo.spec import parse

SEEDS = range(12)
BEYOND_THE_LECTURE = re.compile(
    r"batch|normali|non-trainable|subsampl|table I|inception|googlenet|resnet|zfnet|"
    r"\bsame\b|connections",
    re.I,
)


def drawn(syllabus: str) -> list:
    """Every kind of the syllabus at every level over SEEDS (the same slot for all: the numbers differ by seed)."""
    return [
        make_question(kinds()[name], seed, "A", 0, lv, mc=False, syllabus=syllabus)
        for name in syllabus_kinds(syllabus)
        for lv in LEVELS
        for seed in SEEDS
    ]


@pytest.fixture(scope="module")
def lecture():
    return drawn("lecture")


@pytest.fixture(scope="module")
def extended():
    return drawn("extended")


@pytest.fixture
def run(capsys):
    def run_(*argv):
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run_


# --- the syllabus -----------------------------------------------------------------------------------------------


def test_the_default_quiz_stays_inside_the_lecture(lecture):
    assert "avg_pool" not in {q.kind for q in lecture}  # the lecture pools by hand with max only
    for q in lecture:
        for spec in q.specs:
            beyond = [layer for layer in parse(spec) if not taught(layer) and layer.kind not in SHOWN]
            assert not beyond, (q.kind, spec)
        assert not BEYOND_THE_LECTURE.search(q.prompt), q.prompt
    assert build_quiz().versions[0].questions == build_quiz(syllabus="lecture").versions[0].questions


def test_the_extended_syllabus_adds_what_the_lecture_leaves_out(extended):
    assert "avg_pool" in {q.kind for q in extended}
    layer_kinds = {layer.kind for q in extended for spec in q.specs for layer in parse(spec)}
    assert {"batchnorm", "subsample", "concat", "add"} & layer_kinds == {"batchnorm", "subsample", "concat", "add"}
    assert any(BEYOND_THE_LECTURE.search(q.prompt) for q in extended if q.kind == "zoo_layer")


def test_a_kind_beyond_the_lecture_needs_the_extended_syllabus(run):
    status, out, err = run("quiz", "--kinds", "avg_pool")
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and "--syllabus extended" in err
    status, out, _ = run("quiz", "--kinds", "avg_pool", "--syllabus", "extended", "--count", "1")
    assert status == 0 and "Average pooling" in out


# --- what a question states -------------------------------------------------------------------------------------


def _gives_away(text: str, answer: str) -> bool:
    """Whether the answer's text stands in the text as a whole number or volume (not inside 28x28x1 or 2,048)."""
    return re.search(rf"(?<![\dx.,]){re.escape(answer)}(?![\dx\d]|[.,]\d)", text) is not None


@pytest.mark.parametrize("syllabus", SYLLABI)
def test_no_prompt_contains_its_answer(syllabus, lecture, extended):
    for q in lecture if syllabus == "lecture" else extended:
        # what the question is given may equal an answer by the arithmetic (a size kept by padding): not a giveaway
        shown = re.sub(r"(input|Input volume:|to a|on a|to the) \d+x\d+(x\d+)?", "", q.prompt)
        for blank in blanked(q).parts:
            text = blank.answer_text
            # a volume, or a number too big to be a coincidence ("does not fit" is offered in every size prompt)
            if re.fullmatch(r"[\d,]{3,}|\d+(x\d+)+", text):
                assert not _gives_away(shown, text), (q.kind, text, shown)
                assert not _gives_away(shown, text.replace(",", "")), (q.kind, text, shown)


def test_zoo_questions_state_every_number_they_need(lecture, extended):
    for q in lecture + extended:
        if q.kind == "zoo_table":
            assert re.search(r"\d+x\d+x\d+ input", q.prompt), q.prompt  # mnist_cnn's 28x28x1, zfnet's 225x225x3
        elif q.kind == "zoo_layer":
            conv = re.search(
                r"(\d+) (\d+)x\2 filters, stride \d+, (pad \d+|'same' padding), on an? \d+x\d+x\d+ input", q.prompt
            )
            assert conv or re.search(r"units on [\d,]+ inputs|batch normalisation on an?|subsampling", q.prompt), (
                q.prompt
            )
        elif q.kind == "params_share":
            assert re.search(r"has [\d,]+ parameters\. Its dense", q.prompt), q.prompt


def test_alexnet_conv1_is_asked_with_its_filter_stride_and_padding(lecture):
    q = next(
        q
        for seed in range(400)
        for q in [make_question(kinds()["zoo_layer"], seed, "A", 0, "easy", False)]
        if "(alexnet)" in q.prompt and "layer conv1 " in q.prompt
    )
    assert "96 11x11 filters, stride 4, pad 0, on a 227x227x" in q.prompt


def test_an_output_size_solution_names_only_what_the_prompt_gives(lecture):
    for q in lecture:
        if q.kind == "output_size":
            assert not any(re.search(r"\bK\b|params", step) for step in q.solution), q.solution


# --- variation ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["zoo_layer", "params_share", "zoo_table", "stride_fit"])
def test_no_question_repeats_on_a_sheet(kind):
    quiz = build_quiz(kind_names=(kind,), count=10, versions=3)
    for version in quiz.versions:
        assert len({q.content() for q in version.questions}) == 10


@pytest.mark.parametrize("name", syllabus_kinds("lecture"))
def test_a_class_gets_at_least_20_distinct_questions_per_slot(name):
    """60 students' draws of one slot (the benchmark question_variety.py counts 200): 20 distinct at each level."""
    for lv in LEVELS:
        asked = {make_question(kinds()[name], 2022, "A", 0, lv, False, key=f"student{i}").content() for i in range(60)}
        assert len(asked) >= 20, (lv, len(asked))


# --- the instructor's networks ----------------------------------------------------------------------------------

NETWORKS = """# the course's two networks
input 32x32x3
conv 8 3x3 pad 1, relu
maxpool 2
flatten, dense 10 softmax

input 28x28x1, conv 4 5x5, maxpool 2, flatten, dense 10
"""


def test_spec_networks_are_what_the_table_and_total_kinds_ask(run, tmp_path):
    path = tmp_path / "course.spec"
    path.write_text(NETWORKS)
    status, out, err = run(
        "quiz",
        "--spec",
        str(path),
        "--kinds",
        "network_table,total_params",
        "--count",
        "4",
        "--versions",
        "3",
        "--format",
        "json",
    )
    assert status == 0 and err == ""
    asked = {q["spec"] for v in json.loads(out)["versions"] for q in v["questions"]}
    blocks = [block for block in NETWORKS.split("\n\n")]
    assert asked <= {block.strip() for block in blocks} and len(asked) == 2


@pytest.mark.parametrize(
    "text, where",
    [
        ("input 32x32x3, conv 8 3x3\n\ninput 7x7, conv 1 3x3 stride 3\n", "block 2, line 3, col 12"),
        ("input 32x32x3, conv 8 3x3\n\n\n# two\ninput 8x8\nconv 2 3x3 stide 2\n", "block 2, line 6, col 12"),
        ("# nothing but comments\n\n", "no network"),
    ],
)
def test_a_bad_spec_file_is_one_line_naming_the_block_and_line(run, tmp_path, text, where):
    path = tmp_path / "bad.spec"
    path.write_text(text)
    status, out, err = run("quiz", "--spec", str(path), "--format", "html", "--out", str(tmp_path / "exam"))
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and where in err, err
    assert not (tmp_path / "exam").exists()


# --- convzoo kinds ----------------------------------------------------------------------------------------------


def test_kinds_lists_every_kind_with_its_syllabus_description_and_example(run):
    status, out, err = run("kinds", "--json")
    assert status == 0 and err == ""
    listed = json.loads(out)
    assert [k["name"] for k in listed] == sorted(kinds())
    for k in listed:
        assert k["syllabus"] in SYLLABI and k["description"] and k["example"] and k["answer"]
    assert {k["name"] for k in listed if k["syllabus"] == "lecture"} == set(syllabus_kinds("lecture"))
    status, text, _ = run("kinds")
    assert status == 0 and all(f"{k['name']}  [{k['syllabus']}" in text for k in listed)
