"""CSV cells a spreadsheet will not run: every CSV convzoo writes goes through ``csv_text``, and every CSV it
reads back through ``cell_text``.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets (an id ``=HYPERLINK(...)`` would run on the instructor's machine). As OWASP's "CSV Injection"
page advises, such a cell is written with a single quote in front (``'=1+1``), which spreadsheets show as text;
the csv module quotes any cell holding a separator or a quote. A plain number (``-25``, a convolution's
answer) runs nothing and is left as it is, so that it stays a number. A cell that starts with a quote before
one of those characters gets one more quote, so that reading back is exact: ``cell_text(safe_cell(x)) == x``.
"""

from __future__ import annotations

import csv
import re
from types import SimpleNamespace

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY_FIRST = frozenset([*FORMULA_STARTS, "'"])  # the first characters of a cell that may need a quote
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def _needs_quote(cell: str) -> bool:
    if cell.startswith("'"):
        return _needs_quote(cell[1:])
    return cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell)


def safe_cell(value) -> str:
    """A value as a cell no spreadsheet runs."""
    cell = str(value)
    return "'" + cell if cell[:1] in _RISKY_FIRST and _needs_quote(cell) else cell


def cell_text(cell: str) -> str:
    """A cell as written before ``safe_cell``: ``'=1+1`` -> ``=1+1``; anything else (``-3``, ``'abc``) as is."""
    return cell[1:] if cell.startswith("'") and _needs_quote(cell[1:]) else cell


def csv_lines(rows) -> list[str]:
    """Rows as CSV lines (each ending in ``\\n``), every cell made safe: a row's line is the same whatever rows
    come before it, so that lines made apart (a large class's, over the cores) join into one file."""
    lines: list[str] = []
    writer = csv.writer(SimpleNamespace(write=lines.append), lineterminator="\n")  # a line per write
    # safe_cell inline: a class's grades are millions of cells, and few start with a risky character
    writer.writerows(
        [cell if cell[:1] not in _RISKY_FIRST or not _needs_quote(cell) else "'" + cell for cell in map(str, row)]
        for row in rows
    )
    return lines


def csv_text(rows) -> str:
    """Rows as CSV text (one line each, ``\\n``), every cell made safe."""
    return "".join(csv_lines(rows))
