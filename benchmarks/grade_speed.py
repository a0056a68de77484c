"""Grading speed, as a whole process: `convzoo grade` of 1,000 students x 20 questions (four versions, the
answers made from the keys with a wrong or empty blank here and there), grades.csv, 1,000 feedback pages and the
report with its charts. Target: <= 5 s on 2 cores.

Run: python benchmarks/grade_speed.py [--runs 5]
Prints the median of the runs and its ratio to the target.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_latency import convzoo, median_seconds  # noqa: E402  (the same command, timed the same way)

STUDENTS, COUNT, VERSIONS, TARGET = 1000, 20, 4, 5.0


def answers(folder: Path, students: int = STUDENTS) -> Path:
    """answers.csv for the quiz in ``folder``: each blank right, wrong by one, or empty."""
    from convzoo.questions.grade import question_columns, read_quiz

    quiz = read_quiz((folder / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    columns = question_columns(quiz)
    header = next(csv.reader(open(folder / "answers-template.csv", encoding="utf-8")))
    rng = random.Random(5)
    path = folder / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(students):
            sheet = quiz.sheets["ABCD"[n % VERSIONS]]
            row = {h: "" for h in header}
            row.update({"id": f"s{n:04d}", "name": f"Student {n}", header[2]: sheet.label})
            for q, k, column in columns:
                if q < len(sheet.parts) and k < len(sheet.parts[q]):
                    blank = sheet.parts[q][k]
                    row[column] = rng.choice(
                        [blank.answer_text] * 3 + [blank.type.text(w.value) for w in blank.mistakes[:2]] + [""]
                    )
            writer.writerow([row[h] for h in header])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = convzoo()
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out) / "exam"
        subprocess.run(
            base
            + ["quiz", "--count", str(COUNT), "--versions", str(VERSIONS), "--format", "json", "--out", str(folder)],
            check=True,
            capture_output=True,
        )
        path = answers(folder)
        seconds = median_seconds(
            base + ["grade", str(folder), "--answers", str(path), "--out", str(Path(out) / "report"), "--force"],
            args.runs,
        )
    label = f"grade {STUDENTS} students x {COUNT}"
    print(f"{'command':<34} {'median':>8} {'/ target':>9}   ({args.runs} runs each)")
    print(f"{label:<34} {seconds:>7.3f}s {seconds / TARGET:>8.2f}x   (target {TARGET} s)")


if __name__ == "__main__":
    main()
