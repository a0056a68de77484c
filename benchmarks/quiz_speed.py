"""A class's quiz, as a whole process (the way instructors wait for it), issue 25's targets:
- `convzoo quiz --count 20 --versions 1000 --format html --out DIR` (sheets, keys, marking key, quiz.json and
  the answer sheets): target <= 2 s;
- the same with `--format moodle`: target <= 2 s;
- the same with `--format json` to stdout: target <= 1.5 s.
Beside them, the yardstick measured in the same run: `python -c pass` (a process that does nothing).
R/exams, the other yardstick of the issue, takes about 23 s per 50 x 20 for exams2html and 550 s for
exams2moodle (not installed here).

Run: python benchmarks/quiz_speed.py [--runs 5]   (or `make bench`)
Prints the median of the runs for each, and its ratio to the target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import convzoo, median_seconds  # noqa: E402  (the same command, timed the same way)

CLASS = ["quiz", "--count", "20", "--versions", "1000"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = convzoo()
    with tempfile.TemporaryDirectory() as out:
        cases = [
            ("1000 x 20, html --out", CLASS + ["--format", "html", "--out", f"{out}/html", "--force"], 2.0),
            ("1000 x 20, moodle --out", CLASS + ["--format", "moodle", "--out", f"{out}/moodle", "--force"], 2.0),
            ("1000 x 20, json to stdout", CLASS + ["--format", "json"], 1.5),
        ]
        print(f"{'command':<28} {'median':>8} {'/ target':>9}   ({args.runs} runs each)")
        yardstick = median_seconds([sys.executable, "-c", "pass"], args.runs)
        print(f"{'yardstick: python -c pass':<28} {yardstick:>7.3f}s")
        for label, extra, target in cases:
            seconds = median_seconds(base + extra, args.runs)
            print(f"{label:<28} {seconds:>7.3f}s {seconds / target:>8.2f}x   (target {target} s)")


if __name__ == "__main__":
    main()
