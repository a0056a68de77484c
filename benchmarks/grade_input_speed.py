"""How fast `convzoo grade` reads its input: Moodle's Responses report (the real export in
../shared/data/moodle, its 12 attempts repeated as 1,000 students) and a typed answers file of 100,000 students
(20 questions of four versions, answers made from the keys as in grade_speed.py).

Per row, in one process: reading (read_responses / read_answers), marking (mark, by_student) and the class's
statistics (summarize), each the median of --runs runs. Then whole `convzoo grade` commands (their pages and
report included): the Moodle file (median of --runs) and, with --whole, the 100,000-row file once, with the
peak memory of its largest process (it writes 100,000 pages as they are made).
Targets (issue 21): Moodle read at <= 0.5 ms a row; 100,000 rows read, marked and summarized in <= 30 s, and
the whole command on them in <= 30 s.

Run: python benchmarks/grade_input_speed.py [--runs 5] [--rows 100000] [--whole] [--scratch DIR]
(--scratch: where the files are made and the pages written, the system's temporary folder by default; a
folder in memory, such as /dev/shm, measures the command without the disk's writeback.)
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import convzoo, median_seconds  # noqa: E402
from grade_speed import answers  # noqa: E402

MOODLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "moodle"
MOODLE_ROWS, MOODLE_TARGET_MS, ROWS_TARGET_S = 1000, 0.5, 30.0
WHOLE = "  whole command (pages, report)"


def moodle_file(folder: Path) -> Path:
    """The real Responses export, its finished attempts repeated as MOODLE_ROWS students."""
    text = (MOODLE / "moodle" / "responses_qtext_right.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    header = rows[0]
    email, status = header.index("Email address"), header.index("Status")
    finished = [r for r in rows[1:] if r[status] == "Finished"]
    path = folder / "responses.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(MOODLE_ROWS):
            row = list(finished[n % len(finished)])
            row[email] = f"u{n:05d}@example.edu"
            writer.writerow(row)
    return path


def phases(quiz_json: Path, path: Path, moodle: bool, runs: int) -> dict[str, float]:
    """Seconds per phase (median of ``runs``), as grade runs them (its collector off while they run)."""
    from convzoo.questions.grade import by_student, mark, read_answers, read_quiz, summarize
    from convzoo.questions.moodle_results import read_responses

    data = path.read_bytes()
    times: dict[str, list[float]] = {"read": [], "mark": [], "summarize": []}
    for _ in range(runs):
        quiz = read_quiz(quiz_json.read_text(encoding="utf-8"), str(quiz_json))  # fresh: nothing read before
        gc.disable()
        started = time.perf_counter()
        students = read_responses(quiz, data, str(path))[0] if moodle else read_answers(quiz, data, str(path))
        read = time.perf_counter()
        results = by_student([mark(s) for s in students], "highest", str(path))
        marked = time.perf_counter()
        summarize(results)
        done = time.perf_counter()
        gc.enable()
        gc.collect()
        for name, seconds in (("read", read - started), ("mark", marked - read), ("summarize", done - marked)):
            times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--whole", action="store_true", help="also the whole command on the --rows file")
    parser.add_argument("--scratch", help="the folder to work in (default: the system's temporary folder)")
    args = parser.parse_args()
    base = convzoo()
    with tempfile.TemporaryDirectory(dir=args.scratch) as out:
        out = Path(out)
        print(f"{'input':<34} {'read':>9} {'mark':>9} {'summarize':>10} {'all':>9}   (median of {args.runs} runs)")
        if (MOODLE / "moodle").is_dir():
            export = MOODLE / "convzoo" / "export"
            path = moodle_file(out)
            t = phases(export / "quiz.json", path, True, args.runs)
            per_row = {k: 1000 * v / MOODLE_ROWS for k, v in t.items()}
            label = f"Moodle responses, {MOODLE_ROWS} rows"
            print(
                f"{label:<34} {per_row['read']:>6.3f} ms {per_row['mark']:>6.3f} ms {per_row['summarize']:>7.3f} ms "
                f"{sum(per_row.values()):>6.3f} ms a row   (read: target {MOODLE_TARGET_MS} ms, "
                f"{per_row['read'] / MOODLE_TARGET_MS:.2f}x)"
            )
            whole = median_seconds(
                base + ["grade", str(export), "--moodle", str(path), "--out", str(out / "m"), "--force"], args.runs
            )
            print(f"{WHOLE:<34} {whole:>8.2f} s = {1000 * whole / MOODLE_ROWS:.2f} ms a row")
        else:
            print(f"(no {MOODLE}: the Moodle rows are left out)")
        folder = out / "exam"
        subprocess.run(
            base + ["quiz", "--count", "20", "--versions", "4", "--format", "json", "--out", str(folder)],
            check=True,
            capture_output=True,
        )
        path = answers(folder, args.rows)
        t = phases(folder / "quiz.json", path, False, max(1, args.runs // 2))
        total = sum(t.values())
        label = f"answers file, {args.rows:,} rows"
        print(
            f"{label:<34} {t['read']:>7.2f} s {t['mark']:>7.2f} s {t['summarize']:>8.2f} s {total:>7.2f} s   "
            f"(target {ROWS_TARGET_S} s, {total / ROWS_TARGET_S:.2f}x)"
        )
        if args.whole:
            started = time.perf_counter()
            subprocess.run(
                base + ["grade", str(folder), "--answers", str(path), "--out", str(out / "a"), "--force"],
                check=True,
                capture_output=True,
            )
            whole = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB -> GiB (Linux)
            print(
                f"{WHOLE:<34} {whole:>8.2f} s = {1000 * whole / args.rows:.2f} ms a row   (target {ROWS_TARGET_S} s, "
                f"{whole / ROWS_TARGET_S:.2f}x; peak memory of one process {peak:.2f} GiB)"
            )


if __name__ == "__main__":
    main()
