"""`convzoo scan` on a class's sheets as they come back (issue 24's targets, on 30 students):

A quiz of 4 versions is printed with --scannable; 30 students write it (tests/handwriting.py: their IDs and
answers in MNIST's test digits, ticks as pen crosses and fills; about one field in ten wrong on purpose and one
in twelve left blank); every page is scanned at 150 dpi, turned up to 3 degrees, shifted, scaled, blurred,
noised and saved as JPEG (a tenth upside down, a tenth photographed in perspective), shuffled, in scanner PDFs and
single pictures. Then `convzoo scan` reads them, and:
- pages identified: target all;
- tick boxes (choices, fits / does not fit, signs) read right: target >= 99.9%;
- numbers read right without review: target >= 97% of number fields; wrong and not sent to review: <= 1%;
  sent to review: <= 15%;
- speed: the whole `convzoo scan` command, pages per minute (target 180 pages in <= 60 s on 2 cores), and its
  peak memory (target <= 2 GB);
- the grades from the scanned sheets, once the fields in review.csv are corrected by a person (here: the truth
  written into its answer column, as the review page saves it), equal the grades from the same answers typed.

Run: python benchmarks/scan_accuracy.py [--students 30] [--seed 7]   (needs ../shared/data/mnist/mnist.npz)
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
from cli_latency import convzoo  # noqa: E402
from handwriting import Digits, layout_of, scanned_class  # noqa: E402

MNIST = HERE.parent.parent / "shared" / "data" / "mnist" / "mnist.npz"
QUIZ = ["quiz", "--count", "12", "--versions", "4", "--format", "pdf", "--scannable", "--seed", "2024"]


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def rows_by_id(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def forms_by_column(layout: dict) -> dict[tuple[str, str], dict]:
    """(version, column) -> its field in layout.json."""
    return {(p["sheet"], f["column"]): f for p in layout["pages"] for f in p["fields"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="List each number read wrong and not sent to review.")
    parser.add_argument("--keep", metavar="DIR", help="Work in DIR (kept: the exam, the scans, what scan wrote).")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="Also scan with every field's confidence listed, and show the numbers' figures at other --confident.",
    )
    args = parser.parse_args()
    base = convzoo()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        if args.keep:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
        exam = work / "exam"
        made = run(base + QUIZ + ["--out", str(exam)])
        if made.returncode:
            sys.exit(made.stderr)
        labels = ["ABCD"[k % 4] for k in range(args.students)]
        started = time.perf_counter()
        written = scanned_class(exam, work / "scans", labels, Digits.load(MNIST), seed=args.seed)
        print(
            f"{args.students} students, {written.pages} pages scanned into {len(written.files)} files "
            f"(made in {time.perf_counter() - started:.0f} s)"
        )
        roster = work / "class.csv"  # the class list, as an instructor has it
        with open(roster, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["id", "name"]] + [[s, f"Student {s}"] for s, _, _ in written.students])
        scan = base + ["scan", str(exam), str(work / "scans"), "--out", str(work / "marks"), "--roster", str(roster)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        scanned = run(scan)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if scanned.returncode:
            sys.exit(scanned.stderr)
        trouble = [line for line in scanned.stderr.splitlines() if line.startswith("convzoo:")]
        summary = scanned.stdout.splitlines()[0]
        read = rows_by_id(work / "marks" / "answers.csv")
        with open(work / "marks" / "review.csv", encoding="utf-8", newline="") as handle:
            review = list(csv.DictReader(handle))
        in_review = {(r["id"], r["column"]) for r in review}
        fields = forms_by_column(layout_of(exam))

        ticks = ticks_right = numbers = right_sure = wrong_sure = to_review = 0
        for student_id, label, answers in written.students:
            row = read.get(student_id, {})
            for column, text in answers.items():
                form = fields[label, column]["form"]
                got = row.get(column, "")
                reviewed = (student_id, column) in in_review
                if form in ("choice", "fit"):
                    ticks += 1
                    ticks_right += got == text
                    if got != text and args.show:
                        print(f"  tick read wrong: {student_id} {label} {column!r}: ticked {text!r}, read {got!r}")
                    continue
                marks = [b["value"] for b in fields[label, column]["boxes"] if b["holds"] == "mark"]
                for value in marks:  # a sign or 'does not fit': each tick box on its own
                    ticks += 1
                    ticks_right += (value in text or text == value) == (value in got or got == value)
                    if (value in text or text == value) != (value in got or got == value) and args.show:
                        print(
                            f"  tick read wrong: {student_id} {label} {column!r} {value!r}: "
                            f"wrote {text!r}, read {got!r}"
                        )
                numbers += 1
                to_review += reviewed
                if not reviewed:
                    right_sure += got == text
                    wrong_sure += got != text
                    if got != text and args.show:
                        print(f"  wrong, not in review: {student_id} {label} {column!r}: wrote {text!r}, read {got!r}")
        identified = written.pages - sum("no readable code" in line for line in trouble)
        print(f"convzoo scan: {summary}")
        for line in trouble:
            print(f"  {line}")
        print(f"{'pages identified':<44} {identified}/{written.pages}   (target: all)")
        print(f"{'tick boxes read right':<44} {ticks_right}/{ticks} = {ticks_right / ticks:.2%}   (target >= 99.9%)")
        print(
            f"{'numbers read right, not sent to review':<44} {right_sure}/{numbers} = {right_sure / numbers:.1%}"
            "   (target >= 97%)"
        )
        print(
            f"{'numbers wrong and not sent to review':<44} {wrong_sure}/{numbers} = {wrong_sure / numbers:.1%}"
            "   (target <= 1%)"
        )
        print(f"{'numbers sent to review':<44} {to_review}/{numbers} = {to_review / numbers:.1%}   (target <= 15%)")
        print(
            f"{'speed':<44} {written.pages} pages in {seconds:.1f} s = {written.pages / seconds * 60:.0f} pages a "
            f"minute   (target: 180 pages in <= 60 s)"
        )
        print(f"{'peak memory of the scan':<44} {max(peak, before) / 1024:.0f} MB   (target <= 2048 MB)")
        print(grades_agree(base, scan, exam, work, written, review))
        if args.sweep:
            sweep(base + ["scan", str(exam), str(work / "scans"), "--roster", str(roster)], work, written, fields)


def sweep(scan: list[str], work: Path, written, fields: dict) -> None:
    """The numbers' figures at other thresholds: one scan with every field's confidence in review.csv."""
    listed = run(scan + ["--out", str(work / "every"), "--confident", "1"])
    if listed.returncode:
        sys.exit(listed.stderr)
    read = rows_by_id(work / "every" / "answers.csv")
    from convzoo.questions.scan import LOW_CONFIDENCE

    with open(work / "every" / "review.csv", encoding="utf-8", newline="") as handle:
        # a field doubted for another reason than its confidence is listed at every threshold
        confidence = {
            (r["id"], r["column"]): float(r["confidence"]) if r["why"] == LOW_CONFIDENCE else -1.0
            for r in csv.DictReader(handle)
        }
    numbers = [
        (student_id, column, text)
        for student_id, label, answers in written.students
        for column, text in answers.items()
        if fields[label, column]["form"] not in ("choice", "fit")
    ]
    print("--confident   numbers right, not in review   wrong, not in review   sent to review")
    for threshold in (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99):
        right = wrong = 0
        for student_id, column, text in numbers:
            if confidence.get((student_id, column), 1.0) >= threshold:
                got = read.get(student_id, {}).get(column, "")
                right += got == text
                wrong += got != text
        n = len(numbers)
        print(f"{threshold:<13} {right / n:>29.1%} {wrong / n:>22.1%} {(n - right - wrong) / n:>16.1%}")


def grades_agree(base: list[str], scan: list[str], exam: Path, work: Path, written, review: list[dict]) -> str:
    """The review done as a person would (each listed field's answer filled in with what was written), scanned
    again with --corrections, graded; and the same answers typed, graded: are the grades the same?"""
    truth = {student_id: answers for student_id, _, answers in written.students}
    corrections = work / "corrections.csv"
    with open(corrections, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(review[0]) if review else ["where", "column", "answer"])
        writer.writeheader()
        for row in review:  # the person looks at the page: who wrote it, and what
            if not row["where"]:  # a page not scanned: scan it again, there is nothing to correct
                continue
            who = written.writers[row["where"]]
            row["answer"] = who if row["column"] == "id" else truth[who].get(row["column"], "") or "(blank)"
            writer.writerow(row)
    again = run(scan + ["--force", "--corrections", str(corrections)])
    if again.returncode:
        return f"grades: the scan with corrections failed: {again.stderr.strip()}"
    typed = work / "typed.csv"
    with open(exam / "answers-template.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(typed, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for student_id, label, answers in written.students:
            writer.writerow([student_id, f"Student {student_id}", label] + [answers.get(c, "") for c in header[3:]])
    grades = {}
    for name, answers in (("scanned", work / "marks" / "answers.csv"), ("typed", typed)):
        graded = run(base + ["grade", str(exam), "--answers", str(answers), "--out", str(work / name)])
        if graded.returncode:
            return f"grades: grade of the {name} answers failed: {graded.stderr.strip()}"
        grades[name] = {r["id"]: r for r in csv.DictReader(open(work / name / "grades.csv", encoding="utf-8"))}
    same = sum(grades["scanned"].get(i) == row for i, row in grades["typed"].items())
    return f"{'grades, scanned and reviewed = typed':<44} {same}/{len(grades['typed'])} students   (target: all)"


if __name__ == "__main__":
    main()
