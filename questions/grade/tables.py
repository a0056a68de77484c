"""The CSV files with a row per student that grade writes (grades.csv here, the LMS gradebooks in
``questions/gradebooks.py``), each a StudentTable: a large class's rows are made over the cores, apart from the
file, and joined in the students' order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..spreadsheet import csv_lines, csv_text
from .marking import Result
from .summary import feedback_name, points_text

ABSENT = "absent"  # grades.csv's total for an --absent student


@dataclass(frozen=True)
class StudentTable:
    """A CSV file: its rows above the students' (``head``), a row per student (``row(result)``), then its rows
    below them (``foot``). A student's line is the same whichever students are written with it."""

    name: str
    head: list[list[str]]
    row: Callable[[Result], Sequence[object]]
    foot: list[list[str]] = field(default_factory=list)

    def lines(self, results: list[Result]) -> list[str]:
        """The students' lines, in their order."""
        return csv_lines(self.row(r) for r in results)

    def text(self, lines: list[str]) -> str:
        """The file, its students' ``lines`` (from ``lines()``) between its head and foot."""
        return csv_text(self.head) + "".join(lines) + csv_text(self.foot)


def grades_table(results: list[Result], absent: list[tuple[str, str, str]], moodle: str | None = None) -> StudentTable:
    """grades.csv: id, name, version, points per question as numbered on the student's sheet, total, out of,
    percent (and Moodle's own grade, where the answers came from Moodle), the student's feedback page; an
    --absent student's total says 'absent'."""
    count = max(len(r.marked) for r in results)
    header = (
        ["id", "name", "version"]
        + [str(n) for n in range(1, count + 1)]
        + ["total", "out of", "percent"]
        + ([moodle] if moodle else [])
        + ["feedback page"]
    )

    def row(r: Result) -> list[object]:
        points = ["dropped" if m.dropped else points_text(m.points) for m in r.marked] + [""] * (count - len(r.marked))
        return (
            [r.student.id, r.student.name, r.student.version]
            + points
            + [points_text(r.total), r.max_points, f"{r.percent:.1f}"]
            + ([r.student.moodle_grade] if moodle else [])
            + [feedback_name(r.student.id)]
        )

    foot = [
        [student_id, name, version] + [""] * count + [ABSENT, "", ""] + ([""] if moodle else []) + [""]
        for student_id, name, version in absent
    ]
    return StudentTable("grades.csv", [header], row, foot)
