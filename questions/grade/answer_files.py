"""The students' answers read from the files people type them into: a copy of the answers template or of the
answers form; one line naming the row and the column of the first thing wrong."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from ..spreadsheet import cell_text
from .columns import FORM, FORM_COLUMNS, TEMPLATE, blank_labels, question_columns, sheet_blanks, version_header
from .quiz_file import AnswersError, GradedQuiz, Sheet


@dataclass
class Student:
    """One student's answers: the text typed for each blank of each question of their version (None: empty)."""

    id: str
    name: str
    version: str
    texts: list[list[str | None]]
    sheet: Sheet  # the questions answered: their version's, or in Moodle those drawn slot by slot
    moodle_grade: str | None = None  # Moodle's own grade, where the answers came from Moodle
    started: str | None = None  # a Moodle attempt's start, as Moodle wrote it
    started_at: tuple = ()  # ... as something to sort by, where it can be read


def read_csv(data: bytes, source: str) -> list[list[str]]:
    """The rows of a CSV file (comma, semicolon or tab separated, as spreadsheets save it); one line naming
    what is wrong where it is not CSV text."""
    if data[:2] in (b"PK", b"\xd0\xcf"):
        raise AnswersError(f"{source}: a spreadsheet file, not CSV; save it as CSV (UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        number = data.count(b"\n", 0, err.start) + 1
        raise AnswersError(f"{source}, row {number}: not UTF-8 text; save the answers as CSV (UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as err:
        raise AnswersError(f"{source}: not CSV ({err})") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise AnswersError(f"{source}: empty; expected the header of {TEMPLATE} and a row per student")
    if "'" in text:  # a cell convzoo wrote as '=1+1 is =1+1
        rows = [[cell_text(cell) for cell in row] for row in rows]
    return rows


def _where(source: str, row: int, column: int, header: str) -> str:
    return f"{source}, row {row}, column {column} ('{header}')"


def _version_of(quiz: GradedQuiz, student_id: str, version: str, at_id: str, at_version) -> str:
    """The version a row is graded as: a roster student's own (a typed version must agree), else the typed one,
    which must be the quiz's. ``at_version`` names the version's cell (called only when there is one to name)."""
    roster = quiz.roster
    if roster:
        if student_id not in roster:
            raise AnswersError(f"{at_id}: '{student_id}' is not on the quiz's roster")
        if version and version != roster[student_id].label:
            raise AnswersError(f"{at_version()}: {student_id}'s version is {roster[student_id].label}, not '{version}'")
        return roster[student_id].label
    if version not in quiz.sheets:
        labels = list(quiz.sheets)
        accepted = labels[0] if len(labels) == 1 else f"{labels[0]}-{labels[-1]}"
        raise AnswersError(f"{at_version()}: version '{version}' is not in the quiz ({accepted})")
    return version


def read_answers(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """Every student's answers from a CSV laid out as ``answers_template``; AnswersError names the row and the
    column of the first thing wrong (an unknown id, a missing or extra column, a version not in the quiz,
    another quiz's sheet)."""
    rows = read_csv(data, source)
    header = [c.strip() for c in rows[0]]
    lowered = [h.lower() for h in header]
    expected = question_columns(quiz)
    by_header = {h: (n, k) for n, k, h in expected}
    for at, h in enumerate(lowered):
        if h.startswith("version of ") and header[at] != version_header(quiz):
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: these answers are for another quiz; this "
                f"quiz's sheet says '{version_header(quiz)}'"
            )
    first_at: dict[str, int] = {}
    for at, h in enumerate(lowered):
        key = "version" if h.startswith("version") else h
        if key and key in first_at:  # the last copy would win: a right answer lost, unseen
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: a second '{header[at]}' column (the first "
                f"is column {first_at[key] + 1}); each column of {TEMPLATE} appears once"
            )
        first_at[key] = at
    fixed: dict[str, int | None] = {"id": None, "name": None, "version": None}
    for at, h in enumerate(lowered):
        key = "version" if h.startswith("version") else h
        if key in fixed and fixed[key] is None:
            fixed[key] = at
        elif header[at] not in by_header:
            raise AnswersError(
                f"{_where(source, 1, at + 1, header[at])}: not a column of this quiz's answer sheet "
                f"({TEMPLATE} has id, name, version, then {expected[0][2]} ... {expected[-1][2]})"
            )
    id_at, version_at = fixed["id"], fixed["version"]
    if id_at is None:
        raise AnswersError(f"{source}, row 1: no 'id' column; the header is that of {TEMPLATE}")
    if version_at is None and not quiz.roster:
        raise AnswersError(f"{source}, row 1: no 'version' column; the header is that of {TEMPLATE}")
    # the version's cell, named only where there is one (a roster's template may leave the column out)
    version_column = (0, "version") if version_at is None else (version_at + 1, header[version_at])
    missing = [h for _, _, h in expected if h not in header]
    if missing:
        raise AnswersError(f"{source}, row 1: no column '{missing[0]}' (every column of {TEMPLATE} is needed)")
    place = {h: at for at, h in enumerate(header)}
    # per version, what takes a row's cells of its blanks (question after question) and where each question's
    # cells end, and the columns it has no blank for, with what joins a row's cells there (a class's rows have many
    # such cells, nearly always empty)
    blanks_at: dict[str, tuple[Callable[[list[str]], tuple[str, ...]], list[tuple[int, int]]]] = {}
    unused_at: dict[str, tuple[list[int], Callable[[list[str]], str]]] = {}
    for label, sheet in quiz.sheets.items():
        widths = [1 if q.choices else len(p) for q, p in zip(sheet.questions, sheet.parts)]
        columns = [[place[h] for n, k, h in expected if n == at and k < width] for at, width in enumerate(widths)]
        ends = [sum(len(c) for c in columns[: n + 1]) for n in range(len(columns))]
        blanks_at[label] = (_cells([at for c in columns for at in c]), list(zip([0, *ends], ends)))
        spare = [place[h] for n, k, h in expected if n >= len(widths) or k >= widths[n]]
        unused_at[label] = (spare, _joined(spare))
    students: list[Student] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not "".join(row).strip():  # every cell empty or spaces (one join, not a strip per cell)
            continue
        if len(row) > len(header) and "".join(row[len(header) :]).strip():
            raise AnswersError(
                f"{source}, row {number}, column {len(header) + 1}: a value past the last column ('{header[-1]}')"
            )
        cell = lambda at: row[at].strip() if at is not None and at < len(row) else ""  # noqa: E731, B023
        student_id, version = cell(id_at), cell(version_at)
        if not student_id:
            raise AnswersError(f"{_where(source, number, id_at + 1, 'id')}: the id is empty")
        if student_id in seen:
            raise AnswersError(
                f"{_where(source, number, id_at + 1, 'id')}: id '{student_id}' is already on row {seen[student_id]}"
            )
        seen[student_id] = number
        version = _version_of(
            quiz,
            student_id,
            version,
            _where(source, number, id_at + 1, "id"),
            lambda: _where(source, number, *version_column),  # noqa: B023
        )
        sheet = quiz.sheets[version]
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        blank_cells, bounds = blanks_at[version]
        typed = [cell.strip() or None for cell in blank_cells(row)]
        texts = [typed[start:end] for start, end in bounds]
        unused_columns, unused_cells = unused_at[version]
        if unused_cells(row).strip():
            unused = next(at for at in unused_columns if row[at].strip())
            raise AnswersError(
                f"{_where(source, number, unused + 1, header[unused])}: version {version}'s question "
                f"{header[unused].split()[0]} has no such blank"
            )
        name = cell(fixed["name"]) or (sheet.student or {}).get("name", "")
        students.append(Student(student_id, name, version, texts, sheet))
    if not students:
        raise AnswersError(f"{source}: a header but no students")
    return students


def _cells(columns: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """What takes a row's cells in ``columns``, in their order."""
    if len(columns) == 1:  # itemgetter of one column gives the cell itself, not in a tuple
        return lambda row: (row[columns[0]],)
    return itemgetter(*columns) if columns else lambda row: ()


def _joined(columns: list[int]) -> Callable[[list[str]], str]:
    """What joins a row's cells in ``columns`` into one string."""
    cells = _cells(columns)
    return lambda row: "".join(cells(row))


def set_absent(
    quiz: GradedQuiz, students: list[Student], absent: list[str], source: str
) -> tuple[list[Student], list[tuple[str, str, str]]]:
    """The students who sat the quiz, and (id, name, version) of each --absent one: an id on the roster or in
    the answers, with no answer typed (an absent student's row is left empty)."""
    by_id = {s.id: s for s in students}
    roster, out = quiz.roster, []
    for student_id in dict.fromkeys(absent):
        typed = by_id.get(student_id)
        if typed is not None and any(t for texts in typed.texts for t in texts):
            raise AnswersError(
                f"--absent {student_id}: {source} has answers for {student_id}; an absent student's "
                "answers are left empty"
            )
        if typed is not None:
            out.append((student_id, typed.name, typed.version))
        elif (sheet := roster.get(student_id)) is not None and sheet.student is not None:
            out.append((student_id, sheet.student["name"], sheet.label))
        else:
            raise AnswersError(f"--absent {student_id}: no such student on the quiz's roster or in {source}")
    gone = {student_id for student_id, _, _ in out}
    present = [s for s in students if s.id not in gone]
    if not present:
        raise AnswersError(f"--absent: every student of {source} is absent; nothing to grade")
    return present, out


def is_form(data: bytes) -> bool:
    """Whether an answers file is laid out as the answers form (its header has question, blank, answer)."""
    first = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    return set(FORM_COLUMNS) <= {c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)}


def read_answer_file(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """The students' answers, from a copy of either sheet ``quiz --out`` writes (the form or the template)."""
    return read_form(quiz, data, source) if is_form(data) else read_answers(quiz, data, source)


def read_form(quiz: GradedQuiz, data: bytes, source: str) -> list[Student]:
    """Every student's answers from a CSV laid out as ``answers_form``; AnswersError names the row and the
    column of the first thing wrong (an unknown id, question or blank, an answer given twice, a student's
    missing row, a version not in the quiz, another quiz's form)."""
    rows = read_csv(data, source)
    header = [c.strip() for c in rows[0]]
    place: dict[str, int] = {}
    for at, h in enumerate(header):
        key = "version" if h.lower().startswith("version") else h.lower()
        if key == "version" and h != version_header(quiz):
            raise AnswersError(
                f"{_where(source, 1, at + 1, h)}: these answers are for another quiz; this quiz's "
                f"form says '{version_header(quiz)}'"
            )
        if key not in ("id", "name", "version", *FORM_COLUMNS) or key in place:
            raise AnswersError(
                f"{_where(source, 1, at + 1, h)}: not a column of {FORM} (id, name, version, "
                f"{', '.join(FORM_COLUMNS)}){' twice' if key in place else ''}"
            )
        place[key] = at
    for needed in ("id", *FORM_COLUMNS) + (() if quiz.roster else ("version",)):
        if needed not in place:
            raise AnswersError(f"{source}, row 1: no '{needed}' column; the header is that of {FORM}")
    students: dict[str, Student] = {}
    seen: dict[tuple[str, int, int], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise AnswersError(
                f"{source}, row {number}, column {len(header) + 1}: a value past the last column ('{header[-1]}')"
            )
        cell = lambda key: row[place[key]].strip() if key in place and place[key] < len(row) else ""  # noqa: E731, B023
        where = lambda key: _where(source, number, place[key] + 1, header[place[key]])  # noqa: E731, B023
        student_id, version, answer = cell("id"), cell("version"), cell("answer")
        if not student_id:
            if answer:
                raise AnswersError(f"{where('id')}: an answer without an id")
            continue  # a row of the form left as it was written (a version's, copied for each student)
        version = _version_of(quiz, student_id, version, where("id"), lambda: where("version"))  # noqa: B023
        student = students.get(student_id)
        if student is None:
            sheet = quiz.sheets[version]
            texts: list[list[str | None]] = [
                [None] * (1 if q.choices else len(p)) for q, p in zip(sheet.questions, sheet.parts)
            ]
            name = cell("name") or (sheet.student or {}).get("name", "")
            student = students[student_id] = Student(student_id, name, version, texts, sheet)
        elif student.version != version:
            raise AnswersError(
                f"{where('version')}: {student_id} wrote version {student.version} (on the rows before), not {version}"
            )
        sheet = student.sheet
        try:
            n = int(cell("question"))
        except ValueError:
            n = 0
        if not 1 <= n <= len(sheet.questions):
            raise AnswersError(
                f"{where('question')}: '{cell('question')}' is not a question of version "
                f"{version} (1-{len(sheet.questions)})"
            )
        labels = blank_labels(sheet.questions[n - 1], sheet.parts[n - 1])
        if cell("blank") not in labels:
            accepted = "empty" if labels == [""] else f"'{labels[0]}' ... '{labels[-1]}'"
            raise AnswersError(
                f"{where('blank')}: question {n} of version {version} has no blank '{cell('blank')}' ({accepted})"
            )
        k = labels.index(cell("blank"))
        if (student_id, n, k) in seen:
            raise AnswersError(
                f"{where('answer')}: {student_id}'s question {n}{f' {labels[k]}' if labels[k] else ''}"
                f" is already on row {seen[student_id, n, k]}"
            )
        seen[student_id, n, k] = number
        student.texts[n - 1][k] = answer or None
    if not students:
        raise AnswersError(f"{source}: no answers with an id")
    for student in students.values():
        for n, k, label in sheet_blanks(student.sheet):
            if (student.id, n, k) not in seen:
                raise AnswersError(
                    f"{source}: no row for {student.id}'s question {n}{f' {label}' if label else ''} "
                    f"(every row of {FORM} is needed; an answer not given is left empty)"
                )
    return list(students.values())
