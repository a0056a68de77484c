"""The output formats of a drawn quiz, one module each, registered as question kinds and zoo models are.

A format is a ``Format`` subclass decorated with ``@register``: it names its files (before the quiz is drawn,
so that the command line can refuse to overwrite them first), renders a drawn quiz into them, and says whether
its engine (Chromium, LuaLaTeX) is there. Every module here is imported on first use, so adding a format is
adding its module and its template; ``convzoo quiz --format``, the Python API and the file names follow.
The printable sheets and keys that md, html, tex and pdf share are rendered by questions/sheets.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ...zoo.errors import ConvzooError
from ...zoo.plugins import import_submodules
from ..quiz import Quiz

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Layout:
    """How the printable sheets look (none of it changes a question): the paper, the front page's course,
    date and duration (left blank to fill in by hand when not given), --per-student's file per student, and
    --scannable's answer sheets with their marks and codes (questions/scansheet.py)."""

    paper: str = "a4"
    course: str = ""
    date: str = ""
    duration: str = ""
    per_student: bool = False
    scannable: bool = False


PLAIN = Layout()  # the sheets as the command makes them without options (and the API always)
Student = tuple[str, str]  # (id, name) of a roster's row


class Format:
    """One output format: ``name`` is what ``--format`` takes; ``place`` orders the formats in ``--format``'s
    list (ties by name); ``needs_out``: its files are never written to stdout (binary, or several pages)."""

    name: ClassVar[str]
    place: ClassVar[int] = 100
    needs_out: ClassVar[bool] = False

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        """The files it writes for versions ``labels`` (and ``students``, with a roster), in writing order."""
        raise NotImplementedError

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        """File name -> content (text, or bytes), the names of ``file_names``."""
        raise NotImplementedError

    def check_engine(self) -> None:
        """Refuse, in one line and before any work, where the engine it needs is not installed."""


class OneFile(Format):
    """A format of one file, whatever the versions (an export): ``file`` holds ``content(quiz)``."""

    file: ClassVar[str]

    def file_names(self, labels: Sequence[str], layout: Layout = PLAIN, students: Sequence[Student] = ()) -> list[str]:
        return [self.file]

    def documents(self, quiz: Quiz, layout: Layout = PLAIN) -> dict[str, str | bytes]:
        return {self.file: self.content(quiz)}

    def content(self, quiz: Quiz) -> str | bytes:
        raise NotImplementedError


_FORMATS: dict[str, Format] = {}


def register(cls: type[Format]) -> type[Format]:
    """Class decorator: the format ``cls`` is known by its ``name``."""
    if cls.name in _FORMATS:
        raise ValueError(f"format {cls.name!r} is registered twice")
    _FORMATS[cls.name] = cls()
    return cls


def formats() -> dict[str, Format]:
    """Every format by name, in ``--format``'s order."""
    import_submodules(__name__)
    return dict(sorted(_FORMATS.items(), key=lambda item: (item[1].place, item[0])))


def format_names() -> tuple[str, ...]:
    return tuple(formats())


def get(name: str) -> Format:
    """The format ``name``, or ConvzooError in one line that lists the accepted ones."""
    known = formats()
    if name not in known:
        raise ConvzooError(f"unknown format {name!r}; accepted: {', '.join(known)}")
    return known[name]
