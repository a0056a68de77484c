"""The quiz generator (issue 3): every key equals Keras, answers keep the JSON contract, multiple choice comes from
named misconceptions, the same seed gives the same bytes in any process, every format renders and escapes a
hostile title, and the CLI refuses bad input on one line without writing anything."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from convzoo import cli
from convzoo.questions.answers import DOES_NOT_FIT
from convzoo.questions.core import EngineOracle, kinds
from convzoo.questions.draw import LEVELS
from convzoo.questions.forms import Single
from convzoo.questions.kinds.network_table import network_draft
from convzoo.questions.quiz import build_quiz, make_question
from convzoo.questions.syllabus import SYLLABI
from convzoo.templates import tex_escape
from convzoo.zoo import registry
from convzoo.zoo.grid import channels as grid_channels

ROOT = Path(__file__).resolve().parents[1]
KINDS = sorted(kinds())
SEEDS = range(20)  # per kind and level: 660 questions, a few seconds of Keras builds
# open only: the kinds that declare no misconceptions, or more than one blank (tables, maps); as each kind declares it,
# so that a new kind is one module
NO_MC = {name for name, kind in kinds().items() if kind.misconceptions is None or not isinstance(kind.form, Single)}
assert {"network_table", "zoo_table", "feature_map", "max_pool", "avg_pool"} <= NO_MC  # the lecture's open kinds
SIZE_KINDS = ("output_size", "output_volume", "pool_output")  # where a drawn window may not fit
HOSTILE = r"<script>alert(1)</script> & 100% {x} \ ~ # $ _ ^"
ALL_KINDS_ONCE = ["--count", str(len(KINDS)), "--versions", "3", "--mc", "--syllabus", "extended"]  # every kind
needs_lualatex = pytest.mark.skipif(shutil.which("lualatex") is None, reason="LuaLaTeX is not installed")

# The lecture's "Examples time": 32x32x3 input, ten 5x5 filters, stride 1, pad 2 -> 32x32x10, 760 parameters.
LECTURE = "input 32x32x3, conv 10 5x5 stride 1 pad 2"

_questions: dict[str, list] = {}


def questions_of(name: str) -> list:
    """A kind's questions over every level and seed, with multiple choice, half of them in the lecture's syllabus
    and half in the extended one (built once, shared by the tests)."""
    if name not in _questions:
        kind = kinds()[name]
        _questions[name] = [
            make_question(
                kind,
                seed,
                "A",
                KINDS.index(name),
                lv,
                mc=True,
                syllabus=SYLLABI[seed % 2] if kind.syllabus == "lecture" else "extended",
            )
            for lv in LEVELS
            for seed in SEEDS
        ]  # its own slot: other kinds draw other numbers
    return _questions[name]


@pytest.fixture
def run(capsys):
    """run(*argv) -> (status, stdout, stderr), in-process through cli.main."""

    def run_(*argv):
        status = cli.main(["quiz", *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run_


def subprocess_quiz(*argv, hashseed: int = 1) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": str(hashseed)}
    return subprocess.run(
        [sys.executable, "-m", "convzoo", "quiz", *argv], cwd=ROOT, env=env, capture_output=True, check=True
    )


# --- 1. every key equals what Keras computes -------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras_oracle():
    from convzoo.zoo.keras.build import KerasOracle

    return KerasOracle()  # caches Keras' rows by spec across the kinds


@pytest.mark.parametrize("name", KINDS)
def test_every_kinds_answer_key_equals_keras(name, keras_oracle):
    from convzoo.zoo.keras.build import keras

    kind = kinds()[name]
    for q in questions_of(name):
        assert kind.key(keras_oracle, q) == q.answer, (q.difficulty, q.specs, q.data)
    keras.backend.clear_session(free_memory=False)  # names and graph reset; a full garbage collection is slow


# --- 2. answers have the contract's types ----------------------------------------------------------------------


def _is_int(value) -> bool:
    return type(value) is int and value >= 0


def _is_volume(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(_is_int(v) and v > 0 for v in value)


@pytest.mark.parametrize("name", KINDS)
def test_answers_have_the_contracts_types(name):
    for q in questions_of(name):
        a = q.answer
        if name == "output_size":
            assert a == DOES_NOT_FIT or (_is_int(a) and a > 0)
        elif name in ("output_volume", "pool_output"):
            assert a == DOES_NOT_FIT or _is_volume(a)
        elif name in ("network_table", "zoo_table"):  # one row per layer after the input
            assert isinstance(a, list) and len(a) == len(q.table["rows"]) == len(EngineOracle.rows(q.specs[0]))
            for row in a:
                assert set(row) == {"output_shape", "params"} and _is_int(row["params"])
                assert isinstance(row["output_shape"], list) and all(_is_int(d) for d in row["output_shape"])
        elif name == "stride_fit":
            assert isinstance(a, list) and len(a) == len(q.specs) and all(type(b) is bool for b in a)
        elif name in ("feature_map", "max_pool", "avg_pool"):  # a map: a list of rows
            h, w, _ = EngineOracle.rows(q.specs[0])[-1].output_shape
            assert len(a) == h and all(len(row) == w for row in a)
            assert all(type(v) is int or (name == "avg_pool" and float(4 * v).is_integer()) for row in a for v in row)
        elif name in ("conv_value", "conv_value_rgb"):  # one output cell: any whole number, negative too
            assert type(a) is int
        else:  # same_padding, params_per_filter, layer_params, dense_params, total_params
            assert _is_int(a)
        json.dumps(a)  # it goes into the JSON as it is


@pytest.mark.parametrize("name", SIZE_KINDS)
def test_a_controlled_share_of_drawn_windows_does_not_fit(name):
    answers = [q.answer for q in questions_of(name)]
    share = answers.count(DOES_NOT_FIT) / len(answers)
    assert 0.05 <= share <= 0.40, share
    misfit = next(q for q in questions_of(name) if q.answer == DOES_NOT_FIT)
    assert misfit.answer_text == DOES_NOT_FIT and "not" in " ".join(misfit.solution)  # the lecture's explanation


# --- 3. the lecture's own numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, specs, numbers, expected",
    [
        # "7x7 input, 3x3 filter: stride 1 -> 5x5, stride 2 -> 3x3, stride 3? doesn't fit!"
        ("stride_fit", [f"input 7x7, conv 1 3x3 stride {s} pad 0" for s in (1, 2, 3)], {}, [True, True, False]),
        ("output_size", ["input 7x7, conv 1 3x3 stride 3 pad 0"], {}, DOES_NOT_FIT),
        ("output_volume", [LECTURE], {}, [32, 32, 10]),
        ("params_per_filter", [LECTURE], {"k": 10}, 76),  # 5*5*3 + 1
        ("layer_params", [LECTURE], {}, 760),
        ("pool_output", ["input 224x224x64, maxpool 2 stride 2"], {}, [112, 112, 64]),
    ],
)
def test_keys_give_the_lectures_answers(name, specs, numbers, expected):
    question = SimpleNamespace(specs=specs, numbers=numbers, data=None)
    assert kinds()[name].key(EngineOracle, question) == expected


def test_lenet5_network_table_totals_61706_parameters():
    draft = network_draft(registry.get("lenet5").spec(), "Fill in LeNet-5.")
    answer = kinds()["network_table"].key(EngineOracle, draft)
    assert len(answer) == len(draft.table["rows"])
    assert sum(row["params"] for row in answer) == 61706
    assert draft.solution[-1].endswith("= 61,706")


# --- 4. multiple choice from named misconceptions --------------------------------------------------------------


@pytest.mark.parametrize("name", KINDS)
def test_multiple_choice_has_one_correct_option_and_named_mistakes(name):
    for q in questions_of(name):
        if name in NO_MC:
            assert q.choices is None
            continue
        texts = [c.text for c in q.choices]
        assert len(set(texts)) == len(texts), texts
        assert [c.text for c in q.choices if c.correct] == [q.answer_text]
        for c in q.choices:
            if not c.correct:
                mistake, _, explanation = c.feedback.partition(": ")
                assert mistake and explanation and not c.feedback.startswith("Correct"), c.feedback


@pytest.mark.parametrize("name", [n for n in KINDS if n not in NO_MC])
def test_multiple_choice_has_four_or_five_options(name):
    for q in questions_of(name):
        assert 4 <= len(q.choices) <= 5, (q.specs, [c.text for c in q.choices])


@pytest.mark.parametrize(
    "name, seed, spec",
    [
        ("output_size", 131, "input 6x6x3, conv 10 5x5 stride 2 pad 0"),  # (6 - 5)/2 + 1: does not fit
        ("output_volume", 83, "input 5x5x3, conv 8 5x5 stride 2 pad 0"),  # 1x1x8
        ("pool_output", 38, "input 7x7x1, avgpool 2 stride 1"),  # 6x6x1
    ],
)
def test_small_windows_still_get_four_options(name, seed, spec):
    q = make_question(kinds()[name], seed, "A", 0, "easy", mc=True)
    assert q.specs == [spec]
    assert len(q.choices) >= 4, [c.text for c in q.choices]


# --- 5. seeds and versions -------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes_whatever_the_hash_seed(tmp_path):
    argv = ["--seed", "7", "--versions", "3", "--mc"]
    first = subprocess_quiz(*argv, "--format", "json", hashseed=1).stdout
    assert subprocess_quiz(*argv, "--format", "json", hashseed=999).stdout == first
    assert subprocess_quiz("--seed", "8", *argv[2:], "--format", "json").stdout != first

    def html(seed: str, hashseed: int, out: Path) -> dict[str, bytes]:
        subprocess_quiz("--seed", seed, *argv[2:], "--format", "html", "--out", str(out), hashseed=hashseed)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    files = html("7", 1, tmp_path / "a")
    assert set(files) == {
        "sheets.html",
        "keys.html",
        "marking-key.html",
        "quiz.json",
        "answers-template.csv",
        "answers-by-sheet.csv",
    }  # the last three: grade's
    assert html("7", 999, tmp_path / "b") == files
    other = html("8", 1, tmp_path / "c")
    assert all(other[n] != files[n] for n in files)


def test_the_parallel_build_and_rendering_equal_the_sequential_ones(monkeypatch):
    from convzoo.questions import parallel as parallel_module
    from convzoo.questions.formats import get

    assert parallel_module.pool_size(120) > 1 or os.cpu_count() == 1  # versions=120 does use the pool
    parallel = build_quiz(seed=3, versions=120, mc=True)  # drawn in the workers
    pages = get("html").documents(parallel)  # rendered in the workers
    monkeypatch.setattr(parallel_module, "PARALLEL_FROM", 10**9)
    assert parallel_module.pool_size(120) == 1
    sequential = build_quiz(seed=3, versions=120, mc=True)
    assert sequential == parallel
    assert get("html").documents(sequential) == pages


def test_versions_differ_in_numbers_and_order_but_keep_each_slots_kind_and_level():
    quiz = build_quiz(seed=11, count=len(KINDS), versions=3, syllabus="extended")
    assert [v.version for v in quiz.versions] == ["A", "B", "C"]
    plans, orders, prompts = [], [], []
    for v in quiz.versions:
        by_slot = sorted(v.questions, key=lambda q: q.slot)
        plans.append([(q.kind, q.difficulty) for q in by_slot])
        orders.append([q.slot for q in v.questions])
        prompts.append([q.prompt for q in by_slot])
    assert plans[0] == plans[1] == plans[2]
    assert sorted(k for k, _ in plans[0]) == KINDS
    assert len({tuple(o) for o in orders}) == 3
    for a, b in ((0, 1), (0, 2), (1, 2)):
        assert sum(x != y for x, y in zip(prompts[a], prompts[b])) > len(KINDS) // 2


# --- 6. the JSON contract --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mc", [True, False])
def test_json_keeps_the_contract(run, mc):
    status, out, err = run(
        "--count", str(len(KINDS)), "--versions", "2", "--format", "json", "--syllabus", "extended", *(["--mc"] * mc)
    )
    assert status == 0 and err == ""
    doc = json.loads(out)
    assert set(doc) == {"record", "title", "seed", "syllabus", "mistakes", "versions", "digest"}
    assert doc["record"] == 1 and doc["title"] == "CNN quiz" and doc["syllabus"] == "extended"
    assert all(len(m) == 2 and all(isinstance(t, str) for t in m) for m in doc["mistakes"])
    assert [v["version"] for v in doc["versions"]] == ["A", "B"]
    for v in doc["versions"]:
        assert set(v) == {"version", "seed", "questions"} and type(v["seed"]) is int
        for q in v["questions"]:
            assert {"id", "kind", "prompt", "answer", "answer_text", "solution", "spec", "points", "difficulty"} <= set(
                q
            )
            assert q["id"].startswith(v["version"]) and q["kind"] in KINDS and q["difficulty"] in LEVELS
            assert isinstance(q["solution"], list) and q["solution"] and all(isinstance(s, str) for s in q["solution"])
            assert q["spec"] is None or isinstance(q["spec"], str)
            assert type(q["points"]) is int and q["points"] >= 1
            assert type(q.get("redraw", 1)) is int and q.get("redraw", 1) >= 1  # where the slot was drawn again
            assert ("choices" in q) == (mc and q["kind"] not in NO_MC)
            for c in q.get("choices", []):
                assert set(c) == {"text", "correct", "feedback"}
            for b in q["blanks"]:  # what grade marks with (questions/record.py)
                assert {"label", "type", "key"} <= set(b) <= {"label", "type", "key", "tolerance", "mistakes", "cell"}
                assert b["type"] in ("size", "volume", "count", "percent", "value", "fit")
                assert all(0 <= place < len(doc["mistakes"]) for _, place in b.get("mistakes", []))


# --- 7. every format renders and parses ------------------------------------------------------------------------


class Page(HTMLParser):
    """Checks the nesting of the tags a quiz uses and collects what the tests look at."""

    PAIRED = {"table", "tr", "td", "th", "ol", "li", "section", "div", "p", "pre", "h1", "h2", "title", "style"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags = [], [], []
        self.text: dict[str, list[str]] = {"title": [], "h1": [], "style": []}
        self.feed(text)
        self.close()
        assert self.problems == [] and self.stack == [], (self.problems, self.stack)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.PAIRED:
            self.stack.append(tag)
            if tag in self.text:
                self.text[tag].append("")

    def handle_endtag(self, tag):
        if tag in self.PAIRED:
            if not self.stack or self.stack[-1] != tag:
                self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            else:
                self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] in self.text:
            self.text[self.stack[-1]][-1] += data

    def count(self, tag, cls=None) -> int:
        return sum(t == tag and (cls is None or attrs.get("class") == cls) for t, attrs in self.tags)


def write_quiz(run, out: Path, fmt: str, *argv) -> dict[str, str]:
    """The text files a quiz writes (tex also writes the PDFs LuaLaTeX made of them: checked, not returned)."""
    status, stdout, err = run(*ALL_KINDS_ONCE, "--format", fmt, "--out", str(out), *argv)
    assert status == 0 and err == "", err
    if fmt == "tex":
        assert all((out / name).read_bytes().startswith(b"%PDF") for name in ("sheets.pdf", "keys.pdf"))
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".pdf"}


def _grid_count(data: dict) -> int:
    """By-hand questions draw one grid per input channel and per kernel channel, and one for the output."""
    kernel = grid_channels(data["kernel"]) if "kernel" in data else []
    return len(grid_channels(data["input"])) + len(kernel) + 1


def test_html_sheets_and_keys_parse_and_print(run, tmp_path):
    files = write_quiz(run, tmp_path, "html")
    status, out, _ = run(*ALL_KINDS_ONCE, "--format", "json")
    questions = [q for v in json.loads(out)["versions"] for q in v["questions"]]
    tables = sum("table" in q for q in questions)
    grids = sum(_grid_count(q["data"]) for q in questions if "data" in q)
    for name, key in (("sheets.html", False), ("keys.html", True)):
        page = Page(files[name])
        assert page.count("section", "version") == 3
        assert page.count("div", "who") == (0 if key else 3)  # the Name/ID box, on sheets only
        # network_table, total_params, zoo_table; the front page's facts and points tables
        assert page.count("table") - page.count("table", "grid") == tables + (0 if key else 3 * 3)
        assert page.count("table", "grid") == grids
        assert page.count("ol", "choices") == 3 * (len(KINDS) - len(NO_MC))
        assert page.count("td", "filled" if key else "blank") > 0
        css = "".join(page.text["style"])
        assert "@page" in css and "break-after: page" in css


def test_markdown_has_one_heading_per_version(run, tmp_path):
    files = write_quiz(run, tmp_path, "md")
    for name in ("sheets.md", "keys.md"):
        assert [line for line in files[name].splitlines() if line.startswith("## ")] == [
            "## Version A",
            "## Version B",
            "## Version C",
        ]
    assert "**Answer:**" in files["keys.md"] and "**Answer:**" not in files["sheets.md"]


# --- 8. a hostile title comes out escaped and intact -----------------------------------------------------------


def test_hostile_title_in_html(run, tmp_path):
    files = write_quiz(run, tmp_path, "html", "--title", HOSTILE)
    for name, suffix in (("sheets.html", ""), ("keys.html", " - answer key")):
        assert "<script" not in files[name].lower()
        page = Page(files[name])
        assert page.text["title"] == [HOSTILE + suffix]
        assert page.text["h1"] == [HOSTILE + suffix] * 3


def test_hostile_title_in_json_and_markdown(run):
    status, out, _ = run("--format", "json", "--title", HOSTILE)
    assert status == 0 and json.loads(out)["title"] == HOSTILE
    status, out, _ = run("--format", "md", "--title", HOSTILE)
    assert status == 0 and "&lt;script&gt;" in out and "<script" not in out


@needs_lualatex
def test_hostile_title_in_tex_is_typeset(run, tmp_path):
    files = write_quiz(run, tmp_path, "tex", "--title", HOSTILE)  # every kind, in sheets and keys, typeset
    for name in ("sheets.tex", "keys.tex"):
        assert tex_escape(HOSTILE) in files[name]


# --- 9. the command line ---------------------------------------------------------------------------------------


def test_md_and_json_go_to_stdout_without_out(run):
    status, out, err = run("--count", "3")
    assert status == 0 and err == ""
    assert out.startswith("# CNN quiz\n")
    assert out.index("Name:") < out.index("# CNN quiz - answer key") < out.index("**Answer:**")
    status, out, err = run("--count", "3", "--format", "json")
    assert status == 0 and len(json.loads(out)["versions"][0]["questions"]) == 3


def test_out_writes_lists_and_never_overwrites_without_force(run, tmp_path):
    out = tmp_path / "exam"
    status, stdout, err = run("--format", "html", "--out", str(out))
    assert status == 0 and err == ""
    assert stdout.splitlines() == [
        f"wrote {out}/sheets.html",
        f"wrote {out}/keys.html",
        f"wrote {out}/marking-key.html",
    ]
    umask = os.umask(0)
    os.umask(umask)
    before = {}
    for name in ("sheets.html", "keys.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~umask  # not the temporary file's 0600
        before[name] = (out / name).read_bytes()

    status, stdout, err = run("--format", "html", "--out", str(out), "--seed", "5")
    assert status == 2 and stdout == "" and len(err.splitlines()) == 1 and "--force" in err
    assert {name: (out / name).read_bytes() for name in before} == before

    status, stdout, err = run("--format", "html", "--out", str(out), "--seed", "5", "--force")
    assert status == 0 and all((out / name).read_bytes() != before[name] for name in before)
    assert sorted(p.name for p in out.iterdir()) == ["keys.html", "marking-key.html", "sheets.html"]


def test_verify_checks_every_key_against_keras(run):
    status, out, err = run(
        "--count", str(len(KINDS)), "--versions", "2", "--verify", "--format", "json", "--syllabus", "extended"
    )
    assert status == 0 and json.loads(out)["versions"]
    assert "every key agrees" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--kinds", "foo", "--out", "exam"],
        ["--count", "0", "--out", "exam"],
        ["--versions", "1001", "--out", "exam"],
        ["--format", "html"],  # html writes two files: it needs --out
        ["--format", "html", "--out", "a_file"],  # an existing regular file
        ["--format", "html", "--out", "a_file/sub"],  # unwritable, even for root: its parent is a file
    ],
    ids=["unknown-kind", "count-0", "too-many-versions", "html-without-out", "out-is-a-file", "out-unwritable"],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(run, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    Path("a_file").write_text("keep me\n")
    status, out, err = run(*argv)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("convzoo: error:"), err
    assert sorted(os.listdir(tmp_path)) == ["a_file"] and Path("a_file").read_text() == "keep me\n"


def _fail_at_rename(out: Path, run):
    """--force into a directory where keys.html is a directory: sheets.html can be written, keys.html cannot."""
    (out / "keys.html").mkdir(parents=True)
    status, stdout, err = run("--format", "html", "--out", str(out), "--force")
    assert status == 2 and len(err.splitlines()) == 1 and err.startswith("convzoo: error:"), err


def test_a_failed_write_leaves_no_temporary_files(run, tmp_path):
    _fail_at_rename(tmp_path, run)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".convzoo-")]


def test_a_failed_write_writes_no_document(run, tmp_path):
    _fail_at_rename(tmp_path, run)
    assert not (tmp_path / "sheets.html").exists()


# --- 10. the quiz never imports TensorFlow ---------------------------------------------------------------------


def test_the_quiz_path_never_imports_tensorflow():
    code = (
        "import sys\nfrom convzoo import cli\n"
        "assert cli.main(['quiz', '--count', '20', '--format', 'json']) == 0\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["versions"]


@pytest.mark.parametrize("name", ["md", "html", "json", "moodle", "gift", "qti", "selftest"])
def test_a_format_writes_the_files_it_names_before_the_quiz_is_drawn(name):
    # the command refuses to overwrite these names before drawing; tex and pdf (their engines take seconds)
    # are written through the command in test_printing
    from convzoo.questions.formats import get

    quiz = build_quiz(seed=5, count=3, versions=2)
    output = get(name)
    assert list(output.documents(quiz)) == output.file_names(["A", "B"])
