"""The instructor's own networks (``quiz --spec FILE``): the table and total-parameter kinds ask about them.

A file holds one network per block, in the spec language of ``convzoo calc``; blocks are separated by one or
more blank lines, and ``#`` starts a comment. Every network must compute by the lecture's formula (no window that
does not fit), so that every key is a number a student can work out.
"""

from __future__ import annotations

from ..zoo.engine import analyze
from ..zoo.errors import ConvzooError
from ..zoo.spec import SpecError


def blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each block of non-blank lines that holds more than comments."""
    found, lines, start = [], [], 0
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip():
            start = start or number
            lines.append(line.rstrip())
        elif lines:
            if any(kept.split("#", 1)[0].strip() for kept in lines):
                found.append((start, "\n".join(lines)))
            lines, start = [], 0
    return found


def check_network(spec: str, where: str, first_line: int = 1) -> str:
    """The spec, if it parses and fits; else a ConvzooError naming ``where`` and the line in the file."""
    try:
        analyze(spec)
    except SpecError as err:
        if err.where is None:
            raise ConvzooError(f"{where}: {err.message}") from None
        at = err.where
        found = f" ('{at.token}')" if at.token else ""
        raise ConvzooError(f"{where}, line {first_line + at.line - 1}, col {at.col}{found}: {err.message}") from None
    return spec


def read_networks(text: str, source: str) -> tuple[str, ...]:
    """The networks of a --spec file, each checked; one line naming the block and the line for the first bad one."""
    found = blocks(text)
    if not found:
        raise ConvzooError(
            f"{source}: no network found; write one network per block in the spec language "
            "(e.g. 'input 32x32x3, conv 10 5x5 pad 2, relu, flatten, dense 10'), blocks separated "
            "by a blank line"
        )
    return tuple(check_network(spec, f"{source}, block {n}", first) for n, (first, spec) in enumerate(found, 1))
