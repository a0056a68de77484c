"""``convzoo zoo``: the lecture's architectures listed, worked layer by layer, and verified against Keras."""

from __future__ import annotations

from typing import Any

import click

from ..zoo.errors import ConvzooError
from ..zoo.registry import get, list_models
from .calc import show
from .common import Different, emit_json


@click.group("zoo")
def zoo_group():
    """The lecture's architectures: list them, show them worked, verify them against Keras."""


def _dims_option(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    from ..zoo.spec import SpecError, parse_dims

    try:
        return parse_dims(value.lower())
    except SpecError as err:
        raise click.BadParameter(err.message) from None


def _model_options(entry, input_shape) -> dict:
    if input_shape is None:
        return {}
    if "input" not in entry.options:
        raise ConvzooError(f"{entry.name} has no --input option (its input is fixed)")
    return {"input": input_shape}


@zoo_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def zoo_list(as_json):
    """The zoo's models, with their parameters and references."""
    rows: list[dict[str, Any]] = []
    for name in list_models():
        entry = get(name)
        result = entry.analyze()
        rows.append(
            {
                "name": name,
                "description": entry.description,
                "input_shape": list(result.input_shape),
                "total_params": result.total_params,
                "options": sorted(entry.options),
                "reference": entry.reference,
                "ilsvrc": entry.published.get("ilsvrc"),
            }
        )
    if as_json:
        emit_json({"models": rows})
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        won = r["ilsvrc"]
        ilsvrc = f"ILSVRC {won['year']} {won['place']}, top-5 {won['top5_error']}%" if won else ""
        click.echo(f"{r['name'].ljust(width)}  {r['total_params']:>11,} params  {ilsvrc:<34} {r['description']}")
        click.echo(f"{'':{width}}  {r['reference']}")


@zoo_group.command("summary")
@click.argument("name")
@click.option(
    "--input",
    "input_shape",
    callback=_dims_option,
    metavar="HxWxD",
    help="Another input size, for models that take one (lenet5 --input 28x28x1).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the same as calc --json).")
@click.option("--steps/--no-steps", default=True, help="Show the worked steps (default) or only the table.")
@click.option("--keras", "use_keras", is_flag=True, help="Also build it in Keras and check every layer.")
def zoo_summary(name, input_shape, as_json, steps, use_keras):
    """One zoo model, layer by layer, with the worked steps (e.g. convzoo zoo summary lenet5)."""
    entry = get(name)
    options = _model_options(entry, input_shape)
    show(
        entry.summary(**options),
        entry.layers(**options) if use_keras else None,
        as_json=as_json,
        steps=steps,
        use_keras=use_keras,
        extra={"name": name},
    )


@zoo_group.command("verify")
@click.argument("names", nargs=-1)
def zoo_verify(names):
    """Build every zoo model (or NAMES) in Keras; compare with the engine and the published numbers."""
    from ..zoo.keras.build import build_keras, compare

    entries = [get(name) for name in (names or list_models())]
    failed = 0
    for entry in entries:
        layers = entry.layers()
        result = entry.analyze()
        problems = compare(result, build_keras(layers, name=entry.name)) + entry.published_differences(result)
        if problems:
            failed += 1
            for line in problems:
                click.echo(f"{entry.name}: DIFFERENT {line}")
        else:
            checked = "Keras and the published numbers" if entry.published else "Keras"
            click.echo(
                f"{entry.name}: ok ({len(result.layers)} layers, {result.total_params:,} parameters; {checked} agree)"
            )
    click.echo(f"{len(entries) - failed} of {len(entries)} models agree")
    if failed:
        raise Different
