"""``convzoo convolve``: a kernel slid over an input by hand, with the lecture's working."""

from __future__ import annotations

import click

from .common import emit_json
from .matrices import cells_to_show, grid_text, matrix_option


def _cell_option(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise click.BadParameter(f"expected I,J (row and column of the output, from 0), got '{value}'")
    return int(parts[0]), int(parts[1])


@click.command()
@click.option(
    "--input",
    "image",
    required=True,
    callback=matrix_option("input"),
    metavar="M",
    help="The input: rows split by ';' or new lines, values by spaces or commas, channels by '|'; "
    "or @FILE (.txt, .csv, .npy).",
)
@click.option(
    "--kernel",
    required=True,
    callback=matrix_option("kernel"),
    metavar="K",
    help="The kernel, written like the input, one matrix per input channel.",
)
@click.option("--stride", type=click.IntRange(1), default=1, show_default=True)
@click.option("--pad", type=click.IntRange(0), default=0, show_default=True, help="Zero padding on each side.")
@click.option("--bias", type=float, default=0, help="Added to every output value.")
@click.option("--flip", is_flag=True, help="True convolution: rotate the kernel by 180 degrees first.")
@click.option("--floor", is_flag=True, help="If the kernel does not fit, drop the last rows/columns as Keras does.")
@click.option("--cell", callback=_cell_option, metavar="I,J", help="Show the working of output cell I,J (from 0).")
@click.option("--steps", is_flag=True, help="Show the working of every output cell.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def convolve(image, kernel, stride, pad, bias, flip, floor, cell, steps, as_json):
    """Slide a kernel over an input and print the feature map, with the lecture's working.

    \b
    Like Keras and the lecture's examples this is cross-correlation: output(i, j) is the sum of
    input(i*S + a, j*S + b) * kernel(a, b). The lecture's formula f*g = sum f[n1,n2] g[x-n1, y-n2] is true
    convolution, which flips the kernel: --flip computes that. For the symmetric kernels of most examples
    (sharpen, blur) the two agree.
    \b
    convzoo convolve --input '0 0 0; 0 105 102; 0 103 99' --kernel '0 -1 0; -1 5 -1; 0 -1 0' --cell 0,0
    """
    from ..zoo.grid import convolve as run_convolution

    bias = int(bias) if float(bias).is_integer() else bias
    result = run_convolution(image, kernel, stride=stride, pad=pad, bias=bias, flip=flip, floor=floor)
    cells = cells_to_show(result.output, cell, steps)
    if as_json:
        document = {
            "output": result.output,
            "stride": stride,
            "pad": pad,
            "bias": bias,
            "flip": flip,
            "input_shape": [len(image[0]), len(image[0][0]), len(image)],
            "kernel_shape": [len(kernel[0]), len(kernel[0][0]), len(kernel)],
        }
        if cells:
            document["working"] = [{"cell": [i, j], "steps": result.working(i, j)} for i, j in cells]
        emit_json(document)
        return
    click.echo(grid_text(result.output))
    for i, j in cells:
        click.echo(f"\noutput[{i}][{j}]:")
        for line in result.working(i, j):
            click.echo(f"  {line}")
