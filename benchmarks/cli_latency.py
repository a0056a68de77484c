"""Whole-process latency of the commands people wait for, with the interpreter's own start-up beside them.

`convzoo calc 'input 32x32x3, conv 10 5x5 pad 2'` and `convzoo quiz --count 20` (markdown on stdout) should
take <= 0.08 s on a quiet 2-core machine (issue 25), where `python -c pass`, the yardstick printed with them,
takes 0.011-0.019 s; the other commands (calc and zoo summary never import TensorFlow, nor Jinja) <= 0.3 s.
A second yardstick, `python -c 'import click, jinja2'`, is the floor under any command that renders a template:
the interpreter with the design card's two libraries loaded, and nothing of convzoo's.

Run: python benchmarks/cli_latency.py [--runs 15]   (or `make bench`)
Each round runs every command once, in turn, so that a busy moment of the machine falls on all of them; prints
the median of the rounds for each command, its target and its ratio to the target, and the two yardsticks
measured in the same rounds. A ratio above 1.00 is marked "over".
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURE_SPEC = "input 32x32x3, conv 10 5x5 stride 1 pad 2, relu, maxpool 2, flatten, dense 10 softmax"
QUICK_S, SLOW_S = 0.08, 0.3
COMMANDS = {  # label: (arguments, target in seconds)
    "quiz --count 20": (["quiz", "--count", "20"], QUICK_S),
    "calc (issue 25's spec)": (["calc", "input 32x32x3, conv 10 5x5 pad 2"], QUICK_S),
    "calc (lecture spec)": (["calc", LECTURE_SPEC], SLOW_S),
    "calc --json": (["calc", "--json", LECTURE_SPEC], SLOW_S),
    "zoo summary lenet5": (["zoo", "summary", "lenet5"], SLOW_S),
    "zoo list": (["zoo", "list"], SLOW_S),
}
YARDSTICKS = {  # label: (command line, what it is); timed in the same rounds as the commands
    "python -c pass": ([sys.executable, "-c", "pass"], "this Python's start-up alone, 0.011-0.019 s quiet"),
    "python -c 'import click, jinja2'": (
        [sys.executable, "-c", "import click, jinja2"],
        "the floor under a command that renders a template",
    ),
}
WIDTH = max(map(len, YARDSTICKS)) + 1  # the printed labels' column


def convzoo() -> list[str]:
    """The installed console script if there is one beside this Python, else `python cli.py`."""
    script = Path(sys.executable).with_name("convzoo")
    if script.exists():
        return [str(script)]
    found = shutil.which("convzoo")
    return [found] if found else [sys.executable, str(ROOT / "cli.py")]


def timed(argv: list[str]) -> tuple[float, float]:
    """The wall time of one run of a command line, and its CPU time: user and system, its own and that of the
    processes it started and waited for (a class's quiz works in forked workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def seconds(argv: list[str]) -> float:
    return timed(argv)[0]


def median_seconds(argv: list[str], runs: int) -> float:
    """The median wall time of ``runs`` runs of one command line (the other benchmarks time theirs so)."""
    return statistics.median(seconds(argv) for _ in range(runs))


def medians(commands: dict, runs: int) -> dict:
    """The median wall time and the median CPU time of each command line, and of each yardstick, over ``runs``
    rounds, a round running each once in turn: label -> (wall, CPU)."""
    commands = {**commands, **{label: argv for label, (argv, _) in YARDSTICKS.items()}}
    for argv in commands.values():  # once first, unmeasured: the files into the page cache
        seconds(argv)
    times: dict = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            times[label].append(timed(argv))
    return {
        label: (statistics.median(wall for wall, _ in found), statistics.median(cpu for _, cpu in found))
        for label, found in times.items()
    }


def print_yardsticks(found: dict) -> None:
    for label, (_, what) in YARDSTICKS.items():
        print(f"{label:<{WIDTH}} {found[label][0]:>7.3f}s   ({what})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    base = convzoo()
    lines = {label: base + extra for label, (extra, _) in COMMANDS.items()}
    found = medians(lines, args.runs)
    print(f"{'command':<{WIDTH}} {'median':>8} {'target':>7} {'/ target':>9}   ({args.runs} runs each, in turn)")
    for label, (_, target) in COMMANDS.items():
        wall = found[label][0]
        ratio = wall / target
        print(f"{label:<{WIDTH}} {wall:>7.3f}s {target:>6.2f}s {ratio:>8.2f}x{'  over' if ratio > 1 else ''}")
    print_yardsticks(found)


if __name__ == "__main__":
    main()
