"""Files into a folder, all or none: the files a quiz writes in a format (with a roster its key; with several
versions or a roster the companions ``grade`` reads), the checks that nothing is overwritten without --force,
and the writer that puts every file in place or none. ``convzoo quiz --out``, ``convzoo grade`` and the Python
API's ``write`` share it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from ..zoo.errors import ConvzooError
from .collector import collector_paused
from .formats import PLAIN, Format, Layout, get
from .interrupts import deferred_sigint
from .quiz import Quiz, Settings, draw

ROSTER_KEY = "roster-key.csv"
Documents = dict[str, str | bytes]  # file name -> content, in the order the files are written
# grade's files made as they are written: their names, and write(path_of), which puts names[k] at path_of(k)
Made = tuple[list[str], Callable[[Callable[[int], str]], None]]


@dataclass(frozen=True)
class QuizFiles:
    """The files a quiz writes into ``out`` in format ``fmt``: ``names``, the format's own (and a roster's key),
    which are never overwritten without ``force``, and ``companions``, quiz.json and the two answer sheets
    ``grade`` reads, written beside every format: the same quiz in several formats into one folder writes them
    again, unchanged."""

    fmt: str
    out: str | None
    names: tuple[str, ...]
    companions: tuple[str, ...]
    roster: bool
    layout: Layout = PLAIN
    force: bool = False

    @classmethod
    def plan(
        cls,
        fmt: str,
        out: str | None,
        labels: list[str],
        students: tuple[tuple[str, str], ...] | None = None,
        layout: Layout | None = None,
        force: bool = False,
    ) -> QuizFiles:
        """The files of a quiz with versions ``labels`` (one per student of a roster, if ``students``), its
        sheets laid out as ``layout`` says."""
        layout = layout or PLAIN
        roster = students is not None
        companions: tuple[str, ...] = ()
        # answers typed from the papers (or read by scan) go in a sheet for grade
        if out is not None and (roster or len(labels) > 1 or layout.scannable):
            from .grade import FORM, TEMPLATE

            companions = ("quiz.json", TEMPLATE, FORM)
        names = [n for n in get(fmt).file_names(labels, layout, students or ()) if n not in companions]
        return cls(fmt, out, tuple(names + ([ROSTER_KEY] if roster else [])), companions, roster, layout, force)

    @classmethod
    def of(cls, quiz: Quiz, fmt: str, out: str, force: bool = False) -> QuizFiles:
        """The files of a quiz already drawn."""
        heads = [v.student for v in quiz.versions]
        students = tuple((s["id"], s["name"]) for s in heads if s) if any(heads) else None
        return cls.plan(fmt, out, [v.version for v in quiz.versions], students, force=force)

    @property
    def format(self) -> Format:
        return get(self.fmt)

    def check(self) -> None:
        """Refuse, before any work, an ``out`` that is a file or already holds one of the files (without
        --force), then a format whose engine (Chromium, LuaLaTeX) is not installed."""
        if self.out is not None:
            check_out(self.out, list(self.names), self.force)
        self.format.check_engine()

    def build(self, settings: Settings) -> tuple[Quiz, Documents]:
        """Draw the quiz of ``settings``, then render it: the Quiz and every file's content (a class's quiz is
        millions of small objects that make no cycles: the collector is paused for both)."""
        with collector_paused():
            built = draw(settings)
            return built, self.render(built)

    def render(self, quiz: Quiz) -> Documents:
        """Every file's content, for a quiz already drawn."""
        return self._complete(quiz, self.format.documents(quiz, self.layout))

    def _complete(self, quiz: Quiz, documents: Documents) -> Documents:
        """The format's documents, with the roster key and the companions (refused where another quiz wrote
        them)."""
        if self.roster:
            from .roster import roster_key

            documents[ROSTER_KEY] = roster_key(quiz)
        if self.companions:
            from .grade import FORM, TEMPLATE, answers_form, answers_template, graded_from_drawn
            from .record import quiz_json

            if "quiz.json" not in documents:  # the json format and --scannable's pdf have encoded it already
                documents["quiz.json"] = quiz_json(quiz)
            graded = graded_from_drawn(quiz)
            documents[TEMPLATE] = answers_template(graded)
            documents[FORM] = answers_form(graded)
            if self.out is not None:
                check_companions(self.out, {name: documents[name] for name in self.companions}, self.force)
        return documents

    def write(self, documents: Documents) -> list[str]:
        """Write every document into ``out``, or none (see ``write_files``): the paths written."""
        if self.out is None:  # planned for stdout: the documents are printed, not written
            raise ValueError("no folder to write the quiz's files into")
        return write_files(self.out, documents)


def check_out(out: str, names: list[str], force: bool) -> None:
    """Refuse, before any work, an --out that is a file or already holds one of the files to write."""
    if not os.path.exists(out):  # a new folder: nothing in it to replace
        return
    if not os.path.isdir(out):
        raise ConvzooError(f"--out {out} is a file, not a directory")
    existing = [os.path.join(out, n) for n in names if os.path.exists(os.path.join(out, n))]
    if existing and not force:
        raise ConvzooError(f"{existing[0]} already exists; use --force to overwrite")


def check_companions(out: str, documents: Documents, force: bool) -> None:
    """Refuse to replace a file that another quiz wrote (the same quiz writes the same bytes)."""
    for name, content in documents.items():
        path = os.path.join(out, name)
        if not force and os.path.isfile(path):
            with open(path, "rb") as handle:
                if handle.read() != (content if isinstance(content, bytes) else content.encode("utf-8")):
                    raise ConvzooError(f"{path} already exists, from another quiz; use --force to overwrite")


def save(path: str, content: str | bytes) -> None:
    """A text (as UTF-8) or a PDF's bytes, into a new file."""
    with open(path, "wb") as handle:
        handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))


def write_files(out: str, documents: Documents, made: Made | None = None) -> list[str]:
    """Write every document into OUT, or none: all go into a temporary folder in OUT first (``made``: the names of
    more files and what writes them there, as they are made: ``write(path_of)`` puts names[k] at path_of(k)); only
    when all are written are they renamed into place, and a rename that fails (or Ctrl-C before then) takes back
    the files this run created. A folder that is not there yet (grade's feedback/ for a new --out) is made in the
    temporary folder with its files and renamed into place whole: one rename, not one per student's page."""
    more, write = made or ([], None)
    names = list(documents) + more
    targets = [os.path.join(out, name) for name in names]
    scratch: str | None = None
    created: list[str] = []
    moved: list[str] = []  # new folders renamed into place whole
    try:
        missing: list[str] = []
        folder = os.path.abspath(out)
        while not os.path.exists(folder):  # --out and any folder above it that this run makes
            missing.insert(0, folder)
            folder = os.path.dirname(folder)
        with deferred_sigint():
            os.makedirs(out, exist_ok=True)
            created += missing
        blocked = next((t for t in targets if os.path.isdir(t)), None)
        if blocked:
            raise ConvzooError(f"cannot write {blocked}: a directory of that name is in the way")
        # a file's folder (students/, grade's feedback/) -> the highest folder above it in OUT that is not there yet
        new: dict[str, str | None] = {}
        for folder in {os.path.dirname(t) for t in targets}:
            top, above = None, folder
            while above and not os.path.isdir(above):  # OUT is there by now: it ends there
                if os.path.lexists(above):  # a file in the way: refused as making the folder refuses it
                    os.makedirs(folder)
                top, above = above, os.path.dirname(above)
            new[folder] = top
        with deferred_sigint():  # a Ctrl-C between making the temporary folder and noting it would leave it behind
            scratch = tempfile.mkdtemp(dir=out, prefix=".convzoo-")
        tree = os.path.join(scratch, "tree")  # the new folders, as they will be in OUT; the other files by number
        # a file in a new folder (a class's pages) is staged as its name says, in the tree
        in_tree = [bool(new[os.path.dirname(t)]) for t in targets]
        staged = [
            os.path.join(tree, name) if in_new else os.path.join(scratch, str(k))
            for k, (name, in_new) in enumerate(zip(names, in_tree))
        ]
        for folder in {os.path.dirname(path) for path in staged} - {scratch}:
            os.makedirs(folder, exist_ok=True)
        # made in a private folder, the files have the usual permissions already
        for k, content in enumerate(documents.values()):
            save(staged[k], content)
        if write:
            write(lambda k: staged[len(documents) + k])
        with deferred_sigint():  # a Ctrl-C waits for the renames: every file in place, or none
            for top in sorted({top for top in new.values() if top}):
                os.replace(os.path.join(tree, os.path.relpath(top, out)), top)
                moved.append(top)
            for path, target, in_new in zip(staged, targets, in_tree):
                if in_new:  # in place with its folder
                    continue
                existed = os.path.exists(target)
                os.replace(path, target)
                if not existed:
                    created.append(target)
            shutil.rmtree(scratch)  # empty but for the new folders' emptied tree
            # all in place: nothing to take back, even for a Ctrl-C held until now
            scratch, created, moved = None, [], []
    except BaseException as err:  # a failed write or rename, or Ctrl-C
        with deferred_sigint():  # a second Ctrl-C waits for the clean-up
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
            for folder in moved:  # renamed into place whole by this run: none of it was there
                shutil.rmtree(folder, ignore_errors=True)
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
