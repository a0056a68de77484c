"""``convzoo progress``: what practice has kept of a student's answers, as mastery per kind and per named
mistake, what is due again, and the streak of days; in the terminal, and as an offline page with a chart."""

from __future__ import annotations

import os

import click

from .common import read_history


@click.command()
@click.option("--html", "page", metavar="FILE.html", help="Also write it as an offline page with a chart of each kind.")
@click.option("--force", is_flag=True, help="Overwrite FILE.html.")
def progress(page, force):
    """Your practice so far: each kind's answers, share right, recent trend, box and when it is due again; the
    named mistakes you made; and your streak of days.

    \b
    convzoo practice                    keeps each answer (its --no-history keeps none)
    convzoo progress                    what it has kept
    convzoo progress --html progress.html
    """
    from datetime import datetime, timezone

    from ..questions import history
    from ..questions.deliver import check_out, write_files
    from ..questions.progress import progress_lines, progress_page

    path = history.history_path()
    folder, name = os.path.split(page or "")
    folder = folder or "."
    if page is not None:  # refused before anything is read
        check_out(folder, [name], force)
    records = read_history(path)
    now = datetime.now(timezone.utc)
    for line in progress_lines(records, now, str(path)):
        click.echo(line)
    if page is None:
        return
    if not records:
        click.echo(f"{page} not written: there is nothing to show yet")
        return
    write_files(folder, {name: progress_page(records, now, str(path))})
    click.echo(f"wrote {page}")
