"""``convzoo progress``: what practice has kept of a student's answers, as mastery per kind and per named
mistake, what is due again, and the streak of days."""

from __future__ import annotations

import click

from .common import read_history


@click.command()
def progress():
    """Your practice so far: each kind's answers, share right, recent trend, box and when it is due again; the
    named mistakes you made; and your streak of days.

    \b
    convzoo practice        keeps each answer (its --no-history keeps none)
    convzoo progress        what it has kept
    """
    from datetime import datetime, timezone

    from ..questions import history
    from ..questions.progress import progress_lines

    path = history.history_path()
    for line in progress_lines(read_history(path), datetime.now(timezone.utc), str(path)):
        click.echo(line)
