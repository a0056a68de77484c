"""Typing a roster exam's answers from the printed sheets: how many cells does the typist have to look up, in
answers-template.csv (a row per student, a column per question and blank of any version) and in
answers-by-sheet.csv (a row per answer, each student's rows in the order of their sheet)?

The typist takes the papers one by one and types each answer in the order the sheet prints it (question 1,
its blanks row by row, then question 2, ...). After typing a cell, one key moves the cursor to the next cell:
Tab to the cell on the right in the template, Enter to the cell below in the form. A cell is *looked up*
when the next answer's cell is not the one that key leads to, so the typist has to search the headers (or
labels) for it; finding a student's row (or first row) is one lookup per paper in either file. Every blank is
counted as typed, so a student who leaves answers empty changes nothing.

Run: python benchmarks/answer_lookups.py [--students 30] [--count 10] [--seed 2022]
Prints the lookups with each file, the cells passed over in the template, and the ratio.
"""

from __future__ import annotations

import argparse


def lookups(students: int, count: int, seed: int) -> dict:
    from convzoo.questions.grade import graded_from_drawn, question_columns, sheet_blanks
    from convzoo.questions.quiz import build_quiz

    roster = tuple((f"s{n:03d}", f"Student {n}") for n in range(students))
    graded = graded_from_drawn(build_quiz(count=count, seed=seed, students=roster, secret="lookups"))
    column = {(n, k): at for at, (n, k, _) in enumerate(question_columns(graded))}
    template = form = skipped = answers = 0
    for sheet in graded.sheets.values():
        template += 1  # the student's row
        form += 1  # the student's first row
        order = [(n - 1, k) for n, k, _ in sheet_blanks(sheet)]
        answers += len(order)
        for before, after in zip(order, order[1:]):
            step = column[after] - column[before]
            if step != 1:  # Tab does not reach it: search the header for '5 row 3 shape' or '5 blank 3'
                template += 1
                skipped += abs(step) - 1
        # in the form the next answer is always the next row: Enter reaches it
    return {
        "students": students,
        "answers": answers,
        "template columns": 3 + len(column),
        "template lookups": template,
        "form lookups": form,
        "template cells passed over": skipped,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2022)
    options = parser.parse_args()
    found = lookups(options.students, options.count, options.seed)
    for name, value in found.items():
        print(f"{name}: {value:,}")
    print(f"lookups, template / form: {found['template lookups'] / found['form lookups']:.1f}")


if __name__ == "__main__":
    main()
