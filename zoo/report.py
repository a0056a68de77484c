"""Reports of an analysed network: text (calc's and zoo summary's table and worked steps, laid out here) and
HTML for notebooks (``templates/summary.html.j2``)."""

from __future__ import annotations

from .engine import NetworkResult, plural
from .spec import fmt_dims

HEADERS = ("Layer (type)", "Output shape", "Param #", "Receptive field", "MACs")
RIGHT_ALIGNED = {2, 4}


def table_rows(result: NetworkResult) -> list[str]:
    cells = [HEADERS] + [
        (
            f"{r.name} ({r.type})",
            fmt_dims(r.output_shape),
            f"{r.params:,}",
            fmt_dims(r.receptive_field) if r.receptive_field else "-",
            f"{r.connections:,}",
        )
        for r in result.layers
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    return [
        "  ".join(
            c.rjust(w) if i in RIGHT_ALIGNED else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()
        for row in cells
    ]


class Analysis:
    """A network worked layer by layer: ``str()`` is ``convzoo calc``'s table and steps, ``_repr_html_`` the
    table with the steps folded (Jupyter); ``layers``, ``total_params``, ``to_dict()`` (as ``calc --json``) and
    the rest of the engine's result are the result's own."""

    def __init__(self, result: NetworkResult, title: str = "spec", description: str = "", notes: tuple[str, ...] = ()):
        self.result, self.title, self.description, self.notes = result, title, description, tuple(notes)

    def __getattr__(self, name: str):  # layers, input_shape, total_params, ...: the engine's result's
        if name == "result":  # not set yet (copying, unpickling): no delegation
            raise AttributeError(name)
        return getattr(self.result, name)

    def text(self, steps: bool = True) -> str:
        """The table, laid out as Keras' model.summary(), then (``steps``) every layer's worked steps. Written
        here, not by a template, so that calc starts without Jinja (its import was a fifth of calc's time);
        tests/test_cli.py checks it against the template it replaced, tests/fixtures/summary.txt.j2."""
        result = self.result
        rows = table_rows(result)
        rule = "-" * max(len(r) for r in rows)
        lines = [f"Model: {self.title}", *([str(self.description)] if self.description else [])]
        lines += [f"Input: {fmt_dims(result.input_shape)}", rule, rows[0], rule, *rows[1:], rule]
        lines += [
            f"Total params: {result.total_params:,}",
            f"Trainable params: {result.trainable_params:,}",
            f"Non-trainable params: {result.non_trainable_params:,}",
            f"Total MACs (connections): {result.total_connections:,}",
            *map(str, self.notes),
        ]
        if steps:
            lines += ["", "Worked steps"]
            for layer in result.layers:
                header = f"{layer.name} ({layer.type}): {fmt_dims(layer.input_shape)} -> {fmt_dims(layer.output_shape)}"
                lines += ["", header, *(f"  {step}" for step in layer.steps)]
        return "".join(f"{line}\n" for line in lines)

    def __str__(self) -> str:
        return self.text().rstrip("\n")  # print() adds the last newline

    def _repr_html_(self) -> str:
        return self._render("summary.html.j2")

    def __repr__(self) -> str:
        return f"<Analysis {self.title}: {plural(len(self.layers), 'layer')}, {self.total_params:,} parameters>"

    def _render(self, template: str, **extra) -> str:
        from ..templates import render

        return render(
            template,
            title=self.title,
            description=self.description,
            input_shape=fmt_dims(self.result.input_shape),
            result=self.result,
            notes=self.notes,
            shape=fmt_dims,
            **extra,
        )
