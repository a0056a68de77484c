"""Training the zoo on real MNIST (../shared/data/mnist/mnist.npz): short runs on a slice of it, a mirrored
strategy over two logical CPUs and two workers on loopback, evaluate, predict and visualize, and bad data in one
line. Stopping a run and taking it up again: tests/test_training_stops.py."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import MNIST, ROOT, convzoo_here
from convzoo import cli

needs_mnist = pytest.mark.skipif(not MNIST.exists(), reason=f"the real MNIST is not at {MNIST}")
QUICK = ["--data", str(MNIST), "--limit", "2000", "--batch-size", "100"]


def test_a_run_writes_its_files(lenet5_run):
    trained = lenet5_run
    assert {p.name for p in trained.iterdir()} == {
        "run.json",
        "model.keras",
        "history.json",
        "metrics.json",
        "curves.png",
        "confusion.png",
    }
    record = json.loads((trained / "run.json").read_text())
    assert record["model"] == "lenet5" and record["limit"] is None and record["batch_size"] == 64  # the recipe's
    assert record["data"] == str(MNIST.resolve()) and record["epochs"] == 2
    history = json.loads((trained / "history.json").read_text())
    assert {len(v) for v in history.values()} == {2} and {
        "loss",
        "accuracy",
        "val_loss",
        "val_accuracy",
        "test_accuracy",
    } <= set(history)
    metrics = json.loads((trained / "metrics.json").read_text())
    assert metrics["epochs"] == 2 and metrics["test_accuracy"] > 0.95  # the recipe, 2 epochs
    confusion = np.array(metrics["confusion_matrix"])
    assert confusion.shape == (10, 10) and confusion.sum() == 10000
    assert np.allclose(metrics["per_class_accuracy"], confusion.diagonal() / confusion.sum(axis=1), atol=1e-6)
    assert (trained / "curves.png").read_bytes().startswith(b"\x89PNG")


def test_an_existing_run_is_refused_without_resume_or_force(lenet5_run, tmp_path):
    trained = shutil.copytree(lenet5_run, tmp_path / "run")
    before = (trained / "metrics.json").read_bytes()
    done = convzoo_here("train", "lenet5", *QUICK, "--epochs", "1", "--out", str(trained))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--resume continues it" in done.stderr
    assert (trained / "metrics.json").read_bytes() == before


@needs_mnist
def test_mirrored_strategy_over_two_logical_cpus(tmp_path):
    code = (
        "import sys, tensorflow as tf\n"
        "cpu = tf.config.list_physical_devices('CPU')[0]\n"
        "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)\n"
        "from convzoo import cli\n"
        f"sys.exit(cli.main(['train', 'lenet5', *{QUICK!r}, '--epochs', '1', '--out', {str(tmp_path / 'm')!r},"
        " '--strategy', 'mirrored']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads((tmp_path / "m" / "metrics.json").read_text())["test_accuracy"] > 0.5


def test_evaluate_predict_and_visualize(lenet5_run, tmp_path):
    from PIL import Image

    trained = lenet5_run
    done = convzoo_here("evaluate", "--model", str(trained / "model.keras"), "--data", str(MNIST), "--json")
    assert done.returncode == 0, done.stderr
    assert (
        json.loads(done.stdout)["test_accuracy"] == json.loads((trained / "metrics.json").read_text())["test_accuracy"]
    )
    with np.load(MNIST) as mnist:
        digit, label = mnist["x_test"][0], int(mnist["y_test"][0])
    # a large, dark-on-light picture of a test digit, off-centre: predict centres and scales it like MNIST
    canvas = np.full((300, 200), 255, dtype=np.uint8)
    canvas[40:208, 10:178] = 255 - np.kron(digit, np.ones((6, 6), dtype=np.uint8))
    Image.fromarray(canvas).save(tmp_path / "digit.png")
    done = convzoo_here("predict", "--model", str(trained / "model.keras"), str(tmp_path / "digit.png"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and int(lines[0].split()[0]) == label
    done = convzoo_here(
        "visualize", "--model", str(trained / "model.keras"), "--data", str(MNIST), "--out", str(tmp_path / "pictures")
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (tmp_path / "pictures").iterdir()} == {
        "input.png",
        "filters.png",
        "activations_c1.png",
        "activations_s2.png",  # pooling and dense layers too
        "activations_c3.png",
        "activations_s4.png",
        "activations_c5.png",
        "activations_f6.png",
        "activations_output.png",
    }
    own = tmp_path / "own"
    done = convzoo_here(
        "visualize", "--model", str(trained / "model.keras"), "--image", str(tmp_path / "digit.png"), "--out", str(own)
    )
    assert done.returncode == 0, done.stderr  # your own digit: no MNIST needed
    assert (own / "input.png").read_bytes().startswith(b"\x89PNG")


def _npz(path: Path, **arrays) -> Path:
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.npz", "no such file"),
        (lambda d: (d / "bad.npz").write_bytes(b"PK\x03\x04 truncated") and d / "bad.npz", "not a readable .npz file"),
        (lambda d: _npz(d / "keys.npz", x_train=np.zeros((7000, 28, 28), np.uint8)), "no y_train, x_test, y_test"),
        (
            lambda d: _npz(
                d / "shape.npz",
                x_train=np.zeros((7000, 784), np.uint8),
                y_train=np.zeros(7000, int),
                x_test=np.zeros((10, 28, 28), np.uint8),
                y_test=np.zeros(10, int),
            ),
            "x_train must be N x H x W uint8 images",
        ),
        (
            lambda d: _npz(
                d / "labels.npz",
                x_train=np.zeros((7000, 28, 28), np.uint8),
                y_train=np.full(7000, 11),
                x_test=np.zeros((10, 28, 28), np.uint8),
                y_test=np.zeros(10, int),
            ),
            "labels outside 0-9",
        ),
        (
            lambda d: (d / "digit.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64)) and d / "digit.png",
            "not an .npz archive",
        ),
        (
            lambda d: _npz(
                d / "notest.npz",
                x_train=np.zeros((7000, 28, 28), np.uint8),
                y_train=np.zeros(7000, int),
                x_test=np.zeros((0, 28, 28), np.uint8),
                y_test=np.zeros(0, int),
            ),
            "no test images",
        ),
    ],
)
def test_bad_data_is_one_line_exit_2_nothing_written(tmp_path, make, message):
    data = make(tmp_path)
    done = convzoo_here("train", "lenet5", "--data", str(data), "--out", str(tmp_path / "run"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "run").exists()


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@needs_mnist
def test_two_workers_on_loopback_end_with_the_same_weights_and_one_run(tmp_path):
    workers = [f"127.0.0.1:{port}" for port in _free_ports(2)]
    started = []
    for index in range(2):
        env = {
            **os.environ,
            "TF_CONFIG": json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}),
        }
        started.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "convzoo",
                    "train",
                    "lenet5",
                    "--data",
                    str(MNIST),
                    "--limit",
                    "300",
                    "--batch-size",
                    "50",
                    "--epochs",
                    "1",
                    "--strategy",
                    "multiworker",
                    "--out",
                    str(tmp_path / f"run{index}"),
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = [worker.communicate(timeout=300) for worker in started]
    for worker, (_out, err) in zip(started, outputs):
        assert worker.returncode == 0, err[-2000:]
    digests = [re.search(r"weights sha256 ([0-9a-f]{16})", out).group(1) for out, _ in outputs]
    assert digests[0] == digests[1]
    assert "this worker's part is done; the chief writes the run" in outputs[1][0]
    # one run, written by the chief; the weights it saved are the ones every worker ended with
    assert not (tmp_path / "run1").exists()
    assert {p.name for p in (tmp_path / "run0").iterdir()} >= {"run.json", "model.keras", "metrics.json"}
    assert json.loads((tmp_path / "run0" / "run.json").read_text())["strategy"] == "multiworker"
    from convzoo.zoo.keras.training import load_model

    saved = hashlib.sha256()
    for weight in load_model(str(tmp_path / "run0" / "model.keras")).weights:
        saved.update(np.ascontiguousarray(np.asarray(weight)).tobytes())
    assert saved.hexdigest()[:16] == digests[0]


@pytest.mark.parametrize(
    "tf_config, message",
    [
        (None, "--strategy multiworker needs TF_CONFIG"),
        ("", "--strategy multiworker needs TF_CONFIG"),
        (
            "{'cluster': 1}",
            "TF_CONFIG is not JSON (Expecting property name enclosed in double quotes at line 1 column 2)",
        ),
        ('{"cluster": {"worker": ["127.0.0.1:2000"]}}', 'TF_CONFIG has no "task" with a "type" and an "index"'),
        ('{"task": {"type": "worker", "index": 0}}', 'TF_CONFIG has no "cluster" with a list of "worker" addresses'),
        (
            '{"cluster": {"worker": ["127.0.0.1:2000", "host"]}, "task": {"type": "worker", "index": 0}}',
            'TF_CONFIG cluster worker 1: "host" is not a host:port address',
        ),
        (
            '{"cluster": {"worker": ["127.0.0.1:2000"]}, "task": {"type": "worker", "index": 1}}',
            "TF_CONFIG task index 1 is not one of the cluster's 1 worker task(s): 0 to 0",
        ),
        (
            '{"cluster": {"worker": ["127.0.0.1:2000"], "ps": ["127.0.0.1:2001"]}, '
            '"task": {"type": "worker", "index": 0}}',
            "TF_CONFIG's cluster names 'ps'",
        ),
    ],
)
def test_a_missing_malformed_or_incomplete_tf_config_is_one_line(tmp_path, monkeypatch, capsys, tf_config, message):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    assert cli.main(["train", "lenet5", "--strategy", "multiworker", "--out", str(tmp_path / "mw")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "mw").exists()


def test_unknown_model_and_unreadable_image_are_one_line(tmp_path, capsys):
    assert cli.main(["train", "lenet"]) == 2
    assert "unknown zoo model 'lenet'" in capsys.readouterr().err
    for name in ("conv_stack", "conv_stack_same"):
        assert cli.main(["train", name, "--out", str(tmp_path / name)]) == 2  # before TensorFlow starts
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the models that train: alexnet, googlenet, lenet5, lenet5_1998" in err
        assert not (tmp_path / name).exists()
    (tmp_path / "x.png").write_text("not an image")
    done = convzoo_here("predict", "--model", str(tmp_path / "none.keras"), str(tmp_path / "x.png"))
    assert done.returncode == 2 and "not an image convzoo can read" in done.stderr


@needs_mnist
def test_lenet5_1998_trains_on_its_rbf_distances(tmp_path):
    done = convzoo_here("train", "lenet5_1998", *QUICK, "--epochs", "1", "--out", str(tmp_path / "paper"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "paper" / "metrics.json").read_text())["test_accuracy"] > 0.5


def _ilsvrc_run(tmp_path, name):
    out = tmp_path / name
    done = convzoo_here(
        "train", name, "--data", str(MNIST), "--limit", "64", "--epochs", "1", "--batch-size", "32", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads((out / "run.json").read_text())
    assert record["model_options"]["classes"] == 10
    assert json.loads((out / "metrics.json").read_text())["epochs"] == 1
    return record


@needs_mnist
@pytest.mark.sweep  # make sweep: about 5 minutes; the default run starts VGG-16's training (the Ctrl-C test)
@pytest.mark.parametrize(
    "name, size",
    [("alexnet", 67), ("zfnet", 55), ("vgg16", 32), ("vgg19", 32), ("resnet50", 28), ("googlenet", 28)],
)
def test_every_imagenet_model_trains_with_a_ten_class_head_at_its_smallest_input(tmp_path, name, size):
    assert _ilsvrc_run(tmp_path, name)["model_options"]["input"] == [size, size, 3]


@needs_mnist
def test_a_run_that_will_not_fit_in_memory_is_refused_with_the_figure(tmp_path):
    done = convzoo_here(
        "train", "vgg16", "--data", str(MNIST), "--batch-size", "10000000", "--out", str(tmp_path / "big")
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "vgg16 at 32x32x3 needs about" in done.stderr and "GB free" in done.stderr
    assert not (tmp_path / "big").exists()
