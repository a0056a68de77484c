"""Whole-process latency of the commands people wait for: `convzoo calc` and `convzoo zoo summary` without
--keras never import TensorFlow, and should take <= 0.3 s on the 2-core machine.

Run: python benchmarks/cli_latency.py [--runs 10]   (or `make bench`)
Prints the median of the runs for each command, and its ratio to the 0.3 s target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.3
ROOT = Path(__file__).resolve().parent.parent
LECTURE_SPEC = "input 32x32x3, conv 10 5x5 stride 1 pad 2, relu, maxpool 2, flatten, dense 10 softmax"
COMMANDS = {
    "calc (lecture spec)": ["calc", LECTURE_SPEC],
    "calc --json": ["calc", "--json", LECTURE_SPEC],
    "zoo summary lenet5": ["zoo", "summary", "lenet5"],
    "zoo list": ["zoo", "list"],
}


def convzoo() -> list[str]:
    """The installed console script if there is one beside this Python, else `python cli.py`."""
    script = Path(sys.executable).with_name("convzoo")
    if script.exists():
        return [str(script)]
    found = shutil.which("convzoo")
    return [found] if found else [sys.executable, str(ROOT / "cli.py")]


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    base = convzoo()
    print(f"{'command':<22} {'median':>8} {'/ target':>9}   ({args.runs} runs each, target {TARGET_S} s)")
    for label, extra in COMMANDS.items():
        seconds = median_seconds(base + extra, args.runs)
        print(f"{label:<22} {seconds:>7.3f}s {seconds / TARGET_S:>8.2f}x")


if __name__ == "__main__":
    main()
