"""``convzoo quiz``: question sheets and answer keys, in a format, on stdout or into --out (questions/deliver.py
plans and writes the files)."""

from __future__ import annotations

import sys

import click

from ..questions.formats import PAPERS, format_names
from ..questions.quiz import DEFAULT_COUNT, DEFAULT_SEED, DEFAULT_TITLE, DIFFICULTIES, MAX_COUNT, MAX_VERSIONS
from ..questions.syllabus import SYLLABI
from ..zoo.errors import ConvzooError
from .common import Different, kind_list, read_bytes, read_text


def _read_roster(path: str, versions: int) -> tuple[tuple[str, str], ...]:
    from ..questions.roster import read_roster

    if versions != 1:
        raise ConvzooError("give either --versions or --roster (one version per student), not both")
    return read_roster(read_bytes(path, "roster"), path)


def _verify_keys(quiz) -> tuple[list[str], float]:
    """Every key checked in Keras, with a progress bar on a terminal (Keras takes a while: show that we work);
    the differences, and the seconds the check took once TensorFlow had started."""
    import time

    from ..questions.verify import keras_oracle, verify_keys

    oracle = keras_oracle()
    questions = quiz.questions
    show_bar = sys.stderr.isatty() and len(questions) > 50

    def progress(items):
        with click.progressbar(
            items, label="checking keys in Keras", file=sys.stderr if show_bar else None, hidden=not show_bar
        ) as bar:
            yield from bar

    started = time.perf_counter()
    problems = verify_keys(questions, oracle, progress)
    return problems, time.perf_counter() - started


def _verified(quiz) -> list[str]:
    """--verify: the keys' differences from Keras, each on stderr, and the verdict."""
    problems, seconds = _verify_keys(quiz)
    for line in problems:
        click.echo(f"DIFFERENT {line}", err=True)
    questions = len(quiz.questions)
    verdict = "every key agrees" if not problems else f"{len(problems)} keys differ"
    click.echo(
        f"verified {questions} questions against Keras in {seconds:.1f} s "
        f"({questions / max(seconds, 1e-9):.0f} keys/s): {verdict}",
        err=True,
    )
    return problems


@click.command()
@click.option(
    "-n",
    "--count",
    type=click.IntRange(1, MAX_COUNT),
    default=DEFAULT_COUNT,
    show_default=True,
    help="Questions per version.",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="The same seed gives byte-identical output."
)
@click.option(
    "--kinds",
    "kind_names",
    callback=kind_list,
    metavar="A,B",
    help="Question kinds, comma-separated (default: all; see README).",
)
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="mixed", show_default=True)
@click.option(
    "--versions",
    type=click.IntRange(1, MAX_VERSIONS),
    default=1,
    show_default=True,
    help="Versions A, B, ... with other numbers and question order.",
)
@click.option("--mc", is_flag=True, help="Multiple choice, wrong options from named misconceptions.")
@click.option("--format", "fmt", type=click.Choice(format_names()), default="md", show_default=True)
@click.option("--out", metavar="DIR", help="Write the sheets and keys into DIR (html and tex need it).")
@click.option("--title", default=DEFAULT_TITLE, show_default=True)
@click.option(
    "--verify",
    is_flag=True,
    help="Rebuild every question in Keras and check its key (exit 1 if any differs); imports TensorFlow.",
)
@click.option("--force", is_flag=True, help="Overwrite files already in --out.")
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="One version per student (columns id,name); also writes "
    "roster-key.csv into --out. With --roster or --versions, --out also gets answers-by-sheet.csv, "
    "answers-template.csv and quiz.json, for convzoo grade.",
)
@click.option(
    "--secret",
    envvar="CONVZOO_SECRET",
    metavar="TEXT",
    help="The secret the students' versions are "
    "derived from (or set CONVZOO_SECRET), so no student can rebuild a classmate's version.",
)
@click.option(
    "--syllabus",
    type=click.Choice(SYLLABI),
    default=SYLLABI[0],
    show_default=True,
    help="lecture: only what the lecture teaches; extended: also batch norm, the 1998 LeNet, GoogLeNet "
    "and ResNet internals, 'same' pooling (see convzoo kinds).",
)
@click.option(
    "--spec",
    "spec_file",
    metavar="FILE",
    help="Your own networks, one per block (blank lines between), "
    "in the spec language: network_table and total_params ask about them.",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS),
    default="a4",
    show_default=True,
    help="Paper for html, pdf and tex (margins suit both).",
)
@click.option("--course", default="", help="The course, on the sheets' front page.")
@click.option("--date", "date", default="", help="The exam's date, on the front page (default: a blank to fill).")
@click.option("--duration", default="", help="The time allowed, on the front page (e.g. '60 minutes').")
@click.option(
    "--per-student",
    is_flag=True,
    help="With --roster and --format pdf: also one PDF per student, students/<version>-<id>.pdf.",
)
@click.option(
    "--scannable",
    is_flag=True,
    help="With --format pdf: an answer sheet a machine can read after each version, corner marks and a code on "
    "every page, and layout.json, for convzoo scan.",
)
def quiz(
    count,
    seed,
    kind_names,
    difficulty,
    versions,
    mc,
    fmt,
    out,
    title,
    verify,
    force,
    roster,
    secret,
    syllabus,
    spec_file,
    paper,
    course,
    date,
    duration,
    per_student,
    scannable,
):
    """Question sheets and answer keys on output sizes and parameter counts.

    \b
    convzoo quiz                                     10 questions, markdown, sheet then key, on stdout
    convzoo quiz --versions 3 --mc --format html --out exam
    convzoo quiz --kinds output_size,layer_params --difficulty easy --format json
    """
    from ..questions.deliver import QuizFiles
    from ..questions.formats import Layout
    from ..questions.networks import read_networks
    from ..questions.quiz import Settings, version_label

    if per_student and not (roster and fmt == "pdf"):
        raise ConvzooError("--per-student writes a PDF per student of a roster: give it with --roster and --format pdf")
    if scannable and fmt != "pdf":
        raise ConvzooError(f"--scannable makes printed sheets a machine can read: give it with --format pdf, not {fmt}")
    networks = read_networks(read_text(spec_file, "--spec file"), spec_file) if spec_file else ()
    students = _read_roster(roster, versions) if roster else None
    labels = [version_label(i) for i in range(len(students) if students else versions)]
    layout = Layout(
        paper=paper, course=course, date=date, duration=duration, per_student=per_student, scannable=scannable
    )
    files = QuizFiles.plan(fmt, out, labels, students, layout, force)
    if out is None and (roster or files.format.needs_out):
        raise ConvzooError(
            f"--format {fmt}{' with --roster' if roster else ''} writes {' and '.join(files.names)}: give --out DIR"
        )
    if roster and not secret:
        click.echo(
            "convzoo: warning: no --secret (nor CONVZOO_SECRET): anyone with the roster and the seed can "
            "rebuild every student's version",
            err=True,
        )
    files.check()
    settings = Settings(
        title=title,
        seed=seed,
        count=count,
        kind_names=tuple(kind_names) if kind_names else None,
        difficulty=difficulty,
        versions=versions,
        mc=mc,
        students=students,
        secret=secret or "",
        syllabus=syllabus,
        networks=networks,
    )
    built, documents = files.build(settings)
    problems = _verified(built) if verify else []
    if out is None:
        click.echo("\n".join(str(text) for text in documents.values()), nl=False)  # the formats of text
    else:
        for path in files.write(documents):
            click.echo(f"wrote {path}")
    if problems:
        raise Different
