"""convzoo's command line: calc, zoo, quiz, kinds, grade, convolve, pool, practice, train, evaluate, predict, visualize,
explore.

A thin root group, with one module per command in ``commands/`` registered here. Exit statuses are decided in
one place, the root group: 0 success, 1 a check found a difference (``--verify``, ``zoo verify``, ``--keras``) or
an outside engine failed (the PDF printer), 2 bad input or usage (one line on stderr, ``convzoo: error: ...``,
never a traceback), 130 interrupted. Commands that do not need Keras never import TensorFlow.
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

import sys

import click

from . import __version__
from .commands.calc import calc
from .commands.common import Different, PartlyRead, Stopped
from .commands.convolve import convolve
from .commands.evaluate import evaluate
from .commands.explore import explore
from .commands.grade import grade_command
from .commands.kinds import kinds_command
from .commands.pool import pool_command
from .commands.practice import practice
from .commands.predict import predict
from .commands.quiz import quiz
from .commands.train import train
from .commands.visualize import visualize
from .commands.zoo import zoo_group
from .zoo.engine import DoesNotFit
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


COMMANDS = (
    calc,
    zoo_group,
    quiz,
    kinds_command,
    grade_command,
    convolve,
    pool_command,
    practice,
    train,
    evaluate,
    predict,
    visualize,
    explore,
)
for command in COMMANDS:
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """The console script and ``python -m convzoo``: the exit status of ``convzoo ARGV``."""
    return cli.status(argv)
