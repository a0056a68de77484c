"""``convzoo practice``: students test themselves in the terminal, one question at a time."""

from __future__ import annotations

import click

from ..questions.quiz import DIFFICULTIES, MAX_COUNT
from ..questions.syllabus import SYLLABI
from ..zoo.engine import plural
from .common import kind_list, read_history


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
@click.option(
    "--no-history",
    is_flag=True,
    help="Keep nothing of this session (answers are kept in convzoo's user data folder: see convzoo progress).",
)
def practice(kind_names, difficulty, count, seed, syllabus, no_history):
    """Practise in the terminal: one question at a time, a verdict, the likely mistake and the worked solution.

    \b
    Type answers as you would write them: 32x32x10, (32, 32, 10), 1,199,882, does not fit; a map row by row.
    ? gives a hint, s skips, q (or Ctrl-C, or the end of input) stops and shows your score.
    Each answer is kept (--no-history: none); a new session without --kinds or --seed starts with the kinds
    due again: those answered wrong soon, those answered right later, a mistake made twice first of all.
    """
    import random as stdlib_random
    import shutil
    from datetime import datetime, timezone

    from ..questions import history, session
    from ..questions.core import syllabus_kinds
    from ..questions.quiz import build_quiz

    try:
        import readline  # noqa: F401  (input() gains line editing and history where the platform has it)
    except ImportError:
        pass
    kept = None if no_history else history.history_path()
    records = read_history(kept) if kept is not None and seed is None and kind_names is None else []
    first = history.due_first(records, datetime.now(timezone.utc), syllabus_kinds(syllabus))[:count]
    seed = stdlib_random.SystemRandom().randrange(10**6) if seed is None else seed
    drawn = build_quiz(
        seed=seed, count=count, kind_names=kind_names, difficulty=difficulty, syllabus=syllabus, first=tuple(first)
    )
    questions = drawn.versions[0].questions
    if first:
        click.echo(f"convzoo practice: {plural(count, 'question')} (seed {seed}), first what is due again:")
        again = {kind: (name, times) for kind, name, times in reversed(history.mistakes_again(records))}
        for kind in first:
            name, times = again.get(kind, ("", 0))
            click.echo(f"  {kind}" + (f": '{name}' made {times} times" if times else ""))
        click.echo()
    else:
        click.echo(f"convzoo practice: {plural(count, 'question')} (seed {seed}; --seed {seed} repeats this session)\n")

    def answered(question, verdict) -> None:
        nonlocal kept
        if kept is None:
            return
        try:
            history.append(kept, history.answer_record(question, verdict, datetime.now(timezone.utc), seed))
        except OSError as err:  # a full disk or a read-only home: the session goes on, unrecorded
            click.echo(f"convzoo: cannot keep this session's answers in {kept}: {err.strerror}", err=True)
            kept = None

    def ask(label: str) -> str:
        try:
            return input(f"{label}> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            raise session.Quit from None

    score = session.run(questions, ask, click.echo, width=shutil.get_terminal_size().columns, answered=answered)
    for line in session.score_lines(score):
        click.echo(line)
