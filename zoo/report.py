"""Reports of an analysed network: text (``templates/summary.txt.j2``) and HTML for notebooks."""

from __future__ import annotations

from convzoo.zoo.engine import NetworkResult
from convzoo.zoo.spec import fmt_dims

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


class Analysis:
    """A network worked layer by layer: ``str()`` is ``convzoo calc``'s table and steps, ``_repr_html_`` the
    table with the steps folded (Jupyter); ``layers``, ``total_params`` and ``to_dict()`` as in ``calc --json``."""

    def __init__(self, result: NetworkResult, title: str = "spec", description: str = "",
                 notes: tuple[str, ...] = ()):
        self.result, self.title, self.description, self.notes = result, title, description, tuple(notes)

    def __getattr__(self, name: str):  # layers, input_shape, total_params, ...: the engine's result's
        if name == "result":  # not set yet (copying, unpickling): no delegation
            raise AttributeError(name)
        return getattr(self.result, name)

    def to_dict(self) -> dict:
        return self.result.to_dict()

    def text(self, steps: bool = True) -> str:
        return self._render("summary.txt.j2", rows=table_rows(self.result), steps=steps)

    def __str__(self) -> str:
        return self.text().rstrip("\n")  # print() adds the last newline

    def _repr_html_(self) -> str:
        return self._render("summary.html.j2")

    def __repr__(self) -> str:
        layers = f"{len(self.layers)} layer{'s' * (len(self.layers) != 1)}"
        return f"<Analysis {self.title}: {layers}, {self.total_params:,} parameters>"

    def _render(self, template: str, **extra) -> str:
        from convzoo.templates import render

        rows = extra.get("rows", [""])
        return render(template, title=self.title, description=self.description,
                      input_shape=fmt_dims(self.result.input_shape), rule="-" * max(len(r) for r in rows),
                      result=self.result, notes=self.notes, shape=fmt_dims, **extra)
