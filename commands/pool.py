"""``convzoo pool``: max or average pooling of a feature map by hand."""

from __future__ import annotations

import click

from .common import emit_json
from .matrices import cells_to_show, grid_text, matrix_option


@click.command("pool")
@click.option(
    "--input",
    "image",
    required=True,
    callback=matrix_option("input"),
    metavar="M",
    help="The feature map(s), written as for convolve; each channel is pooled on its own.",
)
@click.option("--size", type=click.IntRange(1), required=True, help="The window F (F x F).")
@click.option("--stride", type=click.IntRange(1), default=None, help="Default: S = F.")
@click.option("--mode", type=click.Choice(["max", "avg"]), default="max", show_default=True)
@click.option("--floor", is_flag=True, help="If the window does not fit, drop the last rows/columns as Keras does.")
@click.option("--steps", is_flag=True, help="Show every window.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def pool_command(image, size, stride, mode, floor, steps, as_json):
    """Max or average pooling of a feature map, e.g. the lecture's 2x2 max pooling at stride 2.

    \b
    convzoo pool --input '3 -1 -3 -1; -3 1 0 -3; -3 -3 0 1; 3 -2 -2 -1' --size 2
    """
    from ..zoo.grid import pool

    result = pool(image, size=size, stride=stride, mode=mode, floor=floor)
    maps = result.output
    if as_json:
        emit_json({"output": maps[0] if len(maps) == 1 else maps, "size": size, "stride": result.stride, "mode": mode})
        return
    for c, grid in enumerate(maps):
        if len(maps) > 1:
            click.echo(f"channel {c + 1}:")
        click.echo(grid_text(grid))
        for i, j in cells_to_show(grid, None, steps):
            click.echo(f"  output[{i}][{j}] = {result.working(c, i, j)}")
