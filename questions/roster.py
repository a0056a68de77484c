"""A class roster (CSV with columns id and name; other columns are ignored) and the roster key."""

from __future__ import annotations

import csv
import io

from ..zoo.spec import SpecError
from .spreadsheet import cell_text, csv_text


class RosterError(SpecError):
    """A roster that cannot be used; the message names the row."""


def read_roster(data: bytes, source: str) -> tuple[tuple[str, str], ...]:
    """((id, name), ...) in the roster's order."""
    lines = data.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise RosterError(f"{source}, row {number}: not UTF-8 text; save the roster as UTF-8 CSV") from None
    text = data.decode("utf-8-sig")  # a spreadsheet's byte-order mark is not part of the first column's name
    rows = [[cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text))]  # roster-key.csv too
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError(f"{source}: the roster is empty; expected a header row 'id,name' and a row per student")
    header = [cell.strip().lower() for cell in rows[0]]
    if "id" not in header:
        raise RosterError(f"{source}, row 1: no 'id' column (found: {', '.join(rows[0])}); expected 'id,name'")
    id_at, name_at = header.index("id"), header.index("name") if "name" in header else None
    students: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        student_id = row[id_at].strip() if id_at < len(row) else ""
        if not student_id:
            raise RosterError(f"{source}, row {number}: the id is empty")
        if student_id in seen:
            raise RosterError(f"{source}, row {number}: id '{student_id}' is already on row {seen[student_id]}")
        seen[student_id] = number
        name = row[name_at].strip() if name_at is not None and name_at < len(row) else ""
        students.append((student_id, name))
    if not students:
        raise RosterError(f"{source}: the roster has a header but no students")
    return tuple(students)


def roster_key(quiz) -> str:
    """CSV: per student, the version and the answer to each question as numbered on that student's sheet."""
    count = max(len(v.questions) for v in quiz.versions)
    return csv_text(
        [["id", "name", "version"] + [str(n) for n in range(1, count + 1)]]
        + [
            [v.student["id"], v.student["name"], v.version] + [q.answer_text for q in v.questions]
            for v in quiz.versions
        ]
    )
