"""``convzoo practice``: students test themselves in the terminal, one question at a time."""

from __future__ import annotations

import click

from ..questions.quiz import DIFFICULTIES, MAX_COUNT
from ..questions.syllabus import SYLLABI
from ..zoo.engine import plural
from .common import kind_list


@click.command()
@click.option("--kinds", "kind_names", callback=kind_list, metavar="A,B", help="Question kinds (default: all).")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="mixed", show_default=True)
@click.option("-n", "--count", type=click.IntRange(1, MAX_COUNT), default=10, show_default=True)
@click.option("--seed", type=int, default=None, help="Repeat a session (default: a new one each time).")
@click.option(
    "--syllabus",
    type=click.Choice(SYLLABI),
    default=SYLLABI[0],
    show_default=True,
    help="lecture, or extended (as for quiz).",
)
def practice(kind_names, difficulty, count, seed, syllabus):
    """Practise in the terminal: one question at a time, a verdict, the likely mistake and the worked solution.

    \b
    Type answers as you would write them: 32x32x10, (32, 32, 10), 1,199,882, does not fit; a map row by row.
    ? gives a hint, s skips, q (or Ctrl-C, or the end of input) stops and shows your score.
    """
    import random as stdlib_random
    import shutil

    from ..questions import session
    from ..questions.quiz import build_quiz

    try:
        import readline  # noqa: F401  (input() gains line editing and history where the platform has it)
    except ImportError:
        pass
    seed = stdlib_random.SystemRandom().randrange(10**6) if seed is None else seed
    questions = (
        build_quiz(seed=seed, count=count, kind_names=kind_names, difficulty=difficulty, syllabus=syllabus)
        .versions[0]
        .questions
    )
    click.echo(f"convzoo practice: {plural(count, 'question')} (seed {seed}; --seed {seed} repeats this session)\n")

    def ask(label: str) -> str:
        try:
            return input(f"{label}> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            raise session.Quit from None

    score = session.run(questions, ask, click.echo, width=shutil.get_terminal_size().columns)
    for line in session.score_lines(score):
        click.echo(line)
