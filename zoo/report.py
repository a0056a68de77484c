"""Text reports of an analysed network, rendered through ``templates/summary.txt.j2``."""

from __future__ import annotations

from zoo.engine import NetworkResult
from zoo.spec import fmt_dims

HEADERS = ("Layer (type)", "Output shape", "Param #", "Receptive field", "MACs")
RIGHT_ALIGNED = {2, 4}


def table_rows(result: NetworkResult) -> list[str]:
    cells = [HEADERS] + [
        (
            f"{r.name} ({r.type})",
            fmt_dims(r.output_shape),
            f"{r.params:,}",
            fmt_dims(r.receptive_field) if r.receptive_field else "-",
            f"{r.macs:,}",
        )
        for r in result.layers
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    return [
        "  ".join(c.rjust(w) if i in RIGHT_ALIGNED else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
        for row in cells
    ]


def summary_text(result: NetworkResult, title: str, *, steps: bool = True, description: str = "",
                 notes: tuple[str, ...] = ()) -> str:
    from templates import render

    rows = table_rows(result)
    return render(
        "summary.txt.j2",
        title=title,
        description=description,
        input_shape=fmt_dims(result.input_shape),
        rows=rows,
        rule="-" * max(len(r) for r in rows),
        result=result,
        notes=notes,
        steps=steps,
        shape=fmt_dims,
    )
