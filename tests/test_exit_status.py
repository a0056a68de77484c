"""Exit statuses are decided in one place, so every way in gives the same: the console script, `python -m
convzoo`, click's CliRunner (as any embedding calls the group) and `cli.main`. 0 success, 1 a check found a
difference, 2 bad input or usage, 130 interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from convzoo import cli
from convzoo.zoo import registry

LECTURE = "input 32x32x3, conv 10 5x5 stride 1 pad 2"
SCRIPT = Path(sys.executable).with_name("convzoo")  # the installed console script
WAYS = ("console script", "python -m convzoo")

# A zoo model whose published total (1) is not what it has (20): `zoo verify` must find the difference.
DISAGREES = (
    "from convzoo.zoo.registry import register\n"
    "register('disagrees', reference='a test', published={'total_params': 1})"
    "(lambda: 'input 8x8x1, conv 2 3x3')\n"
)


def _command(way: str) -> list[str]:
    return [str(SCRIPT)] if way == "console script" else [sys.executable, "-m", "convzoo"]


@pytest.fixture(scope="module")
def with_disagreeing_model(tmp_path_factory) -> dict:
    """An environment whose interpreters register the model 'disagrees' at start-up (sitecustomize)."""
    folder = tmp_path_factory.mktemp("startup")
    (folder / "sitecustomize.py").write_text(DISAGREES)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def disagreeing_model(monkeypatch):
    """The same model, registered in this process."""
    monkeypatch.setitem(
        registry._REGISTRY,
        "disagrees",
        registry.ModelEntry("disagrees", lambda: "input 8x8x1, conv 2 3x3", "", "a test", {"total_params": 1}),
    )


CASES = [
    (["calc", LECTURE], 0),
    (["zoo", "list"], 0),
    (["calc", "input 7x7, conv 1 9x9"], 2),  # bad input
    (["quiz", "--count", "0"], 2),  # a bad option value
    (["frobnicate"], 2),  # no such command
    (["zoo", "verify", "disagrees"], 1),  # a check found a difference
]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("argv, status", CASES)
def test_each_status_through_the_process(way, argv, status, with_disagreeing_model):
    done = subprocess.run(
        [*_command(way), *argv],
        env=with_disagreeing_model,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    if status == 2:
        assert done.stderr.startswith("convzoo: error: ") and done.stderr.count("\n") == 1


@pytest.mark.parametrize("argv, status", CASES)
def test_each_status_through_clirunner_and_cli_main(argv, status, disagreeing_model, capsys):
    assert CliRunner().invoke(cli.cli, argv).exit_code == status
    with pytest.raises(SystemExit) as ended:
        cli.cli.main(argv)  # click's standalone mode, as any embedding calls it
    assert ended.value.code == status
    assert cli.main(argv) == status


def test_calc_keras_and_quiz_verify_exit_1_on_a_difference(monkeypatch, tmp_path):
    from convzoo.commands import quiz as quiz_command
    from convzoo.zoo.keras import build as keras_build

    monkeypatch.setattr(keras_build, "compare", lambda result, build: ["conv1: output shape differs"])
    assert CliRunner().invoke(cli.cli, ["calc", "--keras", LECTURE]).exit_code == 1
    monkeypatch.setattr(quiz_command, "_verify_keys", lambda quiz: (["question 1: key 1, Keras 2"], 0.1))
    done = CliRunner().invoke(cli.cli, ["quiz", "--count", "2", "--verify", "--format", "json", "--out", str(tmp_path)])
    assert done.exit_code == 1
    assert (tmp_path / "quiz.json").exists()  # the documents are still written; the status says a key differs


def test_interrupted_is_130(monkeypatch):
    from convzoo.zoo import engine

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "analyze", interrupted)
    done = CliRunner().invoke(cli.cli, ["calc", LECTURE])
    assert done.exit_code == 130 and "convzoo: interrupted" in done.output


@pytest.mark.parametrize("way", WAYS)
def test_ctrl_c_in_a_real_process_is_130(way):
    # calc waits for its spec on stdin (a pipe that stays open) until Ctrl-C
    child = subprocess.Popen(
        [*_command(way), "calc"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(2)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.strip().endswith("convzoo: interrupted") and "Traceback" not in err
