"""The answer sheet's columns, as the typist sees them: the template (a row per student, a column per blank) and
the form (a row per blank, in the order of each student's sheet)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..spreadsheet import csv_text
from .quiz_file import GradedQuiz, Sheet

TEMPLATE = "answers-template.csv"
FORM = "answers-by-sheet.csv"  # the same answers, a row per blank in the order of each student's sheet
FORM_COLUMNS = ("question", "blank", "answer")


@lru_cache(maxsize=4096)  # a class's sheets label their blanks alike: 'row 3 shape' a thousand times
def short_label(label: str) -> str:
    """A blank's label as a column header: 'row 3, Output shape' -> 'row 3 shape', 'output row 0, column 1'
    -> 'row 1 col 2' (counted from 1, as the table's rows are)."""
    cell = re.fullmatch(r"output row (\d+), column (\d+)", label)
    if cell:
        return f"row {int(cell.group(1)) + 1} col {int(cell.group(2)) + 1}"
    row = re.fullmatch(r"row (\d+), (.+)", label)
    if row:
        what = row.group(2).lower()
        return f"row {row.group(1)} " + {"output shape": "shape", "param #": "params"}.get(what, what)
    return label


def blank_labels(question, parts) -> list[str]:
    """A question's columns: one for multiple choice (the letter or the option) and a single blank."""
    return [""] if question.choices or len(parts) == 1 else [short_label(p.label) for p in parts]


def question_columns(quiz: GradedQuiz) -> list[tuple[int, int, str]]:
    """(question number on the sheet, blank index, header) for every column after id, name, version. Versions
    order their questions differently, so a number's blanks are the most any version has there, each headed by
    its label where every version's agrees ('5 row 3 shape'), else by its place ('5 blank 3')."""
    count = max(len(s.questions) for s in quiz.sheets.values())
    columns = []
    for n in range(count):
        # each different labelling once: a class's thousand sheets label a number's blanks in a few ways
        labels = {tuple(blank_labels(s.questions[n], s.parts[n])) for s in quiz.sheets.values() if n < len(s.questions)}
        width = max(len(found) for found in labels)
        if width == 1 and all(found == ("",) for found in labels):
            columns.append((n, 0, str(n + 1)))
            continue
        for k in range(width):
            names = {found[k] for found in labels if k < len(found)}
            columns.append(
                (n, k, f"{n + 1} {names.pop() if len(names) == 1 and '' not in names else f'blank {k + 1}'}")
            )
    return columns


def version_header(quiz: GradedQuiz) -> str:
    """The version column's header, naming the quiz, so that another quiz's answers are told apart."""
    return f"version of {quiz.title} (seed {quiz.seed})"


def answers_template(quiz: GradedQuiz) -> str:
    """CSV to type the answers into: a row per student of a roster (id, name and version filled in) or per
    version (copy it once per student who wrote that version)."""
    columns = question_columns(quiz)
    rows = [["id", "name", version_header(quiz)] + [header for _, _, header in columns]]
    for sheet in quiz.sheets.values():
        who = [sheet.student["id"], sheet.student["name"]] if sheet.student else ["", ""]
        rows.append(who + [sheet.label] + [""] * len(columns))
    return csv_text(rows)


def sheet_blanks(sheet: Sheet) -> list[tuple[int, int, str]]:
    """(question number, blank index, blank) of every answer on a sheet, in its order: the blank empty where a
    question has one answer (a number, a volume, the letter circled), else as the template names it
    ('row 3 shape', 'row 1 col 2', 'S = 2')."""
    return [
        (n, k, label)
        for n, (q, parts) in enumerate(zip(sheet.questions, sheet.parts), start=1)
        for k, label in enumerate(blank_labels(q, parts))
    ]


def answers_form(quiz: GradedQuiz) -> str:
    """The answers form: a row per answer, student after student (per version, to copy once per student who
    wrote it, without a roster), each student's rows in the order of their sheet, the question numbered as
    printed; the typist goes down the paper and the rows together."""
    rows: list[list[str | int]] = [["id", "name", version_header(quiz), *FORM_COLUMNS]]
    for sheet in quiz.sheets.values():
        who = [sheet.student["id"], sheet.student["name"]] if sheet.student else ["", ""]
        rows += [[*who, sheet.label, n, label, ""] for n, _, label in sheet_blanks(sheet)]
    return csv_text(rows)
