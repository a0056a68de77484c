"""Quiz generation speed, as a whole process (the way instructors wait for it):
- `convzoo quiz --count 20` (markdown on stdout): target <= 0.3 s;
- `convzoo quiz --count 20 --versions 1000 --format html --out DIR` (sheets and keys): target <= 3 s.

Run: python benchmarks/quiz_speed.py [--runs 5]
Prints the median of the runs for each, and its ratio to the target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import convzoo, median_seconds  # noqa: E402  (the same command, timed the same way)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = convzoo()
    with tempfile.TemporaryDirectory() as out:
        cases = [
            ("quiz --count 20 (md, stdout)", ["quiz", "--count", "20"], 0.3),
            (
                "1000 versions x 20, html + keys",
                ["quiz", "--count", "20", "--versions", "1000", "--format", "html", "--out", out, "--force"],
                3.0,
            ),
        ]
        print(f"{'command':<34} {'median':>8} {'/ target':>9}   ({args.runs} runs each)")
        for label, extra, target in cases:
            seconds = median_seconds(base + extra, args.runs)
            print(f"{label:<34} {seconds:>7.3f}s {seconds / target:>8.2f}x   (target {target} s)")


if __name__ == "__main__":
    main()
