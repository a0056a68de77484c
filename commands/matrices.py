"""The matrices of ``convolve`` and ``pool`` on the command line: read from the option's text or a file, and
printed back as a grid, with the cells whose working is shown."""

from __future__ import annotations

import click

from ..zoo.errors import ConvzooError
from .common import read_text


def matrix_option(what: str):
    """A click callback reading matrix text, or @FILE (text, .csv, or .npy in Keras' HxWxC layout)."""

    def read(ctx: click.Context, param: click.Parameter, value: str | None) -> list | None:
        if value is None:
            return None
        from ..zoo.grid import parse_matrix

        if value.startswith("@") and value.endswith(".npy"):
            return _npy_channels(value[1:], what)
        text = read_text(value[1:], f"{what} file") if value.startswith("@") else value
        return parse_matrix(text, what)

    return read


def _npy_channels(path: str, what: str) -> list:
    import numpy  # only for .npy files

    try:
        array = numpy.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise ConvzooError(f"cannot read {what} file '{path}': {getattr(err, 'strerror', None) or err}") from None
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3:
        raise ConvzooError(f"cannot read {what} file '{path}': expected an HxW or HxWxC array, got shape {array.shape}")
    return [array[:, :, c].tolist() for c in range(array.shape[2])]


def grid_text(matrix) -> str:
    """A map's rows, its numbers right-aligned in columns."""
    from ..zoo.grid import number_text

    cells = [[number_text(v) for v in row] for row in matrix]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(" ".join(c.rjust(width) for c in row) for row in cells)


def cells_to_show(output, cell: tuple[int, int] | None, steps: bool) -> list[tuple[int, int]]:
    """The output cells whose working is shown: ``cell`` (which must be in the map), else every one with
    ``steps``, else none."""
    if cell is not None:
        rows, cols = len(output), len(output[0])
        if not (cell[0] < rows and cell[1] < cols):
            raise ConvzooError(
                f"--cell {cell[0]},{cell[1]} is outside the {rows}x{cols} output "
                f"(rows 0-{rows - 1}, columns 0-{cols - 1})"
            )
        return [cell]
    return [(i, j) for i in range(len(output)) for j in range(len(output[0]))] if steps else []
