"""The Python API of README's "From Python": every example there runs here as written (a doctest of that
section, from a folder with ../shared beside it, as the README assumes), and importing convzoo stays light."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys

import convzoo
import pytest
from conftest import ROOT

MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {title}\n(.*?)(?=^## )", text, re.S | re.M)
    assert found, f"README has no section '{title}'"
    return found.group(1)


@pytest.mark.skipif(not MNIST.exists(), reason=f"the training example needs MNIST at {MNIST}")
def test_every_from_python_example_in_the_readme(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    monkeypatch.chdir(work)
    test = doctest.DocTestParser().get_doctest(_section("From Python"), {}, "README: From Python", "README.md", 0)
    assert len(test.examples) >= 25
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_importing_convzoo_loads_no_tensorflow_keras_or_numpy():
    code = (
        "import sys, convzoo\n"
        "convzoo.analyze('input 32x32x3, conv 10 5x5 stride 1 pad 2')\n"
        "convzoo.render(convzoo.quiz(count=5), 'html')\n"
        "convzoo.summary('lenet5')\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras', 'numpy'}\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT.parent, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_all_names_the_api_and_nothing_else():
    assert sorted(convzoo.__all__) == [
        "ConvzooError",
        "__version__",
        "analyze",
        "build",
        "kinds",
        "list_models",
        "quiz",
        "render",
        "summary",
        "train",
        "write",
    ]
    assert all(hasattr(convzoo, name) for name in convzoo.__all__)


def test_the_api_draws_the_same_questions_as_the_command_line(capsys):
    from convzoo import cli

    assert cli.main(["quiz", "--count", "4", "--seed", "11", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    assert convzoo.render(convzoo.quiz(count=4, seed=11), "json")["quiz.json"] == printed


def test_write_puts_the_files_the_command_line_writes_into_a_folder(tmp_path):
    """The lecture's quiz in two versions, as html: the same files, byte for byte, in the same order, as
    `convzoo quiz --out`; a second write over them only with force=True."""
    from convzoo import cli

    argv = ["quiz", "--count", "3", "--seed", "5", "--versions", "2", "--format", "html"]
    assert cli.main([*argv, "--out", str(tmp_path / "command")]) == 0
    drawn = convzoo.quiz(count=3, seed=5, versions=2)
    written = convzoo.write(drawn, "html", tmp_path / "api")
    names = [
        "sheets.html",
        "keys.html",
        "marking-key.html",
        "quiz.json",
        "answers-template.csv",
        "answers-by-sheet.csv",
    ]
    assert written == [str(tmp_path / "api" / name) for name in names]
    assert sorted(p.name for p in (tmp_path / "command").iterdir()) == sorted(names)
    for name in names:
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "command" / name).read_bytes(), name
    with pytest.raises(convzoo.ConvzooError, match="sheets.html already exists; use --force to overwrite"):
        convzoo.write(convzoo.quiz(count=3, seed=6, versions=2), "html", tmp_path / "api")
    assert convzoo.write(convzoo.quiz(count=3, seed=6, versions=2), "html", tmp_path / "api", force=True) == written
    with pytest.raises(convzoo.ConvzooError, match="unknown format 'docx'"):
        convzoo.write(drawn, "docx", tmp_path / "docx")
    assert not (tmp_path / "docx").exists()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: convzoo.quiz(kinds=["layer_param"]), "did you mean 'layer_params'"),
        (lambda: convzoo.quiz(count=0), "count must be a whole number from 1 to 200"),
        (lambda: convzoo.quiz(difficulty="tricky"), "difficulty must be one of easy, medium, hard, mixed"),
        (lambda: convzoo.quiz(syllabus="full"), "syllabus must be one of lecture, extended"),
        (lambda: convzoo.quiz(kinds=["avg_pool"]), "'avg_pool' is beyond the lecture"),
        (lambda: convzoo.quiz(networks=["input 7x7, conv 1 3x3 stride 3"]), "network 1, line 1, col 12"),
        (lambda: convzoo.render(convzoo.quiz(count=1), "docx"), "unknown format 'docx'"),
        (lambda: convzoo.summary("lenet6"), "unknown zoo model 'lenet6'"),
        (lambda: convzoo.summary("lenet5", pool="median"), "pool must be 'avg' or 'max'"),
    ],
)
def test_bad_input_raises_convzoo_error_with_the_cli_message(call, message):
    with pytest.raises(convzoo.ConvzooError, match=re.escape(message)):
        call()


def test_the_notebook_view_is_a_table_with_the_steps_folded():
    html = convzoo.summary("lenet5")._repr_html_()
    assert html.count("<tr>") == 9 and "<details><summary>Worked steps</summary>" in html
    assert "(5*5*1 + 1)*6 = 156" in html and "the lecture&#39;s" in html  # escaped, as HTML must be
