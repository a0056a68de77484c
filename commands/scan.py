"""``convzoo scan``: a class's scanned answer sheets read into answers.csv for ``grade`` (questions/scan.py makes the
answers of what zoo/keras/sheet_images.py and the digit reader read off the pages)."""

from __future__ import annotations

import os

import click

from ..questions.scan import CONFIDENT, SURE_ID
from ..zoo.errors import ConvzooError
from .common import read_bytes, read_text

PICTURES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


def _scans(paths: tuple[str, ...]) -> list[str]:
    """The files to read: each file given, and every scan or picture in each folder given (sorted by name)."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                os.path.join(root, name)
                for root, _, names in os.walk(path)
                for name in names
                if name.lower().endswith(PICTURES)
            )
            if not found:
                raise ConvzooError(f"{path}: no scans in it (accepted: {', '.join(PICTURES)})")
            out += found
        elif os.path.isfile(path):
            out.append(path)
        else:
            raise ConvzooError(f"{path}: no such file or folder")
    return out


@click.command("scan")
@click.argument("exam_dir", metavar="EXAM_DIR")
@click.argument("scans", nargs=-1, required=True, metavar="SCANS...")
@click.option("--out", metavar="DIR", required=True, help="Where answers.csv, review.csv and review.html go.")
@click.option("--force", is_flag=True, help="Overwrite the files of an earlier scan in DIR.")
@click.option(
    "--confident",
    type=click.FloatRange(0, 1),
    default=CONFIDENT,
    show_default=True,
    help=(
        f"Answers read with less confidence than this are listed in review.csv (IDs below {SURE_ID} always, and "
        "an answer marked wrong that could be read as one marked right)."
    ),
)
@click.option(
    "--corrections",
    metavar="FILE.csv",
    help="A person's corrections: review.csv (or what review.html saves) with its answer column filled in.",
)
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="The class list (columns id,name): each ID written is read against it, and the names go into answers.csv.",
)
def scan_command(exam_dir, scans, out, force, confident, corrections, roster):
    """Read a class's scanned answer sheets (quiz --format pdf --scannable) into answers.csv for grade.

    \b
    convzoo scan exam scans/ --out marks          every PDF and picture in scans/
    convzoo grade exam --answers marks/answers.csv
    """
    import json

    from ..questions.deliver import check_out, write_files
    from ..questions.grade import read_quiz
    from ..questions.scan import (
        ANSWERS,
        REVIEW,
        REVIEW_PAGE,
        answers_csv,
        review_csv,
        review_entries,
        review_html,
        review_rows,
        scan_sources,
        summary_line,
    )
    from ..questions.scansheet import LAYOUT

    layout_path = os.path.join(exam_dir, LAYOUT)
    if not os.path.isfile(layout_path):
        raise ConvzooError(
            f"{exam_dir} has no {LAYOUT}: scan reads the folder that convzoo quiz --format pdf --scannable --out wrote"
        )
    try:
        layout = json.loads(read_text(layout_path, "layout"))
    except json.JSONDecodeError as err:
        raise ConvzooError(f"{layout_path}: not JSON ({err.msg} at line {err.lineno})") from None
    quiz = read_quiz(read_text(os.path.join(exam_dir, "quiz.json"), "quiz"), os.path.join(exam_dir, "quiz.json"))
    paths = _scans(scans)
    corrected = None
    if corrections:
        from ..questions.grade import read_csv
        from ..questions.scan import read_corrections

        corrected = read_corrections(read_csv(read_bytes(corrections, "corrections"), corrections), corrections)
    students = None
    if roster:
        from ..questions.roster import read_roster

        students = dict(read_roster(read_bytes(roster, "roster"), roster))
    check_out(out, [ANSWERS, REVIEW, REVIEW_PAGE], force)

    from ..zoo.keras.digit_reader import digit_model, read_digits

    found = scan_sources(layout, quiz, paths, read_digits, corrected, students, prepare=digit_model)
    review = review_rows(found.sheets, confident)
    entries = review_entries(found.sheets, review)
    for line in found.trouble:
        click.echo(f"convzoo: {line}", err=True)
    written = write_files(
        out,
        {
            ANSWERS: answers_csv(quiz, found.sheets),
            REVIEW: review_csv(entries),
            REVIEW_PAGE: review_html(quiz.title, layout["quiz"], found, review, entries, confident),
        },
    )
    click.echo(summary_line(found, len(review)))
    for path in written:
        click.echo(f"wrote {path}")
