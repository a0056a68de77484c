"""``convzoo kinds``: every question kind, its syllabus and an example."""

from __future__ import annotations

import click

from .common import emit_json


@click.command("kinds")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: name, syllabus, extended, description, example.")
def kinds_command(as_json):
    """Every question kind: its syllabus, what it asks, and an example question with its answer.

    \b
    lecture: in the default quiz (--syllabus extended may add more to it, as the line says)
    extended: only with --syllabus extended
    """
    from ..questions.quiz import describe_kinds

    described = describe_kinds()
    if as_json:
        emit_json(described)
        return
    for kind in described:
        adds = f" (extended adds {kind['extended']})" if kind["extended"] else ""
        click.echo(f"{kind['name']}  [{kind['syllabus']}{adds}]")
        click.echo(f"  {kind['description']}")
        click.echo(f"  e.g. {kind['example']}")
        click.echo(f"  answer: {kind['answer']}")
