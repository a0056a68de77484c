"""The command line, run in-process through ``cli.main`` and, where the process itself matters, as a subprocess.
(``--keras`` and ``zoo verify`` need Keras and are tested elsewhere.)"""

import io
import json
import subprocess
import sys
from pathlib import Path

import convzoo
import pytest
from convzoo import cli
from convzoo.zoo import registry

ROOT = Path(__file__).resolve().parents[1]

# The lecture's "Examples time": 32x32x3 input, ten 5x5 filters, stride 1, pad 2 -> 32x32x10, 760 parameters.
LECTURE = "input 32x32x3, conv 10 5x5 stride 1 pad 2"
W2_STEP = "W2 = (W1 - F + 2P)/S + 1 = (32 - 5 + 2*2)/1 + 1 = 32"
PARAMS_STEP = "params = (F*F*D1 + 1)*K = (5*5*3 + 1)*10 = 760"


class FakeStdin(io.StringIO):
    def __init__(self, text: str = "", tty: bool = False):
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def run(capsys, monkeypatch):
    """run(*argv, stdin=None) -> (status, stdout, stderr); stdin=text pipes it, stdin=None is a terminal."""

    def run_(*argv, stdin=None):
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin or "", tty=stdin is None))
        status = cli.main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run_


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def row(out: str, layer: str) -> list[str]:
    """The cells of a layer's table row: name, (type), output shape, params, receptive field, MACs."""
    return next(line.split() for line in out.splitlines() if line.startswith(f"{layer} ("))


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--version"], f"convzoo, version {convzoo.__version__}"),
        (["-V"], f"convzoo, version {convzoo.__version__}"),
        (["--help"], "convzoo zoo summary lenet5"),
        (["calc", "-h"], "--floor"),
        (["zoo", "summary", "--help"], "--input HxWxD"),
    ],
)
def test_version_and_help(run, argv, expected):
    status, out, err = run(*argv)
    assert (status, err) == (0, "")
    assert expected in out


def test_calc_shows_the_table_and_the_worked_steps(run):
    status, out, err = run("calc", LECTURE)
    assert (status, err) == (0, "")
    assert row(out, "conv1") == ["conv1", "(Conv2D)", "32x32x10", "760", "5x5", "778,240"]
    assert {W2_STEP, "H2 = W2 = 32 (by symmetry)", "D2 = K = 10", PARAMS_STEP} <= set(lines(out))
    assert "Total params: 760" in lines(out)


def test_no_steps_keeps_only_the_table(run):
    status, out, _ = run("calc", "--no-steps", LECTURE)
    assert status == 0
    assert "Total params: 760" in lines(out)
    assert "Worked steps" not in out and PARAMS_STEP not in out


LAYER_KEYS = {
    "name",
    "type",
    "output_shape",
    "params",
    "trainable_params",
    "non_trainable_params",
    "receptive_field",
    "macs",
    "connections",
    "steps",
    "fits",
}


def test_calc_json_schema(run):
    status, out, err = run("calc", "--json", f"{LECTURE}, bn, relu, maxpool 2, flatten, dense 10 softmax")
    assert (status, err) == (0, "")
    doc = json.loads(out)
    assert set(doc) == {
        "input_shape",
        "layers",
        "total_params",
        "trainable_params",
        "non_trainable_params",
        "total_macs",
        "total_connections",
    }
    assert all(set(layer) == LAYER_KEYS for layer in doc["layers"])
    conv, bn, *_, dense = doc["layers"]
    assert conv == {
        **conv,
        "name": "conv1",
        "type": "Conv2D",
        "output_shape": [32, 32, 10],
        "params": 760,
        "trainable_params": 760,
        "non_trainable_params": 0,
        "receptive_field": [5, 5],
        "macs": 32 * 32 * 760,
    }
    assert W2_STEP in conv["steps"] and PARAMS_STEP in conv["steps"]
    # batch normalisation: gamma and beta are trained, the moving mean and variance are not
    assert (bn["params"], bn["trainable_params"], bn["non_trainable_params"]) == (40, 20, 20)
    assert dense["output_shape"] == [10] and dense["params"] == (16 * 16 * 10 + 1) * 10
    assert doc["input_shape"] == [32, 32, 3]
    assert doc["total_params"] == sum(layer["params"] for layer in doc["layers"]) == 760 + 40 + 25_610
    assert (doc["trainable_params"], doc["non_trainable_params"]) == (doc["total_params"] - 20, 20)
    assert doc["total_macs"] == sum(layer["macs"] for layer in doc["layers"])


@pytest.mark.parametrize(
    "conv, shape",
    [
        ("conv 1 3x3", [5, 5, 1]),  # the lecture's 7x7 input, 3x3 filter: (7 - 3)/1 + 1 = 5
        ("conv 1 3x3 stride 2", [3, 3, 1]),  # (7 - 3)/2 + 1 = 3
        ("conv 1 3x3 pad 1", [7, 7, 1]),  # zero padding (F - 1)/2 keeps the size
    ],
)
def test_lecture_7x7_examples(run, conv, shape):
    status, out, _ = run("calc", "--json", f"input 7x7, {conv}")
    assert status == 0 and json.loads(out)["layers"][0]["output_shape"] == shape


SPEC_FILE = "# the lecture's example\ninput 32x32x3\nconv 10 5x5 stride 1 pad 2\n"


@pytest.mark.parametrize(
    "argv, stdin",
    [
        (["calc", "-f", "lecture.spec"], None),
        (["calc", "--file", "-"], SPEC_FILE),
        (["calc", "-"], SPEC_FILE),
        (["calc"], SPEC_FILE),  # piped, no argument
    ],
)
def test_spec_from_file_or_stdin(run, tmp_path, monkeypatch, argv, stdin):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lecture.spec").write_text(SPEC_FILE)
    assert run(*argv, stdin=stdin) == run("calc", LECTURE)


def test_floor_computes_a_window_that_does_not_fit_as_keras(run):
    spec = "input 6x6, conv 2 3x3 stride 2"
    status, out, err = run("calc", spec)
    assert (status, out) == (2, "")
    assert "(6 - 3)/2 + 1 = 2.5" in err and "does not fit" in err and "--floor" in err

    status, out, err = run("calc", "--floor", spec)
    assert (status, err) == (0, "")
    assert row(out, "conv1")[2] == "2x2x2"
    assert any(line.startswith("W2 = floor((W1 - F)/S) + 1 = floor((6 - 3)/2) + 1 = 2") for line in lines(out))


def test_zoo_list(run):
    status, out, err = run("zoo", "list")
    assert (status, err) == (0, "")
    names = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]  # the reference is indented
    assert names == registry.list_models()
    assert {"conv_stack", "conv_stack_same", "lenet5", "mnist_cnn", "alexnet", "vgg16", "resnet50"} <= set(names)
    assert "61,706 params" in next(line for line in out.splitlines() if line.startswith("lenet5"))
    assert "ILSVRC 2015 winner, top-5 3.57%" in next(line for line in out.splitlines() if line.startswith("resnet50"))

    status, out, err = run("zoo", "list", "--json")
    assert (status, err) == (0, "")
    models = {m["name"]: m for m in json.loads(out)["models"]}
    assert sorted(models) == registry.list_models()
    assert models["vgg16"]["ilsvrc"] == {"year": 2014, "top5_error": 7.3, "place": "runner-up"}
    assert models["lenet5"] == {
        **models["lenet5"],
        "input_shape": [32, 32, 1],
        "total_params": 61706,
        "options": ["activation", "input", "pool"],
    }
    assert models["mnist_cnn"]["options"] == [] and "LeCun" in models["lenet5"]["reference"]


def test_zoo_summary_lenet5(run):
    status, out, err = run("zoo", "summary", "lenet5")
    assert (status, err) == (0, "")
    assert "Model: lenet5" in out and "Worked steps" in out
    assert row(out, "c1")[:4] == ["c1", "(Conv2D)", "28x28x6", "156"]
    assert "Published total: 61,706 parameters (agrees)" in lines(out)
    assert "params = (F*F*D1 + 1)*K = (5*5*1 + 1)*6 = 156" in lines(out)


@pytest.mark.parametrize(
    "extra, input_shape",
    [([], [32, 32, 1]), (["--input", "28x28x1"], [28, 28, 1]), (["--input", "28x28"], [28, 28, 1])],
)
def test_zoo_summary_json(run, extra, input_shape):
    status, out, err = run("zoo", "summary", "lenet5", "--json", *extra)
    assert (status, err) == (0, "")
    doc = json.loads(out)
    assert (doc["name"], doc["input_shape"], doc["total_params"]) == ("lenet5", input_shape, 61706)
    assert [layer["name"] for layer in doc["layers"]] == ["c1", "s2", "c3", "s4", "c5", "flatten", "f6", "output"]
    # a 28x28 MNIST digit: C1 pads 'same', so every later layer keeps the paper's sizes
    assert doc["layers"][0]["output_shape"] == [28, 28, 6]


def _bad_spec_file():
    Path("bad.spec").write_text("input 7x7\nconv 1 9x9\n")
    return "bad.spec"


@pytest.mark.parametrize(
    "argv, stdin, message",
    [
        (["calc", "input 32x32x"], None, "line 1, col 7 ('32x32x'): input must be HxWxD, HxW or N"),
        (["calc", "input 7x7, convv 1 3x3"], None, "unknown layer (did you mean 'conv'?); accepted: input, conv"),
        (["calc", "input 7x7, conv 0 3x3"], None, "the number of filters K must be 1 or more, got 0"),
        (["calc", "input 7x7, conv 1 9x9"], None, "a 9x9 filter does not fit inside the 7x7 input (W1 = 7 < F = 9)"),
        (
            ["calc", "input 7x7, conv 1 3x3 stride 3"],
            None,
            "(7 - 3)/3 + 1 = 2.33: a 3x3 filter with stride 3 does not fit",
        ),
        (["calc", "conv 10 5x5"], None, "a spec starts with 'input HxWxD'"),
        (["calc", ""], None, "empty spec"),
        (["calc"], "# nothing but a comment\n", "empty spec"),
        (["calc"], None, "no spec given"),  # a terminal, nothing piped
        (["calc"], "input 7x7\nconv 1 9x9\n", "stdin, line 2, col 1 ('conv'): a 9x9 filter does not fit"),
        (["calc", "-f", "BAD"], None, "bad.spec, line 2, col 1 ('conv'): a 9x9 filter does not fit"),
        (["calc", "-f", "missing.spec"], None, "cannot read spec file 'missing.spec': No such file or directory"),
        (["calc", LECTURE, "-f", "BAD"], None, "either as an argument or with -f FILE, not both"),
        (["calc", "--json", "input 7x7, conv 1 9x9"], None, "a 9x9 filter does not fit inside the 7x7 input"),
        (["calc", "--bogus", LECTURE], None, "No such option '--bogus'"),
        (["frobnicate"], None, "No such command 'frobnicate'"),
        (["zoo", "summary", "lenet"], None, "unknown zoo model 'lenet' (did you mean 'lenet5'?); available: alexnet"),
        (["zoo", "summary", "--json", "lenet"], None, "unknown zoo model 'lenet'"),
        (["zoo", "summary", "mnist_cnn", "--input", "28x28x1"], None, "mnist_cnn has no --input option"),
        (["zoo", "summary", "lenet5", "--input", "28x28x"], None, "Invalid value for '--input': input must be HxWxD"),
        (["zoo", "summary", "lenet5", "--input", "0x28"], None, "every input dimension must be 1 or more"),
        (
            ["zoo", "summary", "lenet5", "--input", "7x7x1"],
            None,
            "lenet5 with input=(7, 7, 1): layer s2: (W1 - F)/S + 1 = (7 - 2)/2 + 1 = 3.5",
        ),
        (["calc", "input 7x7, conv \u00b2 3x3"], None, "the number of filters K"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(run, tmp_path, monkeypatch, argv, stdin, message):
    monkeypatch.chdir(tmp_path)
    argv = [_bad_spec_file() if arg == "BAD" else arg for arg in argv]
    status, out, err = run(*argv, stdin=stdin)
    assert (status, out) == (2, "")
    assert err.startswith("convzoo: error: ") and err.endswith("\n") and err.count("\n") == 1
    assert "Traceback" not in err
    assert message in err


@pytest.mark.parametrize("argv", [[], ["zoo"]])
def test_no_command_shows_readable_help(run, argv):
    status, out, err = run(*argv)
    assert (status, err) == (0, "")
    assert "\nCommands:\n" in out


@pytest.mark.parametrize(
    "args, stdin, status, stream, expected",
    [
        (["calc", LECTURE], None, 0, "stdout", PARAMS_STEP),
        (["calc", "--no-steps"], SPEC_FILE, 0, "stdout", "Total params: 760"),  # piped into the real process
        (["--version"], None, 0, "stdout", f"convzoo, version {convzoo.__version__}"),
        (["calc", "input 7x7, conv 1 9x9"], None, 2, "stderr", "convzoo: error: line 1, col 12 ('conv'): "),
    ],
)
def test_as_a_process(args, stdin, status, stream, expected):
    done = subprocess.run(
        [sys.executable, "-m", "convzoo", *args],
        cwd=ROOT,
        input=stdin or "",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == status
    assert expected in getattr(done, stream)
    assert "Traceback" not in done.stderr
    if status:
        assert done.stdout == "" and done.stderr.count("\n") == 1


def _holds_in_a_fresh_process(code: str) -> None:
    """Run ``code`` (its asserts) in a new Python, where nothing is imported yet."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_calc_and_summary_never_import_keras_tensorflow_or_numpy():
    code = (
        "import sys\nfrom convzoo import cli\n"
        f"assert cli.main(['calc', '--json', {LECTURE!r}]) == 0\n"
        "assert cli.main(['calc', 'input 7x7, conv 1 9x9']) == 2\n"
        "assert cli.main(['zoo', 'summary', 'lenet5']) == 0\n"
        "assert cli.main(['zoo', 'list', '--json']) == 0\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras', 'numpy'}\n"
        "assert not heavy, heavy\n"
    )
    _holds_in_a_fresh_process(code)


# --- the commands load lazily: each imports only what it uses; the help lists them all from cli.COMMANDS --------


@pytest.mark.parametrize("width", [40, 80, 132, 200])
def test_the_help_lists_each_command_from_the_table_as_click_lists_the_command_itself(width):
    import click

    ctx = click.Context(cli.cli, info_name="convzoo")
    from_table, from_commands = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
    cli.Root("convzoo").format_commands(ctx, from_table)  # a root with no command loaded: every line from COMMANDS
    commands = [cli.cli.get_command(ctx, name) for name in cli.COMMANDS]
    click.Group(commands=commands).format_commands(ctx, from_commands)
    assert from_table.getvalue() == from_commands.getvalue()
    assert sorted(cli.COMMANDS) == [command.name for command in sorted(commands, key=lambda c: c.name)]
    assert all(not c.hidden and not c.deprecated and not c.short_help for c in commands)


def test_unknown_command_suggests_the_likely_one(run):
    status, out, err = run("qiuz")
    assert (status, out) == (2, "")
    assert "No such command 'qiuz'" in err and "quiz" in err.split("No such command 'qiuz'")[1]


@pytest.mark.parametrize(
    "argv, loaded, not_loaded",
    [
        (["--help"], [], ["convzoo.commands.calc", "convzoo.commands.quiz", "convzoo.zoo.engine"]),
        (["calc", LECTURE], ["convzoo.commands.calc"], ["convzoo.commands.quiz", "convzoo.commands.zoo", "jinja2"]),
        (["zoo", "summary", "lenet5"], ["convzoo.commands.zoo"], ["convzoo.commands.quiz", "jinja2"]),
        (["quiz", "--count", "2"], ["convzoo.commands.quiz"], ["convzoo.commands.calc", "convzoo.commands.practice"]),
    ],
)
def test_a_command_imports_its_own_module_and_no_other_command(argv, loaded, not_loaded):
    code = (
        "import sys\nfrom convzoo import cli\n"
        f"assert cli.main({argv!r}) == 0\n"
        f"assert all(m in sys.modules for m in {loaded!r}), {loaded!r}\n"
        f"there = [m for m in {not_loaded!r} if m in sys.modules]\n"
        "assert not there, there\n"
    )
    _holds_in_a_fresh_process(code)


def test_the_text_table_is_laid_out_as_the_template_it_replaced():
    # calc's and zoo summary's text is written in zoo/report.py (calc starts without Jinja); tests/fixtures holds
    # the template that wrote it before, rendered here in the package's own Jinja environment
    import random

    from convzoo import templates
    from convzoo.zoo.engine import analyze
    from convzoo.zoo.report import Analysis, table_rows
    from convzoo.zoo.spec import SpecError, fmt_dims
    from randspec import random_spec

    template = templates.make_environment(ROOT / "tests" / "fixtures", ROOT / "none").get_template("summary.txt.j2")
    analyses = [registry.get(name).summary() for name in registry.list_models()]
    rng = random.Random(25)
    while len(analyses) < len(registry.list_models()) + 300:
        try:
            result = analyze(random_spec(rng), floor=rng.random() < 0.5)
        except SpecError:
            continue
        title, description = rng.choice([("spec", ""), ("a_net", "A net <with> {braces} & 100% odd text")])
        analyses.append(Analysis(result, title, description, tuple(rng.sample(["a note", "", "B: 1,000"], 2))))
    for analysis in analyses:
        rows = table_rows(analysis.result)
        for steps in (True, False):
            expected = template.render(
                title=analysis.title,
                description=analysis.description,
                input_shape=fmt_dims(analysis.result.input_shape),
                result=analysis.result,
                notes=analysis.notes,
                shape=fmt_dims,
                rows=rows,
                rule="-" * max(len(r) for r in rows),
                steps=steps,
            )
            assert analysis.text(steps=steps) == expected


def test_the_console_script_runs_the_command_with_the_collector_on_and_start_up_frozen():
    # __main__.run starts with the cyclic garbage collector off; once the command's module is loaded it is on
    # again, what start-up made frozen; cli.main, as an embedding calls it, leaves the collector alone
    code = (
        "import gc, sys\nsys.argv = ['convzoo', 'calc', 'input 4x4, conv 1 3x3']\n"
        "from convzoo.__main__ import run\nassert run() == 0\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 1000, gc.get_freeze_count()\n"
        "from convzoo import cli\ngc.unfreeze()\nassert cli.main(['quiz', '--count', '2']) == 0\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
    )
    _holds_in_a_fresh_process(code)


def test_what_a_paused_stretch_makes_is_frozen_only_when_the_process_ends_with_the_command():
    # the console script's grade or quiz: its millions of marks or questions are not examined again by the
    # collector once it resumes; a program calling convzoo keeps its collector as it was, nothing frozen
    code = (
        "import gc\nfrom convzoo.questions.collector import collector_paused, process_ends_with_command\n"
        "with collector_paused():\n    kept = [[] for _ in range(5000)]\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
        "with process_ends_with_command():\n    with collector_paused():\n        more = [[] for _ in range(5000)]\n"
        "assert gc.isenabled() and gc.get_freeze_count() >= 10000, gc.get_freeze_count()\n"
    )
    _holds_in_a_fresh_process(code)
