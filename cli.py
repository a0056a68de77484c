"""convzoo's command line: calc, zoo, quiz, kinds, grade, convolve, pool, practice, train, evaluate, predict, visualize,
explore.

Exit statuses are decided in one place, the root group's ``main``: 0 success, 1 a check found a difference
(``--verify``, ``zoo verify``, ``--keras``) or an outside engine failed (the PDF printer), 2 bad input or usage
(one line on stderr, ``convzoo: error: ...``, never a traceback), 130 interrupted. Commands that do not need
Keras never import TensorFlow.
"""

if __name__ == "__main__" and not __package__:
    # `python cli.py` in a checkout: the checkout is the convzoo package (installed, its folder is `convzoo/`)
    import importlib.util
    import sys
    from pathlib import Path

    _spec = importlib.util.spec_from_file_location(
        "convzoo",
        Path(__file__).resolve().parent / "__init__.py",
        submodule_search_locations=[str(Path(__file__).resolve().parent)],
    )
    sys.modules["convzoo"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["convzoo"])
    from convzoo.cli import main

    sys.exit(main())

import json
import sys

import click

from . import __version__
from .questions.quiz import DEFAULT_COUNT, DEFAULT_SEED, DEFAULT_TITLE, DIFFICULTIES, MAX_COUNT, MAX_VERSIONS
from .questions.render import FILE_FORMATS, FORMATS, PAPERS
from .questions.syllabus import SYLLABI
from .zoo.engine import DoesNotFit, plural
from .zoo.errors import ConvzooError
from .zoo.recipe import SEED as TRAINING_SEED
from .zoo.recipe import mnist_refusal
from .zoo.registry import get, list_models

EXIT_DIFFERENT = 1  # a check (--verify, zoo verify, --keras) found a difference
EXIT_USAGE = 2  # bad input or usage
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
# grade --attempts: Moodle's grading methods, the first the default (questions.grade.ATTEMPTS, which every command would
# otherwise import to start)
GRADING_METHODS = ("highest", "first", "last", "mean")
# click >= 8.2 raises this for a group called without a command; older click prints the help itself.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Interrupted(click.Abort):
    """Ctrl-C, carried past click's handler of KeyboardInterrupt (which prints an empty line before our line)."""


class Root(click.Group):
    """The root group. Every way in (the console script, ``python -m convzoo``, ``cli.main([...])``, click's
    CliRunner) ends in ``status``, so they all give the same exit status for the same arguments."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name or "convzoo", complete_var, False, **extra)
        sys.exit(self.status(args, prog_name, complete_var, **extra))

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None

    def status(self, args=None, prog_name=None, complete_var=None, **extra) -> int:
        """Run the command line; return its exit status, having reported any error on one line."""
        try:
            returned = super().main(args, prog_name or "convzoo", complete_var, False, **extra)
        except _NO_ARGS_IS_HELP as err:  # `convzoo` or `convzoo zoo` alone: the help, readable
            click.echo(err.ctx.get_help())
            return 0
        except (click.ClickException, ConvzooError) as err:
            ctx = getattr(err, "ctx", None)
            usage = isinstance(err, click.UsageError)
            hint = f" (see {ctx.command_path if ctx else 'convzoo'} --help)" if usage else ""
            message = err.format_message() if isinstance(err, click.ClickException) else str(err)
            if isinstance(err, DoesNotFit):  # the command line's way to compute it anyway
                message += "; --floor computes it as Keras does"
            click.echo(f"convzoo: error: {' '.join(message.split())}{hint}", err=True)  # one line, always
            return err.exit_status if isinstance(err, ConvzooError) else EXIT_USAGE  # 1: an engine failed
        except (click.Abort, KeyboardInterrupt):
            # one line; on a terminal, below the ^C that the terminal echoed
            click.echo(("\n" if sys.stderr.isatty() else "") + "convzoo: interrupted", err=True)
            return EXIT_INTERRUPTED
        except BrokenPipeError:  # `convzoo ... | head`: the reader left, which is not an error
            sys.stderr.close()
            return 0
        return returned if isinstance(returned, int) else 0  # an int only from ctx.exit(N)


def _exit(status: int) -> None:
    """End the command with this exit status (what went wrong is already printed)."""
    click.get_current_context().exit(status)


def _spec_error(err, source: str | None = None) -> ConvzooError:
    place = f"{source}, " if source and getattr(err, "where", None) else ""
    return type(err)(f"{place}{err}")  # the same kind of error, now saying which file


def _read_file(path: str, what: str, binary: bool = False) -> str | bytes:
    """A file's text (or bytes), or one line saying why it cannot be read."""
    try:
        if binary:
            with open(path, "rb") as handle:
                return handle.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise ConvzooError(f"cannot read {what} '{path}': {reason}") from None


def _read_spec(spec: str | None, file) -> tuple[str, str | None]:
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
    return _read_file(path, "spec file"), path


def _dims_option(ctx, param, value):
    if value is None:
        return None
    from .zoo.spec import SpecError, parse_dims

    try:
        return parse_dims(value.lower())
    except SpecError as err:
        raise click.BadParameter(err.message) from None


def _emit_json(document: dict) -> None:
    click.echo(json.dumps(document, indent=2))


def _keras_report(result, layers, title: str, as_json: bool, document: dict | None) -> None:
    """Build the network in Keras, show Keras' own summary and say whether every layer agrees."""
    from .zoo.keras.build import build_keras, compare

    build = build_keras(layers, name=title)
    problems = compare(result, build)
    if as_json:
        document["keras"] = {"agrees": not problems, "differences": problems}
        _emit_json(document)
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
        _exit(EXIT_DIFFERENT)


def _show(analysis, layers, *, as_json: bool, steps: bool, use_keras: bool, extra: dict | None = None) -> None:
    document = {**(extra or {}), **analysis.to_dict()} if as_json else None
    if document and not steps:
        document["layers"] = [{k: v for k, v in layer.items() if k != "steps"} for layer in document["layers"]]
    if not as_json:
        click.echo(analysis.text(steps=steps), nl=False)
    if use_keras:
        _keras_report(analysis.result, layers, analysis.title, as_json, document)
    elif as_json:
        _emit_json(document)


@click.group(cls=Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="convzoo")
def cli():
    """convzoo: the lecture's CNN arithmetic, worked and checked against Keras.

    \b
    convzoo quiz --versions 2 --mc --format html --out exam      question sheets and answer keys
    convzoo kinds                                                 every question kind, its syllabus, an example
    convzoo grade exam --answers answers.csv                      marks, feedback pages, class report
    convzoo calc 'input 32x32x3, conv 10 5x5 stride 1 pad 2'     output sizes and parameters, worked
    convzoo convolve --input '1 0 1; 0 1 0; 1 0 1' --kernel '1 0; 0 1' --steps   a feature map, by hand
    convzoo pool --input '3 -1; -3 1' --size 2                   pooling, by hand
    convzoo zoo summary lenet5                                    LeNet-5, layer by layer
    convzoo zoo verify                                            every zoo model against Keras
    convzoo practice                                              students test themselves
    convzoo train lenet5 --data mnist.npz                         LeNet-5 learns MNIST (>= 99%)
    """


@cli.command()
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
    from .zoo.engine import analyze
    from .zoo.report import Analysis
    from .zoo.spec import SpecError, parse

    text, source = _read_spec(spec, spec_file)
    try:
        layers = parse(text)
        result = analyze(layers, floor=floor)
    except SpecError as err:
        raise _spec_error(err, source) from None
    _show(Analysis(result), layers, as_json=as_json, steps=steps, use_keras=use_keras)


@cli.group("zoo")
def zoo_group():
    """The lecture's architectures: list them, show them worked, verify them against Keras."""


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
    rows = []
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
        _emit_json({"models": rows})
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
    _show(
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
    from .zoo.keras.build import build_keras, compare

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
        _exit(EXIT_DIFFERENT)


def _matrix_option(what: str):
    """A click callback reading matrix text, or @FILE (text, .csv, or .npy in Keras' HxWxC layout)."""

    def read(ctx, param, value):
        if value is None:
            return None
        from .zoo.grid import parse_matrix

        if value.startswith("@") and value.endswith(".npy"):
            return _npy_channels(value[1:], what)
        text = _read_file(value[1:], f"{what} file") if value.startswith("@") else value
        return parse_matrix(text, what)

    return read


def _npy_channels(path: str, what: str):
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


def _cell_option(ctx, param, value):
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise click.BadParameter(f"expected I,J (row and column of the output, from 0), got '{value}'")
    return int(parts[0]), int(parts[1])


def _grid_text(matrix) -> str:
    from .zoo.grid import number_text

    cells = [[number_text(v) for v in row] for row in matrix]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(" ".join(c.rjust(width) for c in row) for row in cells)


@cli.command()
@click.option(
    "--input",
    "image",
    required=True,
    callback=_matrix_option("input"),
    metavar="M",
    help="The input: rows split by ';' or new lines, values by spaces or commas, channels by '|'; "
    "or @FILE (.txt, .csv, .npy).",
)
@click.option(
    "--kernel",
    required=True,
    callback=_matrix_option("kernel"),
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
    from .zoo.grid import convolve as run_convolution

    bias = int(bias) if float(bias).is_integer() else bias
    result = run_convolution(image, kernel, stride=stride, pad=pad, bias=bias, flip=flip, floor=floor)
    cells = _cells_to_show(result.output, cell, steps)
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
        _emit_json(document)
        return
    click.echo(_grid_text(result.output))
    for i, j in cells:
        click.echo(f"\noutput[{i}][{j}]:")
        for line in result.working(i, j):
            click.echo(f"  {line}")


def _cells_to_show(output, cell, steps) -> list[tuple[int, int]]:
    if cell is not None:
        rows, cols = len(output), len(output[0])
        if not (cell[0] < rows and cell[1] < cols):
            raise ConvzooError(
                f"--cell {cell[0]},{cell[1]} is outside the {rows}x{cols} output "
                f"(rows 0-{rows - 1}, columns 0-{cols - 1})"
            )
        return [cell]
    return [(i, j) for i in range(len(output)) for j in range(len(output[0]))] if steps else []


@cli.command("pool")
@click.option(
    "--input",
    "image",
    required=True,
    callback=_matrix_option("input"),
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
    from .zoo.grid import pool

    result = pool(image, size=size, stride=stride, mode=mode, floor=floor)
    maps = result.output
    if as_json:
        _emit_json({"output": maps[0] if len(maps) == 1 else maps, "size": size, "stride": result.stride, "mode": mode})
        return
    for c, grid in enumerate(maps):
        if len(maps) > 1:
            click.echo(f"channel {c + 1}:")
        click.echo(_grid_text(grid))
        for i, j in _cells_to_show(grid, None, steps):
            click.echo(f"  output[{i}][{j}] = {result.working(c, i, j)}")


def _kind_list(ctx, param, value):
    if value is None:
        return None
    from .questions.core import known_kinds

    try:
        return known_kinds(name.strip() for name in value.split(",") if name.strip())
    except ConvzooError as err:
        raise click.BadParameter(str(err)) from None


def _check_out(out: str, names: list[str], force: bool) -> None:
    """Refuse, before any work, an --out that is a file or already holds one of the files to write."""
    import os

    if os.path.exists(out) and not os.path.isdir(out):
        raise ConvzooError(f"--out {out} is a file, not a directory")
    existing = [os.path.join(out, n) for n in names if os.path.exists(os.path.join(out, n))]
    if existing and not force:
        raise ConvzooError(f"{existing[0]} already exists; use --force to overwrite")


def _check_companions(out: str, documents: dict[str, str], force: bool) -> None:
    """Refuse to replace a file that another quiz wrote (the same quiz writes the same bytes)."""
    import os

    for name, content in documents.items():
        path = os.path.join(out, name)
        if not force and os.path.isfile(path):
            with open(path, "rb") as handle:
                if handle.read() != content.encode("utf-8"):
                    raise ConvzooError(f"{path} already exists, from another quiz; use --force to overwrite")


def _write_files(out: str, documents: dict[str, str], made: tuple | None = None) -> list[str]:
    """Write every document into OUT, or none: all go into a temporary folder in OUT first (``made``: the names of
    more files and what writes them there, as they are made: ``write(path_of)`` puts names[k] at path_of(k)); only
    when all are written are they renamed into place, and a rename that fails (or Ctrl-C before then) takes back
    the files this run created."""
    import os
    import shutil
    import tempfile
    from contextlib import suppress

    from .questions.grade_report import save
    from .questions.interrupts import deferred_sigint

    more, write = made or ([], None)
    names = list(documents) + more
    targets = [os.path.join(out, name) for name in names]
    scratch, created = None, []
    try:
        missing, folder = [], os.path.abspath(out)
        while not os.path.exists(folder):  # --out and any folder above it that this run makes
            missing.insert(0, folder)
            folder = os.path.dirname(folder)
        with deferred_sigint():
            os.makedirs(out, exist_ok=True)
            created += missing
        blocked = next((t for t in targets if os.path.isdir(t)), None)
        if blocked:
            raise ConvzooError(f"cannot write {blocked}: a directory of that name is in the way")
        for folder in sorted({os.path.dirname(t) for t in targets} - {out}):  # students/, grade's feedback/
            if not os.path.isdir(folder):
                with deferred_sigint():
                    os.makedirs(folder)
                    created.append(folder)
        with deferred_sigint():  # a Ctrl-C between making the temporary folder and noting it would leave it behind
            scratch = tempfile.mkdtemp(dir=out, prefix=".convzoo-")
        # made in a private folder, the files have the usual permissions already
        for k, content in enumerate(documents.values()):
            save(os.path.join(scratch, str(k)), content)
        if write:
            write(lambda k: os.path.join(scratch, str(len(documents) + k)))
        with deferred_sigint():  # a Ctrl-C waits for the renames: every file in place, or none
            for k, target in enumerate(targets):
                existed = os.path.exists(target)
                os.replace(os.path.join(scratch, str(k)), target)
                if not existed:
                    created.append(target)
            os.rmdir(scratch)
            scratch, created = None, []  # all in place: nothing to take back, even for a Ctrl-C held until now
    except BaseException as err:  # a failed write or rename, or Ctrl-C
        with deferred_sigint():  # a second Ctrl-C waits for the clean-up
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
            for path in created[::-1]:  # files before the folders they are in
                with suppress(OSError):  # a folder that someone else has written into meanwhile stays
                    if os.path.isdir(path):
                        os.rmdir(path)
                    elif os.path.exists(path):
                        os.remove(path)
        if not isinstance(err, OSError):
            raise
        raise ConvzooError(f"cannot write to --out {out}: {err.strerror or err}") from None
    return targets


def _check_engine(fmt: str) -> None:
    """Refuse, in one line and before any work, a format whose engine is not installed."""
    if fmt == "pdf":
        from .questions.pdf import check_engine
    elif fmt == "tex":
        from .questions.latex import check_engine
    else:
        return
    check_engine()


def _read_roster(path: str, versions: int):
    from .questions.roster import read_roster

    if versions != 1:
        raise ConvzooError("give either --versions or --roster (one version per student), not both")
    return read_roster(_read_file(path, "roster", binary=True), path)


def _verify_keys(quiz) -> tuple[list[str], float]:
    """Every key checked in Keras, with a progress bar on a terminal (Keras takes a while: show that we work);
    the differences, and the seconds the check took once TensorFlow had started."""
    import time

    from .questions.verify import keras_oracle, verify_keys

    oracle = keras_oracle()
    questions = quiz.questions
    show_bar = sys.stderr.isatty() and len(questions) > 50

    def progress(items):
        with click.progressbar(
            items, label="checking keys in Keras", file=sys.stderr if show_bar else None, hidden=not show_bar
        ) as bar:
            yield from bar

    started = time.perf_counter()
    problems = verify_keys(questions, oracle, progress)
    return problems, time.perf_counter() - started


@cli.command()
@click.option(
    "-n",
    "--count",
    type=click.IntRange(1, MAX_COUNT),
    default=DEFAULT_COUNT,
    show_default=True,
    help="Questions per version.",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="The same seed gives byte-identical output."
)
@click.option(
    "--kinds",
    "kind_names",
    callback=_kind_list,
    metavar="A,B",
    help="Question kinds, comma-separated (default: all; see README).",
)
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="mixed", show_default=True)
@click.option(
    "--versions",
    type=click.IntRange(1, MAX_VERSIONS),
    default=1,
    show_default=True,
    help="Versions A, B, ... with other numbers and question order.",
)
@click.option("--mc", is_flag=True, help="Multiple choice, wrong options from named misconceptions.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--out", metavar="DIR", help="Write the sheets and keys into DIR (html and tex need it).")
@click.option("--title", default=DEFAULT_TITLE, show_default=True)
@click.option(
    "--verify",
    is_flag=True,
    help="Rebuild every question in Keras and check its key (exit 1 if any differs); imports TensorFlow.",
)
@click.option("--force", is_flag=True, help="Overwrite files already in --out.")
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="One version per student (columns id,name); also writes "
    "roster-key.csv into --out. With --roster or --versions, --out also gets answers-by-sheet.csv, "
    "answers-template.csv and quiz.json, for convzoo grade.",
)
@click.option(
    "--secret",
    envvar="CONVZOO_SECRET",
    metavar="TEXT",
    help="The secret the students' versions are "
    "derived from (or set CONVZOO_SECRET), so no student can rebuild a classmate's version.",
)
@click.option(
    "--syllabus",
    type=click.Choice(SYLLABI),
    default=SYLLABI[0],
    show_default=True,
    help="lecture: only what the lecture teaches; extended: also batch norm, the 1998 LeNet, GoogLeNet "
    "and ResNet internals, 'same' pooling (see convzoo kinds).",
)
@click.option(
    "--spec",
    "spec_file",
    metavar="FILE",
    help="Your own networks, one per block (blank lines between), "
    "in the spec language: network_table and total_params ask about them.",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS),
    default="a4",
    show_default=True,
    help="Paper for html, pdf and tex (margins suit both).",
)
@click.option("--course", default="", help="The course, on the sheets' front page.")
@click.option("--date", "date", default="", help="The exam's date, on the front page (default: a blank to fill).")
@click.option("--duration", default="", help="The time allowed, on the front page (e.g. '60 minutes').")
@click.option(
    "--per-student",
    is_flag=True,
    help="With --roster and --format pdf: also one PDF per student, students/<version>-<id>.pdf.",
)
def quiz(
    count,
    seed,
    kind_names,
    difficulty,
    versions,
    mc,
    fmt,
    out,
    title,
    verify,
    force,
    roster,
    secret,
    syllabus,
    spec_file,
    paper,
    course,
    date,
    duration,
    per_student,
):
    """Question sheets and answer keys on output sizes and parameter counts.

    \b
    convzoo quiz                                     10 questions, markdown, sheet then key, on stdout
    convzoo quiz --versions 3 --mc --format html --out exam
    convzoo quiz --kinds output_size,layer_params --difficulty easy --format json
    """
    from .questions.grade import FORM, TEMPLATE
    from .questions.networks import read_networks
    from .questions.quiz import Settings, version_label
    from .questions.render import Layout, document_names, quiz_documents

    if per_student and not (roster and fmt == "pdf"):
        raise ConvzooError("--per-student writes a PDF per student of a roster: give it with --roster and --format pdf")
    networks = read_networks(_read_file(spec_file, "--spec file"), spec_file) if spec_file else ()
    students = _read_roster(roster, versions) if roster else None
    labels = [version_label(i) for i in range(len(students) if students else versions)]
    layout = Layout(paper=paper, course=course, date=date, duration=duration, per_student=per_student)
    sheet = out is not None and (roster or versions > 1)  # answers typed from the papers go in a sheet for grade
    # written beside every format: the same quiz in several formats into one folder writes them again, unchanged
    companions = ["quiz.json", TEMPLATE, FORM] if sheet else []
    names = [n for n in document_names(fmt, labels, layout, students) if n not in companions] + (
        ["roster-key.csv"] if roster else []
    )
    if out is None and (roster or fmt in FILE_FORMATS):
        raise ConvzooError(
            f"--format {fmt}{' with --roster' if roster else ''} writes {' and '.join(names)}: give --out DIR"
        )
    if roster and not secret:
        click.echo(
            "convzoo: warning: no --secret (nor CONVZOO_SECRET): anyone with the roster and the seed can "
            "rebuild every student's version",
            err=True,
        )
    if out is not None:
        _check_out(out, names, force)
    _check_engine(fmt)
    settings = Settings(
        title=title,
        seed=seed,
        count=count,
        kind_names=tuple(kind_names) if kind_names else None,
        difficulty=difficulty,
        versions=versions,
        mc=mc,
        students=students,
        secret=secret or "",
        syllabus=syllabus,
        networks=networks,
    )
    built, documents = quiz_documents(settings, fmt, keep=verify or bool(roster) or sheet, layout=layout)
    if roster:
        from .questions.roster import roster_key

        documents["roster-key.csv"] = roster_key(built)
    if sheet:
        from .questions.grade import answers_form, answers_template, graded_from_drawn
        from .questions.render import render_documents

        documents.setdefault("quiz.json", render_documents(built, "json")["quiz.json"])
        graded = graded_from_drawn(built)
        documents[TEMPLATE] = answers_template(graded)
        documents[FORM] = answers_form(graded)
        _check_companions(out, {name: documents[name] for name in companions}, force)
    problems = []
    if verify:
        problems, seconds = _verify_keys(built)
        for line in problems:
            click.echo(f"DIFFERENT {line}", err=True)
        questions = len(built.questions)
        verdict = "every key agrees" if not problems else f"{len(problems)} keys differ"
        click.echo(
            f"verified {questions} questions against Keras in {seconds:.1f} s "
            f"({questions / max(seconds, 1e-9):.0f} keys/s): {verdict}",
            err=True,
        )
    if out is None:
        click.echo("\n".join(documents.values()), nl=False)
    else:
        for path in _write_files(out, documents):
            click.echo(f"wrote {path}")
    if problems:
        _exit(EXIT_DIFFERENT)


@cli.command("kinds")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: name, syllabus, extended, description, example.")
def kinds_command(as_json):
    """Every question kind: its syllabus, what it asks, and an example question with its answer.

    \b
    lecture: in the default quiz (--syllabus extended may add more to it, as the line says)
    extended: only with --syllabus extended
    """
    from .questions.quiz import describe_kinds

    described = describe_kinds()
    if as_json:
        _emit_json(described)
        return
    for kind in described:
        adds = f" (extended adds {kind['extended']})" if kind["extended"] else ""
        click.echo(f"{kind['name']}  [{kind['syllabus']}{adds}]")
        click.echo(f"  {kind['description']}")
        click.echo(f"  e.g. {kind['example']}")
        click.echo(f"  answer: {kind['answer']}")


@cli.command("grade")
@click.argument("quiz_dir", metavar="DIR")
@click.option(
    "--answers",
    metavar="FILE.csv",
    help="The students' answers, typed into a copy of DIR/answers-by-sheet.csv or DIR/answers-template.csv.",
)
@click.option(
    "--moodle",
    metavar="FILE.csv",
    help="Instead: a Moodle quiz's Results > Responses download (CSV, "
    "with 'Question text' ticked where the quiz has several versions).",
)
@click.option(
    "--attempts",
    type=click.Choice(GRADING_METHODS),
    help="With --moodle: a student's several attempts "
    "graded as the quiz's grading method does (default: highest grade; first, last attempt, their mean).",
)
@click.option("--out", metavar="REPORT_DIR", help="Where grades.csv, report.html and feedback/ go (default: DIR).")
@click.option("--force", is_flag=True, help="Overwrite a report already in REPORT_DIR.")
@click.option(
    "--secret",
    envvar="CONVZOO_SECRET",
    metavar="TEXT",
    help="A roster quiz's secret (or set "
    "CONVZOO_SECRET), as given to convzoo quiz; only a quiz.json from before convzoo recorded its keys needs "
    "it.",
)
@click.option(
    "--absent",
    metavar="ID,ID",
    default="",
    help="Students who did not sit the quiz: listed as absent, left out of the statistics and of the LMS files.",
)
@click.option(
    "--below",
    type=click.FloatRange(0, 100),
    default=50,
    show_default=True,
    metavar="PERCENT",
    help="List the students who scored below this.",
)
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="A roster with the students' email addresses (columns id and "
    "email), for moodle-grades.csv and canvas-grades.csv.",
)
@click.option(
    "--accept",
    multiple=True,
    metavar="Q7=ANSWER",
    help="Also mark this answer right: Q7 is slot 7 in "
    "every version, B:3 question 3 of version B's sheet; name a blank after it ('B:3 row 2 shape=12x12x6'). "
    "Repeat for more.",
)
@click.option(
    "--drop",
    multiple=True,
    metavar="Q7",
    help="Leave a question out of every student's total (Q7: slot 7, B:3: version B's question 3). Repeat for more.",
)
def grade_command(quiz_dir, answers, moodle, attempts, out, force, secret, absent, below, roster, accept, drop):
    """Mark the answers a class gave to a quiz written with --out DIR: grades.csv, a feedback page per student
    and the class report, with the misconceptions behind the wrong answers.

    \b
    convzoo grade exam --answers answers.csv               answers typed from the papers
    convzoo grade exam --moodle responses.csv --out marks  Moodle's Responses report
    convzoo grade exam --answers answers.csv --absent s007,s012 --below 40
    convzoo grade exam --answers answers.csv --accept 'Q7=28x28x6' --drop B:3
    """
    import gc
    import os

    from .questions.grade import by_student, mark, read_answer_file, read_csv, read_quiz, regrade, set_absent, summarize
    from .questions.grade_report import report_files, terminal_summary
    from .questions.gradebooks import CANVAS_FILE, MOODLE_FILE, canvas_grades, moodle_grades, read_emails

    if (answers is None) == (moodle is None):
        raise ConvzooError("give the answers with either --answers FILE.csv or --moodle FILE.csv")
    if attempts and not moodle:
        raise ConvzooError(
            "--attempts grades a student's several Moodle attempts: give it with --moodle "
            "(an answers file has one row per student)"
        )
    source = os.path.join(quiz_dir, "quiz.json")
    if not os.path.isfile(source):
        raise ConvzooError(
            f"{quiz_dir} has no quiz.json: grade reads the folder convzoo quiz --out wrote "
            "(with --versions or --roster, or --format json)"
        )
    quiz = regrade(read_quiz(_read_file(source, "quiz"), source, secret or ""), list(accept), list(drop))
    # a class's answers are millions of small objects, none garbage until the run ends: no collection passes
    # over them while they are made (each would look at all made so far), nor after (in the page workers too)
    gc.disable()
    path = answers or moodle
    data = _read_file(path, "answers", binary=True)
    heading, identity = None, "ID number"
    if moodle:
        from .questions.moodle_results import read_responses

        students, heading, identity = read_responses(quiz, data, path)
    else:
        students = read_answer_file(quiz, data, path)
    students, away = set_absent(quiz, students, [a.strip() for a in absent.split(",") if a.strip()], path)
    emails = (
        read_emails(read_csv(_read_file(roster, "roster", binary=True), roster), roster, [s.id for s in students])
        if roster
        else None
    )
    results = by_student([mark(student, quiz.dropped) for student in students], attempts or GRADING_METHODS[0], path)
    summary = summarize(results, away, below, quiz.notes)
    gc.freeze()
    gc.enable()
    out = out or quiz_dir
    names, write = report_files(quiz.title, summary, os.path.basename(path), heading)
    documents = {
        MOODLE_FILE: moodle_grades(summary, quiz.title, identity, emails),
        CANVAS_FILE: canvas_grades(summary, quiz.title, identity, emails),
    }
    _check_out(out, names + list(documents), force)
    _write_files(out, documents, (names, write))
    for line in terminal_summary(summary):
        click.echo(line)
    click.echo(
        f"wrote {os.path.join(out, 'grades.csv')}, {os.path.join(out, 'report.html')}, "
        f"{plural(len(summary.results), 'feedback page')} in {os.path.join(out, 'feedback')}, and for the LMS "
        f"{os.path.join(out, MOODLE_FILE)} and {os.path.join(out, CANVAS_FILE)}"
    )


@cli.command()
@click.option("--kinds", "kind_names", callback=_kind_list, metavar="A,B", help="Question kinds (default: all).")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="mixed", show_default=True)
@click.option("-n", "--count", type=click.IntRange(1, MAX_COUNT), default=10, show_default=True)
@click.option("--seed", type=int, default=None, help="Repeat a session (default: a new one each time).")
@click.option(
    "--syllabus",
    type=click.Choice(SYLLABI),
    default=SYLLABI[0],
    show_default=True,
    help="lecture, or extended (as for quiz).",
)
def practice(kind_names, difficulty, count, seed, syllabus):
    """Practise in the terminal: one question at a time, a verdict, the likely mistake and the worked solution.

    \b
    Type answers as you would write them: 32x32x10, (32, 32, 10), 1,199,882, does not fit; a map row by row.
    ? gives a hint, s skips, q (or Ctrl-C, or the end of input) stops and shows your score.
    """
    import random as stdlib_random
    import shutil

    from .questions import session
    from .questions.quiz import build_quiz

    try:
        import readline  # noqa: F401  (input() gains line editing and history where the platform has it)
    except ImportError:
        pass
    seed = stdlib_random.SystemRandom().randrange(10**6) if seed is None else seed
    questions = (
        build_quiz(seed=seed, count=count, kind_names=kind_names, difficulty=difficulty, syllabus=syllabus)
        .versions[0]
        .questions
    )
    click.echo(f"convzoo practice: {plural(count, 'question')} (seed {seed}; --seed {seed} repeats this session)\n")

    def ask(label: str) -> str:
        try:
            return input(f"{label}> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            raise session.Quit from None

    score = session.run(questions, ask, click.echo, width=shutil.get_terminal_size().columns)
    for line in session.score_lines(score):
        click.echo(line)


@cli.command()
@click.argument("name")
@click.option("--epochs", type=click.IntRange(1), default=None, help="Default: the recipe's (see README).")
@click.option("--batch-size", type=click.IntRange(1), default=None)
@click.option("--lr", type=click.FloatRange(0, min_open=True), default=None, help="Peak learning rate (Adam).")
@click.option(
    "--augment", is_flag=True, default=None, help="Small random shifts, rotations and zooms (the paper's distortions)."
)
@click.option("--seed", type=int, default=None, help=f"Default: {TRAINING_SEED}.")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--out", metavar="DIR", help="Default: runs/NAME-<timestamp>.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the run in --out from its last finished epoch, with the "
    "options it was started with (--epochs N: train on to N epochs).",
)
@click.option("--force", is_flag=True, help="Start the run in --out again, replacing it.")
@click.option(
    "--strategy",
    type=click.Choice(["default", "mirrored", "multiworker"]),
    default=None,
    help="tf.distribute (default: default): mirrored over this machine's devices; multiworker over the "
    "machines TF_CONFIG names (see README).",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Train on the first N images only (a quick try).")
@click.option(
    "--test-curve",
    is_flag=True,
    default=None,
    help="Also evaluate on the test set after every epoch (history.json gains test_loss and test_accuracy).",
)
def train(name, epochs, batch_size, lr, augment, seed, data, out, resume, force, strategy, limit, test_curve):
    """Train a zoo model on MNIST (e.g. convzoo train lenet5): curves, confusion matrix and the model in --out."""
    refusal = mnist_refusal(name)  # an unknown model, or one that cannot learn MNIST: before TensorFlow starts
    if refusal:
        raise ConvzooError(refusal)
    if resume and not out:
        raise ConvzooError("--resume needs the run's --out DIR")
    if strategy == "multiworker":  # a bad TF_CONFIG: one line before TensorFlow starts
        import os

        from .zoo.cluster import read_cluster

        read_cluster(os.environ.get("TF_CONFIG"))
    from .zoo.keras import training

    out = out or str(training.default_run_dir(name))
    try:
        run = training.run(
            name,
            data=data,
            out=out,
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            augment=augment,
            seed=seed,
            resume=resume,
            force=force,
            strategy=strategy,
            limit=limit,
            test_curve=test_curve,
            exit_on_ctrl_c=True,
        )
    except training.Interrupted as interrupted:  # a Ctrl-C while Ctrl-C's own thread was not yet watching
        click.echo(("\n" if sys.stderr.isatty() else "") + interrupted.args[0], err=True)
        _exit(EXIT_INTERRUPTED)
    metrics = run.metrics
    if metrics is None:  # a multi-worker run's other workers: the chief writes the run
        click.echo("this worker's part is done; the chief writes the run")
        return
    click.echo(
        f"test accuracy {metrics['test_accuracy']:.2%} (test loss {metrics['test_loss']:.4f}) after "
        f"{plural(metrics['epochs'], 'epoch')}, {metrics['seconds']} s"
    )
    click.echo(f"wrote {out}/run.json, model.keras, history.json, metrics.json, curves.png, confusion.png")


@cli.command()
@click.option("--model", "model_path", required=True, metavar="PATH", help="A model.keras from convzoo train.")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate(model_path, data, as_json):
    """Test accuracy, loss and per-class accuracy of a trained model (--json adds the confusion matrix)."""
    from .zoo.keras import training

    model = training.load_model(model_path)
    metrics = training.evaluate_model(model, training.load_mnist(data))
    if as_json:
        _emit_json(metrics)
        return
    click.echo(f"test accuracy {metrics['test_accuracy']:.2%}, test loss {metrics['test_loss']:.4f}")
    click.echo("per class: " + "  ".join(f"{d}: {a:.1%}" for d, a in enumerate(metrics["per_class_accuracy"])))


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")  # what a folder gives predict


def _pictures(inputs: tuple[str, ...]) -> list[str]:
    """The files named, in order, each folder as its pictures (by suffix, sorted by name; not its subfolders)."""
    from pathlib import Path

    paths = []
    for given in inputs:
        if Path(given).is_dir():
            found = sorted(str(p) for p in Path(given).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
            if not found:
                raise ConvzooError(f"{given}: a folder with no pictures in it ({', '.join(IMAGE_SUFFIXES)})")
            paths += found
        else:
            paths.append(given)
    return paths


@cli.command()
@click.option("--model", "model_path", required=True, metavar="PATH")
@click.option("--show", metavar="FILE.png", help="Also write the 28x28 digit the model was given (one IMAGE only).")
@click.argument("images", nargs=-1, required=True, metavar="IMAGE...")
def predict(model_path, show, images):
    """The top-3 digits for each IMAGE (or each picture in a folder): a photo, a scan or a drawing (any size,
    dark on light or light on dark, transparent PNGs too), cleaned of its background and centred and scaled as
    MNIST's digits were. A picture that does not look like a digit is said to be so. Several images: one line
    each; one that cannot be read gets its line on stderr, the others are still predicted, and the exit status
    is 2."""
    import numpy as np

    from .zoo.keras import training

    paths = _pictures(images)
    if show and len(paths) > 1:
        raise ConvzooError(f"--show writes one picture; {len(paths)} images were given")
    digits = []  # (path, its 28x28 digit, None where no stroke stands out, or why it cannot be read)
    for path in paths:  # every picture read before TensorFlow's model is loaded: a wrong one fails fast
        try:
            digits.append((path, training.digit_from_image(path)))
        except ConvzooError as err:
            if len(paths) == 1:
                raise
            digits.append((path, err))
    readable = [d for _, d in digits if isinstance(d, np.ndarray)]
    model = training.load_model(model_path) if readable else None
    answers = iter(training.predict_digits(model, np.stack(readable)) if readable else [])
    for path, digit in digits:
        if isinstance(digit, ConvzooError):
            click.echo(f"convzoo: error: {digit}", err=True)
            continue
        if digit is None:
            verdict, top = "no digit: no stroke stands out from the paper", []
        else:
            top, verdict = next(answers)
        said = f"warning: {verdict}" if top and verdict else verdict  # a prediction with a doubt, or no digit
        if len(paths) == 1:  # one picture: its top 3, a line each
            for digit_class, probability in top:
                click.echo(f"{digit_class}  {probability:.1%}")
            if said:
                click.echo(said)
        else:
            guesses = ", ".join(f"{c} {p:.1%}" for c, p in top)
            click.echo(f"{path}: " + "; ".join(x for x in (guesses, said) if x))
    if show and isinstance(digits[0][1], np.ndarray):
        from PIL import Image

        try:
            Image.fromarray(digits[0][1]).save(show, format="PNG")
        except (OSError, ValueError) as err:
            raise ConvzooError(f"cannot write --show {show}: {getattr(err, 'strerror', None) or err}") from None
        click.echo(f"wrote {show}")
    if any(isinstance(d, ConvzooError) for _, d in digits):
        _exit(EXIT_USAGE)


@cli.command()
@click.option("--model", "model_path", required=True, metavar="PATH")
@click.option("--index", type=click.IntRange(0), default=None, help="Which test digit to show (default 0).")
@click.option("--image", "image_path", metavar="FILE", help="Your own digit instead (prepared as predict does).")
@click.option("--data", metavar="PATH.npz", help="MNIST in Keras' layout; default: keras.datasets.mnist.")
@click.option("--out", default="visualize", show_default=True, metavar="DIR")
def visualize(model_path, index, image_path, data, out):
    """PNGs: the digit the model is given (with its label and the prediction), the first conv layer's filters and
    every conv layer's activation maps for it."""
    from pathlib import Path

    from .zoo.keras import training

    if image_path and index is not None:
        raise ConvzooError("give either --index (a test digit) or --image FILE (your own), not both")
    model = training.load_model(model_path)
    if image_path:
        digit, label = training.digit_from_image(image_path), None
        if digit is None:
            raise ConvzooError(f"{image_path}: no stroke stands out from the paper; expected one handwritten digit")
    else:
        mnist = training.load_mnist(data)
        index = index or 0
        if index >= len(mnist.x_test):
            raise ConvzooError(
                f"--index {index} is past the {len(mnist.x_test)} test digits (0-{len(mnist.x_test) - 1})"
            )
        digit, label = mnist.x_test[index], int(mnist.y_test[index])
    for path in training.visualize(model, digit, Path(out), label):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("model_path", metavar="RUN_DIR_OR_MODEL")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: a free port.")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option(
    "--data",
    metavar="PATH.npz",
    help="MNIST for 'load a test digit'; default: the run's --data, else keras' downloaded copy.",
)
def explore(model_path, port, no_browser, data):
    """Draw a digit and watch a trained model see it, layer by layer, with the lecture's arithmetic beside every
    layer: a page served on 127.0.0.1 only (Ctrl-C stops it)."""
    import os
    import webbrowser

    from .zoo import explore as server

    model_file = server.locate(model_path)  # a wrong path: one line before TensorFlow starts
    httpd = server.bind(port)  # a port in use too; connections wait until the page is ready
    try:
        from .templates import render
        from .zoo.keras import explore as keras_side

        explorer = keras_side.Explorer(keras_side.open_model(model_file, keras_side.read_run(model_file), data))
        app = server.App(explorer, render("explore.html.j2", model=explorer.description()))
        url = server.address(httpd)
        click.echo(f"convzoo explore: {explorer.opened.name} from {model_file} at {url} (Ctrl-C stops)")
        # a desktop's browser only: on a bare terminal Python would start a text browser in its place
        if not no_browser and (
            sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            webbrowser.open(url)
        try:
            server.serve(httpd, app)
        except KeyboardInterrupt:
            click.echo(("\n" if sys.stderr.isatty() else "") + "convzoo explore: stopped", err=True)
    finally:
        httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    """The console script and ``python -m convzoo``: the exit status of ``convzoo ARGV``."""
    return cli.status(argv)
