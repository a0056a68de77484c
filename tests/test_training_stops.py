"""Stopping a training run and taking it up again, on real MNIST: a run killed after an epoch resumes with its
history, Ctrl-C prints a resume command that runs as printed, Ctrl-C in the first epoch ends the run within 2 s
and keeps nothing, and a run stopped in its final evaluation is finished by --resume. (A file of its own, apart
from tests/test_training.py, so that make test's workers share the training tests.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import MNIST, ROOT, convzoo_here

needs_mnist = pytest.mark.skipif(not MNIST.exists(), reason=f"the real MNIST is not at {MNIST}")
QUICK = ["--data", str(MNIST), "--limit", "2000", "--batch-size", "100"]


@needs_mnist
def test_a_killed_run_resumes_from_its_last_finished_epoch_with_its_history(tmp_path):
    out = tmp_path / "run"
    child = subprocess.Popen(
        [sys.executable, "-m", "convzoo", "train", "lenet5", *QUICK, "--epochs", "3", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    history = out / "history.json"
    deadline = time.time() + 120
    while time.time() < deadline and not (history.exists() and json.loads(history.read_text())["loss"]):
        time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)  # the process killed after its first epoch
    child.wait()
    done_before = len(json.loads(history.read_text())["loss"])
    assert 1 <= done_before < 3 and not (out / "metrics.json").exists()
    first_part = json.loads((out / "run.json").read_text())["seconds"]
    refused = convzoo_here("train", "lenet5", "--out", str(out), "--resume", "--limit", "3000")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--limit 2000" in refused.stderr
    # the run remembers its data and options: --resume alone continues it (no download, offline)
    done = convzoo_here("train", "lenet5", "--out", str(out), "--resume")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(history.read_text())["loss"]) == 3
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 3 and metrics["seconds"] > first_part  # the time of both parts


@needs_mnist
def test_ctrl_c_prints_a_resume_command_that_runs_as_printed(tmp_path):
    out = tmp_path / "run"
    child = subprocess.Popen(
        [sys.executable, "-m", "convzoo", "train", "lenet5", *QUICK, "--epochs", "2", "--seed", "7", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    history = out / "history.json"
    deadline = time.time() + 120
    while time.time() < deadline and not (history.exists() and json.loads(history.read_text())["loss"]):
        time.sleep(0.2)
    child.send_signal(signal.SIGINT)
    err = child.communicate(timeout=60)[1]
    assert child.returncode == 130 and "Traceback" not in err, err
    command = re.search(r"the finished epochs are kept \(\d+ epochs?\): (.*) continues$", err.strip()).group(1)
    words = shlex.split(command)
    assert words[:3] == ["convzoo", "train", "lenet5"] and "--resume" in words
    for option in ("--data", "--limit", "--batch-size", "--seed", "--epochs"):
        assert option in words  # every option the run needs, copied as printed
    done = convzoo_here(*words[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(history.read_text())["loss"]) == 2


@needs_mnist
@pytest.mark.parametrize("name", ["lenet5", "vgg16"])
def test_ctrl_c_in_the_first_epoch_ends_the_run_within_2_s_and_keeps_nothing(tmp_path, name):
    # VGG-16's steps are long (TensorFlow does not return to Python for a second or more); LeNet-5's are short
    out = tmp_path / "run"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "convzoo",
            "train",
            name,
            "--data",
            str(MNIST),
            "--limit",
            "20000",
            "--batch-size",
            "32",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not (out / "run.json").exists():  # written as the training starts
        time.sleep(0.05)
    time.sleep(1.0)  # in the first epoch's steps (20,000 images take far longer than that on any model)
    assert not (out / "history.json").exists()
    sent = time.perf_counter()
    child.send_signal(signal.SIGINT)
    err = child.communicate(timeout=60)[1]
    assert child.returncode == 130 and time.perf_counter() - sent < 2.0, err
    assert err == "convzoo: interrupted before the first epoch finished; nothing was kept\n"
    assert not out.exists()  # a run folder with nothing in it would refuse the next run


@needs_mnist
def test_a_run_interrupted_after_its_last_epoch_is_finished_by_resume(lenet5_run, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(lenet5_run, out)
    for name in ("metrics.json", "curves.png", "confusion.png"):  # as a Ctrl-C during the final evaluation leaves it
        (out / name).unlink()
    done = convzoo_here("train", "lenet5", "--out", str(out), "--resume")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "metrics.json").read_text())["epochs"] == 2 and (out / "curves.png").exists()
