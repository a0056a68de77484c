"""convzoo's command line: calc, zoo, quiz, kinds, grade, scan, convolve, pool, practice, progress, train, evaluate,
predict, visualize, explore.

A thin root group, with one module per command in ``commands/``, listed in ``COMMANDS`` and imported only when
its command runs: a command pays only for what it uses, and ``--help`` lists them all without importing one.
Exit statuses are decided in one place, the root group: 0 success, 1 a check found a difference (``--verify``,
``zoo verify``, ``--keras``) or an outside engine failed (the PDF printer), 2 bad input or usage (one line on
stderr, ``convzoo: error: ...``, never a traceback), 130 interrupted. Commands that do not need Keras never
import TensorFlow.
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
    assert _spec is not None and _spec.loader is not None  # a .py file always has a spec and a loader
    sys.modules["convzoo"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["convzoo"])
    sys.exit(importlib.import_module("convzoo.cli").main())

import importlib
import sys

import click

from . import __version__
from .commands.common import Different, PartlyRead, Stopped
from .questions.collector import start_up_done
from .zoo.errors import ConvzooError

EXIT_DIFFERENT = 1  # a check (--verify, zoo verify, --keras) found a difference
EXIT_USAGE = 2  # bad input or usage
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
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
        # a command that has said why it ends: its status, as click's own exit (so click's main returns it too)
        except Different:  # each difference printed already
            ctx.exit(EXIT_DIFFERENT)
        except PartlyRead:  # each input that could not be read said so on its line
            ctx.exit(EXIT_USAGE)
        except Stopped:  # the command said so in its own words
            ctx.exit(EXIT_INTERRUPTED)

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
            if _does_not_fit(err):  # the command line's way to compute it anyway
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

    # The commands load lazily: a command's module (and all it imports) is imported when that command runs, so
    # `convzoo calc` does not pay for the quiz's modules, and `convzoo --help` lists them all from COMMANDS.
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name, _ = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"{__package__}.commands.{module}"), name), cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and click.utils.make_str(args[0]) not in COMMANDS:
            # not a command of ours: every one loaded, so that click's "Did you mean ...?" knows them all
            for name in COMMANDS:
                self.get_command(ctx, name)
        resolved = super().resolve_command(ctx, args)
        start_up_done()  # the command's module is loaded
        return resolved

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The help's "Commands:", as click lists them (each help shortened to fit the width), from the first
        sentences in COMMANDS: listing the commands imports none of them."""
        listed = [
            self.commands.get(name) or click.Command(name, help=COMMANDS[name][2]) for name in self.list_commands(ctx)
        ]
        click.Group(commands=listed).format_commands(ctx, formatter)


def _does_not_fit(err: Exception) -> bool:
    """A window that does not fit, which --floor would compute (only the engine raises it, so it is loaded)."""
    engine = sys.modules.get(f"{__package__}.zoo.engine")
    return engine is not None and isinstance(err, engine.DoesNotFit)


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
    convzoo progress                                              what practice has kept: mastery, due, streak
    convzoo train lenet5 --data mnist.npz                         LeNet-5 learns MNIST (>= 99%)
    """


# Every command: its name, its module in commands/, the command's name there, and the first sentence of its help,
# which `convzoo --help` lists (tests/test_cli.py checks that each is the command's own, and the listing click's).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "calc": (
        "calc",
        "calc",
        "Output shape, parameters, receptive field and MACs of every layer in SPEC, with the worked steps.",
    ),
    "zoo": ("zoo", "zoo_group", "The lecture's architectures: list them, show them worked, verify them against Keras."),
    "quiz": ("quiz", "quiz", "Question sheets and answer keys on output sizes and parameter counts."),
    "kinds": (
        "kinds",
        "kinds_command",
        "Every question kind: its syllabus, what it asks, and an example question with its answer.",
    ),
    "grade": (
        "grade",
        "grade_command",
        "Mark the answers a class gave to a quiz written with --out DIR: grades.csv, a feedback page per student "
        "and the class report, with the misconceptions behind the wrong answers.",
    ),
    "scan": (
        "scan",
        "scan_command",
        "Read a class's scanned answer sheets (quiz --format pdf --scannable) into answers.csv for grade.",
    ),
    "convolve": (
        "convolve",
        "convolve",
        "Slide a kernel over an input and print the feature map, with the lecture's working.",
    ),
    "pool": (
        "pool",
        "pool_command",
        "Max or average pooling of a feature map, e.g. the lecture's 2x2 max pooling at stride 2.",
    ),
    "practice": (
        "practice",
        "practice",
        "Practise in the terminal: one question at a time, a verdict, the likely mistake and the worked solution.",
    ),
    "progress": (
        "progress",
        "progress",
        "Your practice so far: each kind's answers, share right, recent trend, box and when it is due again; the "
        "named mistakes you made; and your streak of days.",
    ),
    "train": (
        "train",
        "train",
        "Train a zoo model on MNIST (e.g. convzoo train lenet5): curves, confusion matrix and the model in --out.",
    ),
    "evaluate": (
        "evaluate",
        "evaluate",
        "Test accuracy, loss and per-class accuracy of a trained model (--json adds the confusion matrix).",
    ),
    "predict": (
        "predict",
        "predict",
        "The top-3 digits for each IMAGE (or each picture in a folder): a photo, a scan or a drawing (any size, "
        "dark on light or light on dark, transparent PNGs too), cleaned of its background and centred and scaled "
        "as MNIST's digits were.",
    ),
    "visualize": (
        "visualize",
        "visualize",
        "PNGs: the digit the model is given (with its label and the prediction), the first conv layer's filters "
        "and every conv, pooling and dense layer's output for it, on colour scales marked at zero.",
    ),
    "explore": (
        "explore",
        "explore",
        "Draw a digit and watch a trained model see it, layer by layer, with the lecture's arithmetic beside every "
        "layer: a page served on 127.0.0.1 only (Ctrl-C stops it).",
    ),
}


def main(argv: list[str] | None = None) -> int:
    """The console script and ``python -m convzoo``: the exit status of ``convzoo ARGV``."""
    return cli.status(argv)
