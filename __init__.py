"""convzoo: the lecture's CNN arithmetic, worked and checked against Keras, from Python.

    >>> import convzoo
    >>> convzoo.analyze("input 32x32x3, conv 10 5x5 stride 1 pad 2").total_params
    760

Everything in ``__all__`` is the public API (the README's "From Python" shows each with its output); the
subpackages are private. Importing convzoo imports no TensorFlow, Keras or numpy: only ``build`` and ``train``
load them, when called.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for the annotations only: importing convzoo stays quick
    from .questions.quiz import Quiz
    from .zoo.errors import ConvzooError
    from .zoo.keras.training import Run
    from .zoo.report import Analysis

__version__ = "0.1.0"

__all__ = [
    "ConvzooError",
    "__version__",
    "analyze",
    "build",
    "kinds",
    "list_models",
    "quiz",
    "render",
    "summary",
    "train",
    "write",
]


def __getattr__(name: str) -> type[ConvzooError]:
    # ConvzooError loads with the engine on first use, so that `import convzoo` is quick: the command, started
    # as convzoo.__main__.run, handles Ctrl-C from its first moments
    if name == "ConvzooError":
        from .zoo.errors import ConvzooError

        return ConvzooError
    raise AttributeError(f"module 'convzoo' has no attribute {name!r}")


def analyze(spec: str, *, floor: bool = False) -> Analysis:
    """Every layer of ``spec`` (the layer-spec language of ``convzoo calc``) worked: an Analysis whose ``str()``
    is calc's table and steps, shown as a table in Jupyter; ``.layers``, ``.total_params``, ``.to_dict()`` (as
    ``calc --json``). ``floor=True`` lets a window that does not fit drop the last rows and columns, as Keras
    does. Bad input raises ConvzooError."""
    from .zoo.engine import analyze as analyze_spec
    from .zoo.report import Analysis

    return Analysis(analyze_spec(spec, floor=floor))


def list_models() -> list[str]:
    """The zoo's model names, for ``summary`` and ``build``."""
    from .zoo.registry import list_models as names

    return names()


def summary(name: str, **options: Any) -> Analysis:
    """Zoo model ``name`` worked layer by layer (as ``convzoo zoo summary``): an Analysis, like ``analyze``'s."""
    from .zoo.registry import get

    return get(name).summary(**options)


def build(name: str, *, compile: bool = False, **options: Any) -> Any:  # a keras.Model
    """Zoo model ``name`` as a real ``keras.Model`` (imports Keras); ``compile=True`` compiles it with the
    training recipe (Adam, warm-up then cosine decay, as ``convzoo train``)."""
    from .zoo.registry import build as build_model

    model = build_model(name, **options)
    if compile:
        from .zoo.keras.training import compile_with_recipe

        compile_with_recipe(model)
    return model


def quiz(
    count: int = 10,
    seed: int = 2022,
    kinds: Sequence[str] | None = None,
    difficulty: str = "mixed",
    versions: int = 1,
    mc: bool = False,
    title: str | None = None,
    syllabus: str = "lecture",
    networks: Sequence[str] | None = None,
) -> Quiz:
    """Questions as ``convzoo quiz`` draws them (the same seed, the same questions): a Quiz, a list of its
    questions, version after version, each with ``.prompt``, ``.answer``, ``.answer_text``, ``.solution``,
    ``.check(typed)`` and ``.to_dict()``. ``kinds`` is a list of question kinds (default: all of the syllabus);
    ``title`` defaults to the command's, "CNN quiz"; ``syllabus`` is "lecture" or "extended" (``--syllabus``);
    ``networks`` a list of specs that network_table and total_params ask about (``--spec``)."""
    from .questions.quiz import DEFAULT_TITLE, build_quiz

    return build_quiz(
        title=DEFAULT_TITLE if title is None else title,
        seed=seed,
        count=count,
        kind_names=tuple(kinds) if kinds else None,
        difficulty=difficulty,
        versions=versions,
        mc=mc,
        syllabus=syllabus,
        networks=tuple(networks or ()),
    )


def kinds() -> list[dict[str, Any]]:
    """Every question kind, as ``convzoo kinds --json`` lists it: name, syllabus ("lecture" or "extended"),
    extended (what the extended syllabus adds to it), description, and an example question with its answer."""
    from .questions.quiz import describe_kinds

    return describe_kinds()


def render(quiz: Quiz, fmt: str = "md") -> dict[str, str | bytes]:
    """The files ``convzoo quiz --format FMT --out DIR`` writes, as {file name: content}: text, or bytes for a
    binary file (a zip, a PDF). ``fmt`` is any of ``--format``'s choices (``convzoo quiz --help`` lists them);
    another raises ConvzooError."""
    from .questions.formats import get

    return get(fmt).documents(quiz)


def write(quiz: Quiz, fmt: str, out: str | os.PathLike[str], *, force: bool = False) -> list[str]:
    """Write ``quiz`` into folder ``out`` in format ``fmt``, as ``convzoo quiz --format FMT --out OUT`` writes
    it: the format's files (``render``'s), and beside them, for a quiz of several versions, quiz.json and the
    two answer sheets ``convzoo grade`` reads. Every file is written, or none (the folders it made taken away
    again). A file already in ``out`` is replaced only with ``force=True`` (the command's --force). Returns the
    paths written."""
    from .questions.deliver import QuizFiles

    files = QuizFiles.of(quiz, fmt, os.fspath(out), force)  # an unknown format is refused there, in one line
    files.check()
    return files.write(files.render(quiz))


def train(name: str, data: str | None = None, **options: Any) -> Run:
    """Train zoo model ``name`` on MNIST as ``convzoo train`` does, with its defaults (imports TensorFlow).
    ``data`` is MNIST in Keras' .npz layout (default: keras.datasets.mnist); options: epochs, batch_size, lr,
    augment, seed, out, resume, force, strategy, limit, test_curve, verbose. Returns a Run: ``.path`` (the run
    folder) and ``.metrics`` (its metrics.json)."""
    from .zoo.keras.training import run

    return run(name, data=data, **options)
