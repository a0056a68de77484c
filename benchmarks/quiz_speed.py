"""A class's quiz, as a whole process (the way instructors wait for it), issue 25's targets:
- `convzoo quiz --count 20 --versions 1000 --format html --out DIR` (sheets, keys, marking key, quiz.json and
  the answer sheets): target <= 2 s;
- the same with `--format moodle`: target <= 2 s;
- the same with `--format json` to stdout: target <= 1.5 s.
Beside them, the yardsticks measured in the same run: `python -c pass` (a process that does nothing) and
`python -c 'import click, jinja2'` (the floor under any command that renders a template).
R/exams, the other yardstick of the issue, takes about 23 s per 50 x 20 for exams2html and 550 s for
exams2moodle (not installed here).

`--baseline REV` also times convzoo as it was at git revision REV of this checkout (34e1d93 is the last commit
of November, the issue's "in November" column), built from the history into a temporary folder and run in the
same rounds, each command in turn with this one's; `quiz --count 20` is timed too, both as `python -m convzoo`.

Run: python benchmarks/quiz_speed.py [--runs 5] [--baseline REV]   (or `make bench`)
Prints the median of the runs for each, its median CPU time (user and system, the workers' included) and its
ratio to the target (with --baseline, also to REV's). Over N cores a command cannot end before its CPU time / N:
a target of T seconds allows at most N x T CPU-seconds of work, printed beside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import ROOT, WIDTH, convzoo, medians, print_yardsticks  # noqa: E402  (the same commands, timed the same way)

CLASS = ["quiz", "--count", "20", "--versions", "1000"]


def built_at(revision: str, folder: Path) -> list[str]:
    """A command line that runs convzoo as it was at ``revision``: its files from git, installed (without
    dependencies: this Python's serve) into ``folder``."""
    source, site = folder / "source", folder / "site"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True)
    if archive.returncode != 0:
        sys.exit(f"quiz_speed: --baseline {revision}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", site]
        + [str(source)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return ["env", f"PYTHONPATH={site}", sys.executable, "-m", "convzoo"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also time convzoo at this git revision, in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        cases = {  # label: (arguments, with {out} for the folder, target in seconds)
            "1000 x 20, html --out": (CLASS + ["--format", "html", "--out", "{out}/html", "--force"], 2.0),
            "1000 x 20, moodle --out": (CLASS + ["--format", "moodle", "--out", "{out}/moodle", "--force"], 2.0),
            "1000 x 20, json to stdout": (CLASS + ["--format", "json"], 1.5),
        }
        runs = {"now": convzoo()}
        if args.baseline:
            cases["quiz --count 20"] = (["quiz", "--count", "20"], 0.08)
            runs = {"now": [sys.executable, "-m", "convzoo"], args.baseline: built_at(args.baseline, Path(out))}
            os.environ.pop("PYTHONPATH", None)  # this checkout's run finds the installed convzoo, not a path
        lines = {
            (label, which): base + [a.format(out=f"{out}/{which}") for a in extra]
            for label, (extra, _) in cases.items()
            for which, base in runs.items()
        }
        found = medians(lines, args.runs)
    cores = os.cpu_count() or 1
    print(
        f"{'command':<{WIDTH}} {'median':>8} {'CPU':>8} {'/ target':>9}"
        + (f" {'/ ' + args.baseline:>10}" if args.baseline else "")
        + f"   ({args.runs} runs each, in turn)"
    )
    for label, (_, target) in cases.items():
        for which in runs:
            seconds, cpu = found[label, which]
            ratio = f" {seconds / found[label, args.baseline][0]:>9.2f}x" if args.baseline else ""
            named = label if which == "now" else f"  the same at {which}"
            allowed = f"target {target} s: at most {cores * target:g} CPU-s on these {cores} cores"
            print(f"{named:<{WIDTH}} {seconds:>7.3f}s {cpu:>7.2f}s {seconds / target:>8.2f}x{ratio}   ({allowed})")
    print_yardsticks(found)


if __name__ == "__main__":
    main()
