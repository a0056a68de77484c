"""`--verify` at class scale: `convzoo quiz --versions 50 --count 20 --verify` (1,000 keys read again off real
Keras layers), as a whole process. Targets: peak memory <= 1.5 GB, >= 150 keys/s.

Run: python benchmarks/verify_scale.py [--runs 3]
Prints, per run and as medians: the peak resident memory of the process, the keys per second of the check
(the command's own figure: the Keras check alone, after TensorFlow has started) and the whole process's seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import convzoo  # noqa: E402  (the installed command, as the other benchmarks run it)

ARGS = ["quiz", "--versions", "50", "--count", "20", "--verify", "--format", "json"]


def one_run(out: str) -> tuple[float, float, float]:
    started = time.perf_counter()
    child = subprocess.Popen(
        [*convzoo(), *ARGS, "--out", out, "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    stderr = child.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the command failed:\n{stderr}")
    rate = float(re.search(r"\((\d+) keys/s\)", stderr).group(1))
    return usage.ru_maxrss / 1024 / 1024, rate, seconds  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as out:
        for n in range(args.runs):
            runs.append(one_run(out))
            print(f"run {n + 1}: peak {runs[-1][0]:.2f} GB, {runs[-1][1]:.0f} keys/s, {runs[-1][2]:.1f} s in all")
    peak, rate, seconds = (statistics.median(r[i] for r in runs) for i in range(3))
    print(
        f"median: peak {peak:.2f} GB ({peak / 1.5:.2f}x the 1.5 GB target), {rate:.0f} keys/s "
        f"({rate / 150:.2f}x the 150 keys/s target), {seconds:.1f} s in all"
    )


if __name__ == "__main__":
    main()
