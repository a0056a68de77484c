"""The files LMS gradebooks import, written by ``convzoo grade`` beside grades.csv: Moodle's grade import CSV and
Canvas's gradebook CSV, each laid out as its importer reads it.

Moodle (``grade/import/csv``, Moodle 5.1): any columns; on import the instructor maps one column to the users
(``mapfrom``/``mapto``: user id, username, ID number or email address; email and username matched without
case, the ID number exactly; a row whose user is not found stops the whole import) and each grade column to a
grade item or to a new one (a new manual item, out of 100). A grade is trimmed; empty or ``-`` is no grade;
anything else must be a number. Every row must have as many fields as the header (PHP's ``fgetcsv`` with
``"`` as the quote and ``\\`` as the escape character).

Canvas (``lib/gradebook_importer.rb``): the header is ``Student, ID, SIS User ID, SIS Login ID, Section``,
then a column per assignment, its title (a title ending in `` (digits)`` names an assignment by its id); a
row whose first cell holds ``Points Possible`` gives each new assignment its points. A student is found by
``ID`` (Canvas's own user id), else by ``SIS User ID``, else by ``SIS Login ID``, else by name; the grade is
the points scored.

Both are opened in spreadsheets too: every cell a spreadsheet would run is written quoted, as in every CSV
convzoo writes (``spreadsheet.csv_lines``). A student's name then reads ``'=...`` in Canvas; an id that starts
with ``=``, ``+``, ``-`` or ``@`` would not be found by the importer (Moodle then names it and stops), which is
rarer, and safer, than a formula run on the instructor's machine.
"""

from __future__ import annotations

from .grade import AnswersError, Result, StudentTable, points_text

MOODLE_FILE = "moodle-grades.csv"
CANVAS_FILE = "canvas-grades.csv"
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
EMAIL_HEADERS = ("email", "email address", "e-mail", "mail")


def moodle_table(
    results: list[Result], title: str, identity: str = "ID number", emails: dict[str, str] | None = None
) -> StudentTable:
    """Moodle's grade import CSV: the students' identity column (the quiz's ids, as ``identity`` names them),
    their email address where a roster gives them, then the score in percent (what a new grade item, out of
    100, takes) and in points. Absent students are left out: their grades in Moodle stay as they are."""
    email = emails is not None and identity != "Email address"
    header = [identity] + (["Email address"] if email else []) + [f"{title} (%)", f"{title} (points)"]

    def row(r: Result) -> list[str]:
        return (
            [r.student.id]
            + ([emails[r.student.id]] if email and emails is not None else [])  # email implies emails: said for mypy
            + [f"{r.percent:.2f}", points_text(r.total)]
        )

    return StudentTable(MOODLE_FILE, [header], row)


def canvas_table(
    results: list[Result], title: str, identity: str = "ID number", emails: dict[str, str] | None = None
) -> StudentTable:
    """Canvas's gradebook CSV: the student's name, no Canvas ID (convzoo cannot know it), the quiz's id as the
    SIS User ID (as the SIS Login ID where the ids are Moodle's email addresses or usernames), the email address
    as the SIS Login ID where a roster gives it, no section, then the points scored; the Points Possible row
    gives a new assignment its points. Absent students are left out."""
    most = max(r.max_points for r in results)

    def row(r: Result) -> list[str]:
        if identity == "ID number":
            sis, login = r.student.id, (emails or {}).get(r.student.id, "")
        else:  # Moodle's email address or username: a login
            sis, login = "", r.student.id
        return [r.student.name, "", sis, login, "", points_text(r.total)]

    return StudentTable(CANVAS_FILE, [CANVAS_HEADER + [title], ["    Points Possible", "", "", "", "", str(most)]], row)


def read_emails(rows: list[list[str]], source: str, ids: list[str]) -> dict[str, str]:
    """id -> email address from a roster's rows (its columns ``id`` and the first of ``email``, ``email
    address``, ``e-mail``, ``mail``, in any case), for every id graded; AnswersError where one has none."""
    header = [c.strip().lower() for c in rows[0]]
    column = next((header.index(h) for h in EMAIL_HEADERS if h in header), None)
    if "id" not in header or column is None:
        raise AnswersError(
            f"{source}, row 1: no 'id' and 'email' columns (found: {', '.join(rows[0])}); --roster "
            "gives the students' email addresses for moodle-grades.csv"
        )
    at = header.index("id")
    found = {row[at].strip(): row[column].strip() for row in rows[1:] if len(row) > max(at, column)}
    for student_id in ids:
        if not found.get(student_id):
            raise AnswersError(
                f"{source}: no email address for {student_id}; Moodle stops an import at a user it cannot find"
            )
    return found
