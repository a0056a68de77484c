"""Ctrl-C during `convzoo train`: seconds from SIGINT to the process's exit, for each model, with the exit
status and the line it printed (target: within 2 s, status 130, the line true to what the run folder keeps).

Each run trains on a few images of ../shared's MNIST; SIGINT goes to its process group (as a terminal sends it)
DELAY seconds after the run has started training (its run.json is written).

Run: python benchmarks/train_ctrl_c.py [--delays 2,8] [--limit 512] [MODEL ...]   (about 5 minutes for all)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"
MODELS = ["lenet5", "lenet5_1998", "mnist_cnn", "alexnet", "zfnet", "vgg16", "vgg19", "googlenet", "resnet50"]


def interrupted(name: str, delay: float, data: str, limit: int) -> tuple[int, float | None, int, str]:
    """(exit status, seconds from SIGINT to exit or None if it ran on for 30 s, epochs kept, its last line)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "run"
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "convzoo",
                "train",
                name,
                "--data",
                data,
                "--limit",
                str(limit),
                "--batch-size",
                "64",
                "--epochs",
                "50",
                "--out",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started = time.time()
        while not (out / "run.json").exists() and child.poll() is None and time.time() - started < 300:
            time.sleep(0.02)
        time.sleep(delay)
        sent = time.perf_counter()
        os.killpg(child.pid, signal.SIGINT)
        try:
            err = child.communicate(timeout=30)[1]
            seconds = time.perf_counter() - sent
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            err, seconds = child.communicate()[1], None
        history = out / "history.json"
        kept = len(json.loads(history.read_text())["loss"]) if history.exists() else 0
        return child.returncode, seconds, kept, (err.strip().splitlines() or [""])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=MODELS)
    parser.add_argument("--delays", default="2,8", help="seconds after training starts, comma-separated")
    parser.add_argument("--limit", type=int, default=512)
    parser.add_argument("--data", default=str(MNIST))
    options = parser.parse_args()
    for name in options.models:
        for delay in (float(d) for d in options.delays.split(",")):
            status, seconds, kept, line = interrupted(name, delay, options.data, options.limit)
            took = "still running after 30 s" if seconds is None else f"{seconds:.2f} s"
            print(f"{name} at {delay:g} s: exit {status} in {took}, {kept} epochs kept; {line[:110]}", flush=True)


if __name__ == "__main__":
    main()
