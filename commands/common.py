"""What several commands share: reading a file named on the command line, printing JSON, the --kinds option,
practice's history (for practice and progress), and how a command that has already said why ends with a status
other than 0 (the root group turns each into its number)."""

from __future__ import annotations

import click

from ..zoo.errors import ConvzooError


class Different(Exception):
    """A check found a difference (--verify, zoo verify, --keras); each is printed already."""


class PartlyRead(Exception):
    """Some of the inputs could not be read (predict's pictures), each said on stderr; the others were done."""


class Stopped(Exception):
    """Ctrl-C stopped the command, which has said so in its own words (train)."""


def read_text(path: str, what: str) -> str:
    """A text file's text (UTF-8), or one line saying why it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise _unreadable(path, what, err) from None


def read_bytes(path: str, what: str) -> bytes:
    """A file's bytes, or one line saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as err:
        raise _unreadable(path, what, err) from None


def _unreadable(path: str, what: str, err: OSError | UnicodeDecodeError) -> ConvzooError:
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return ConvzooError(f"cannot read {what} '{path}': {reason}")


def emit_json(document: dict | list) -> None:
    import json

    click.echo(json.dumps(document, indent=2))


def kind_list(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """--kinds A,B: the question kinds, each known (a misspelt one with the likely name)."""
    if value is None:
        return None
    from ..questions.core import known_kinds

    try:
        return known_kinds(name.strip() for name in value.split(",") if name.strip())
    except ConvzooError as err:
        raise click.BadParameter(str(err)) from None


def read_history(path) -> list[dict]:
    """practice's history (questions/history.py); a line that cannot be read is left out, saying so on stderr
    (the rest still counts), and a history that cannot be read at all is none."""
    from ..questions import history
    from ..zoo.engine import plural

    try:
        records, unreadable = history.read(path)
    except OSError as err:
        click.echo(f"convzoo: cannot read {path}: {err.strerror}; going on without it", err=True)
        return []
    if unreadable:
        click.echo(f"convzoo: {path}: {plural(unreadable, 'line')} left out, not readable", err=True)
    return records
