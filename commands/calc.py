"""``convzoo calc``: a network in the layer-spec language, worked layer by layer (and, with --keras, checked
against Keras' own summary)."""

from __future__ import annotations

import sys

import click

from ..zoo.engine import plural
from ..zoo.errors import ConvzooError
from .common import Different, emit_json, read_text


@click.command()
@click.argument("spec", required=False)
@click.option("-f", "--file", "spec_file", metavar="FILE", help="Read the spec from FILE ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (errors still go to stderr).")
@click.option("--steps/--no-steps", default=True, help="Show the worked steps (default) or only the table.")
@click.option(
    "--floor",
    is_flag=True,
    help="Let a window that does not fit drop the last rows/columns, as Keras does, instead of stopping with an error.",
)
@click.option(
    "--keras",
    "use_keras",
    is_flag=True,
    help="Also build the network in Keras, print Keras' own "
    "model.summary() and check every layer (exit 1 on any difference).",
)
def calc(spec, spec_file, as_json, steps, floor, use_keras):
    """Output shape, parameters, receptive field and MACs of every layer in SPEC, with the worked steps.

    \b
    SPEC is the layer-spec language, e.g.
      convzoo calc 'input 32x32x3, conv 10 5x5 stride 1 pad 2, relu, maxpool 2, flatten, dense 10 softmax'
      convzoo calc 'input 7x7, conv 1 3x3 stride 3'          # does not fit: (7 - 3)/3 + 1 = 2.33
      convzoo calc --floor 'input 6x6, conv 2 3x3 stride 2'  # as Keras: 2x2
    Layers are separated by ',' '->' ';' or new lines; see the README for every layer.
    """
    from ..zoo.engine import analyze
    from ..zoo.report import Analysis
    from ..zoo.spec import SpecError, parse

    text, source = _read_spec(spec, spec_file)
    try:
        layers = parse(text)
        result = analyze(layers, floor=floor)
    except SpecError as err:
        raise _spec_error(err, source) from None
    show(Analysis(result), layers, as_json=as_json, steps=steps, use_keras=use_keras)


def _spec_error(err, source: str | None = None) -> ConvzooError:
    place = f"{source}, " if source and getattr(err, "where", None) else ""
    return type(err)(f"{place}{err}")  # the same kind of error, now saying which file


def _read_spec(spec: str | None, file: str | None) -> tuple[str, str | None]:
    """The spec text and, for errors, where it came from: the argument, -f FILE, or stdin."""
    if spec is not None and file is not None:
        raise ConvzooError("give the spec either as an argument or with -f FILE, not both")
    if file is not None:
        path = file
    elif spec == "-" or (spec is None and not sys.stdin.isatty()):
        path = "-"
    elif spec is None:
        raise ConvzooError(
            "no spec given: pass it as an argument (convzoo calc 'input 32x32x3, conv 10 5x5 pad 2'), "
            "with -f FILE, or on stdin"
        )
    else:
        return spec, None
    if path == "-":
        return sys.stdin.read(), "stdin"
    return read_text(path, "spec file"), path


def show(analysis, layers, *, as_json: bool, steps: bool, use_keras: bool, extra: dict | None = None) -> None:
    """A network worked (calc, zoo summary): its table and steps, or its JSON; with ``use_keras`` also Keras'
    summary of ``layers`` and whether every layer agrees."""
    document = {**(extra or {}), **analysis.to_dict()} if as_json else None
    if document and not steps:
        document["layers"] = [{k: v for k, v in layer.items() if k != "steps"} for layer in document["layers"]]
    if not as_json:
        click.echo(analysis.text(steps=steps), nl=False)
    if use_keras:
        _keras_report(analysis.result, layers, analysis.title, document)
    elif document is not None:
        emit_json(document)


def _keras_report(result, layers, title: str, document: dict | None) -> None:
    """Build the network in Keras, show Keras' own summary (or add the verdict to the JSON ``document``) and say
    whether every layer agrees."""
    from ..zoo.keras.build import build_keras, compare

    build = build_keras(layers, name=title)
    problems = compare(result, build)
    if document is not None:
        document["keras"] = {"agrees": not problems, "differences": problems}
        emit_json(document)
    else:
        build.model.summary(print_fn=lambda line, **_: click.echo(line))
        for line in problems:
            click.echo(f"DIFFERENT {line}")
        if not problems:
            click.echo(
                f"Keras agrees with the engine on every layer ({plural(len(result.layers), 'layer')}, "
                f"{result.total_params:,} parameters)."
            )
    if problems:
        raise Different
