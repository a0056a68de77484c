"""``convzoo grade``: a class's answers to a quiz marked; grades.csv, the feedback pages, the class report and
the LMS grade files written into the report's folder (by questions/deliver.py's writer: all or none)."""

from __future__ import annotations

import click

from ..questions.attempts import ATTEMPTS
from ..zoo.engine import plural
from ..zoo.errors import ConvzooError
from .common import read_bytes, read_text


@click.command("grade")
@click.argument("quiz_dir", metavar="DIR")
@click.option(
    "--answers",
    metavar="FILE.csv",
    help="The students' answers, typed into a copy of DIR/answers-by-sheet.csv or DIR/answers-template.csv.",
)
@click.option(
    "--moodle",
    metavar="FILE.csv",
    help="Instead: a Moodle quiz's Results > Responses download (CSV, "
    "with 'Question text' ticked where the quiz has several versions).",
)
@click.option(
    "--attempts",
    type=click.Choice(ATTEMPTS),
    help="With --moodle: a student's several attempts "
    "graded as the quiz's grading method does (default: highest grade; first, last attempt, their mean).",
)
@click.option("--out", metavar="REPORT_DIR", help="Where grades.csv, report.html and feedback/ go (default: DIR).")
@click.option("--force", is_flag=True, help="Overwrite a report already in REPORT_DIR.")
@click.option(
    "--secret",
    envvar="CONVZOO_SECRET",
    metavar="TEXT",
    help="A roster quiz's secret (or set "
    "CONVZOO_SECRET), as given to convzoo quiz; only a quiz.json from before convzoo recorded its keys needs "
    "it.",
)
@click.option(
    "--absent",
    metavar="ID,ID",
    default="",
    help="Students who did not sit the quiz: listed as absent, left out of the statistics and of the LMS files.",
)
@click.option(
    "--below",
    type=click.FloatRange(0, 100),
    default=50,
    show_default=True,
    metavar="PERCENT",
    help="List the students who scored below this.",
)
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="A roster with the students' email addresses (columns id and "
    "email), for moodle-grades.csv and canvas-grades.csv.",
)
@click.option(
    "--accept",
    multiple=True,
    metavar="Q7=ANSWER",
    help="Also mark this answer right: Q7 is slot 7 in "
    "every version, B:3 question 3 of version B's sheet; name a blank after it ('B:3 row 2 shape=12x12x6'). "
    "Repeat for more.",
)
@click.option(
    "--drop",
    multiple=True,
    metavar="Q7",
    help="Leave a question out of every student's total (Q7: slot 7, B:3: version B's question 3). Repeat for more.",
)
def grade_command(quiz_dir, answers, moodle, attempts, out, force, secret, absent, below, roster, accept, drop):
    """Mark the answers a class gave to a quiz written with --out DIR: grades.csv, a feedback page per student
    and the class report, with the misconceptions behind the wrong answers.

    \b
    convzoo grade exam --answers answers.csv               answers typed from the papers
    convzoo grade exam --moodle responses.csv --out marks  Moodle's Responses report
    convzoo grade exam --answers answers.csv --absent s007,s012 --below 40
    convzoo grade exam --answers answers.csv --accept 'Q7=28x28x6' --drop B:3
    """
    import os

    from ..questions.grade_class import Grading, Named, grade_class
    from ..questions.grade_report import terminal_summary
    from ..questions.gradebooks import CANVAS_FILE, MOODLE_FILE

    if (answers is None) == (moodle is None):
        raise ConvzooError("give the answers with either --answers FILE.csv or --moodle FILE.csv")
    if attempts and not moodle:
        raise ConvzooError(
            "--attempts grades a student's several Moodle attempts: give it with --moodle "
            "(an answers file has one row per student)"
        )
    source = os.path.join(quiz_dir, "quiz.json")
    if not os.path.isfile(source):
        raise ConvzooError(
            f"{quiz_dir} has no quiz.json: grade reads the folder convzoo quiz --out wrote "
            "(with --versions or --roster, or --format json)"
        )
    record = read_text(source, "quiz")
    path = answers or moodle
    grading = Grading(
        record=source,
        record_text=record,
        answers=Named(path, read_bytes(path, "answers")),
        moodle=moodle is not None,
        attempts=attempts or ATTEMPTS[0],
        secret=secret or "",
        absent=tuple(a.strip() for a in absent.split(",") if a.strip()),
        below=below,
        roster=Named(roster, read_bytes(roster, "roster")) if roster else None,
        accept=tuple(accept),
        drop=tuple(drop),
    )
    out = out or quiz_dir
    summary = grade_class(grading, out, force)
    for line in terminal_summary(summary):
        click.echo(line)
    click.echo(
        f"wrote {os.path.join(out, 'grades.csv')}, {os.path.join(out, 'report.html')}, "
        f"{plural(len(summary.results), 'feedback page')} in {os.path.join(out, 'feedback')}, and for the LMS "
        f"{os.path.join(out, MOODLE_FILE)} and {os.path.join(out, CANVAS_FILE)}"
    )
