"""Ctrl-C at any moment of a build ends it within 2 seconds, with status 130 and one line, leaving nothing behind:
no temporary folder, no worker or browser process, no half-written file in --out. A print engine that fails or
takes too long is stopped, and said so in one line, with status 1."""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest
from convzoo import cli
from convzoo.questions import pdf
from interrupting import BUILDS, delays, interrupt
from interrupting import span as timed_span

TRIES = {"html": 4, "pdf": 4}  # about 60 s in all on a busy 2-core machine; `python tests/interrupting.py 60` sweeps
# A build is timed once per session (the Ctrl-C and SIGTERM tests of pdf builds run one after the other)
span = functools.cache(timed_span)


@pytest.mark.parametrize("build", BUILDS)
def test_ctrl_c_at_random_moments_ends_the_build_cleanly(build):
    if build == "pdf" and pdf.engine() is None:
        pytest.skip("no PDF engine (.ci/run installs Debian's chromium with apt)")
    rng = random.Random()  # other moments each run; a failure names its moment
    seconds = span(build)  # the moments are taken from this build, as long as it takes here and now
    outcomes = [interrupt(build, delay) for delay in delays(rng, TRIES[build], seconds)]
    failed = [f"Ctrl-C at {o.delay:.2f} s of {seconds:.1f}: {'; '.join(o.problems)}" for o in outcomes if o.problems]
    assert not failed, "\n".join(failed)
    assert any(o.status == 130 for o in outcomes), outcomes  # at least one try caught the build at work


def test_sigterm_during_a_pdf_build_leaves_no_process_no_temporary_folder_and_no_out():
    if pdf.engine() != "chromium":
        pytest.skip("needs Debian's chromium (.ci/run installs it with apt)")
    seconds = span("pdf")
    # the moments when the browser runs: from a third of the build (TensorFlow-free start-up, the quiz built) on
    outcomes = [interrupt("pdf", seconds * share, sent_signal=signal.SIGTERM) for share in (0.35, 0.55, 0.75)]
    failed = [f"SIGTERM at {o.delay:.2f} s of {seconds:.1f}: {'; '.join(o.problems)}" for o in outcomes if o.problems]
    assert not failed, "\n".join(failed)
    assert any(o.status == -signal.SIGTERM for o in outcomes), outcomes


def test_a_full_disk_leaves_no_folder_the_run_made(tmp_path, monkeypatch, capsys):
    import errno

    from convzoo.questions import deliver

    def full(path, content):  # a file on a full disk: it is created, and writing to it fails
        open(path, "wb").close()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(deliver, "save", full)
    out = tmp_path / "new" / "quiz"
    status = cli.main(["quiz", "-n", "2", "--format", "html", "--out", str(out)])
    assert (status, capsys.readouterr().err) == (
        2,
        f"convzoo: error: cannot write to --out {out}: No space left on device\n",
    )
    assert list(tmp_path.iterdir()) == []  # neither --out nor the folder above it, both made by this run
    out.mkdir(parents=True)
    (out / "mine.txt").write_text("the user's own")
    assert cli.main(["quiz", "-n", "2", "--format", "html", "--out", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["mine.txt"]  # a folder that was there stays, as it was


def _fake_browser(folder: Path, script: str) -> None:
    """A `chromium` first on PATH that runs ``script`` (sh) and leaves its own child's pid in $FAKE_PIDS."""
    folder.mkdir()
    browser = folder / "chromium"
    browser.write_text(f'#!/bin/sh\nsleep 60 &\necho $! >> "$FAKE_PIDS"\n{script}\n')
    browser.chmod(0o755)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a killed one takes a moment to be gone)."""
    for _ in range(20):
        if not _running(pid):
            return False
        time.sleep(0.05)
    return True


def _running(pid: int) -> bool:
    try:
        state = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "zombie" not in state


@pytest.mark.skipif(not hasattr(os, "killpg") or shutil.which("sh") is None, reason="needs POSIX process groups")
@pytest.mark.parametrize(
    "script, message",
    [
        (
            "sleep 60",
            "chromium could not print the PDF: it printed nothing for 1 s and was stopped; nothing was written",
        ),
        (
            "echo 'first line' >&2; echo 'the reason' >&2; exit 3",
            "chromium could not print the PDF: it stopped (exit 3): the reason",
        ),
    ],
)
def test_a_print_engine_that_fails_or_takes_too_long_is_stopped_in_one_line(
    script, message, tmp_path, monkeypatch, capsys
):
    _fake_browser(tmp_path / "bin", script)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_PIDS", str(tmp_path / "pids"))
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    monkeypatch.setattr(pdf, "engine", lambda: "chromium")
    monkeypatch.setattr(pdf, "TIMEOUT_S", 1)
    started = time.perf_counter()
    status = cli.main(["quiz", "-n", "2", "--format", "pdf", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert (status, err) == (1, f"convzoo: error: {message}\n")
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not any(scratch.iterdir())  # the print's folder is gone
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
    assert pids and not any(_alive(p) for p in pids)  # and every process the engine started


def _interrupt_renames(monkeypatch, how):
    """os.replace, interrupted as ``how`` says on its first call."""
    calls = []
    replace = os.replace

    def interrupted(source, target):
        calls.append(target)
        if len(calls) == 1:
            how()
        replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    return calls


def test_ctrl_c_before_every_file_is_in_place_takes_back_what_was_written(tmp_path, monkeypatch, capsys):
    def raise_interrupt():
        raise KeyboardInterrupt

    _interrupt_renames(monkeypatch, raise_interrupt)
    status = cli.main(["quiz", "-n", "2", "--format", "html", "--out", str(tmp_path)])
    assert (status, capsys.readouterr().err) == (130, "convzoo: interrupted\n")
    assert list(tmp_path.iterdir()) == []  # no temporary file, no lone sheets.html


def test_ctrl_c_while_the_files_are_renamed_waits_until_all_are_in_place(tmp_path, monkeypatch, capsys):
    calls = _interrupt_renames(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGINT))
    status = cli.main(["quiz", "-n", "2", "--format", "html", "--out", str(tmp_path)])
    assert (status, capsys.readouterr().err) == (130, "convzoo: interrupted\n")
    assert len(calls) == 3 and sorted(p.name for p in tmp_path.iterdir()) == [
        "keys.html",
        "marking-key.html",
        "sheets.html",
    ]
    assert all(p.read_text().endswith("</html>\n") for p in tmp_path.iterdir())


def _parent_of(pid: str) -> str | None:
    try:
        return Path("/proc", pid, "stat").read_text().rsplit(") ", 1)[-1].split()[1]
    except (FileNotFoundError, ProcessLookupError):  # it ended between the listing and the read
        return None


def _children() -> set[int]:
    """This process's live child processes."""
    return {
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent_of(p.name) == str(os.getpid()) and _running(int(p.name))
    }


def test_an_error_in_a_worker_reaches_the_command_line_and_no_worker_is_left(monkeypatch):
    from convzoo.questions import parallel
    from convzoo.zoo.errors import ConvzooError

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    if parallel.pool_size(4) == 1:
        pytest.skip("one core: the batches are worked here, without workers")

    def work(batch):
        if "b" in batch:
            raise ConvzooError(f"no {batch}")
        return batch

    before = _children()
    with pytest.raises(ConvzooError, match="no "):
        parallel.in_batches(["a", "b", "c", "d"], work)
    assert _children() <= before


def test_a_full_disk_under_the_print_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    import errno

    if pdf.engine() != "chromium":
        pytest.skip("needs Debian's chromium (.ci/run installs it with apt)")
    write_text = Path.write_text

    def full(self, *args, **kwargs):  # the print's pages find the disk full; other files are written
        if self.name.startswith("page-"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_text(self, *args, **kwargs)

    import tempfile

    # a short path: Chromium aborts where its temporary folder's path is long (its sockets' names have a limit)
    scratch = Path(tempfile.mkdtemp(prefix="full-"))
    monkeypatch.setattr(Path, "write_text", full)
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    try:
        status = cli.main(["quiz", "-n", "2", "--format", "pdf", "--out", str(tmp_path / "out")])
    finally:
        left = list(scratch.iterdir())
        shutil.rmtree(scratch)
    err = capsys.readouterr().err
    assert (status, err) == (
        2,
        f"convzoo: error: cannot print the PDF: cannot write its pages in {scratch} (No space left on device)\n",
    ), err
    assert not (tmp_path / "out").exists() and left == []
    from interrupting import _processes_mentioning

    assert _processes_mentioning(str(scratch)) == []  # the browser and its crash reporters are gone


@pytest.mark.parametrize("moment", ["folder", "page"])
def test_ctrl_c_while_grade_makes_its_temporary_files_leaves_none(tmp_path, monkeypatch, capsys, moment):
    """A Ctrl-C right after the temporary folder is made, before it is noted for taking back, or as the third
    file is written into it (grade writes a page per student: many files, many such moments): nothing is left,
    not even a .convzoo-* folder."""
    import tempfile

    from convzoo.questions import grade_report

    assert cli.main(["quiz", "-n", "2", "--versions", "2", "--format", "json", "--out", str(tmp_path / "exam")]) == 0
    template = (tmp_path / "exam" / "answers-template.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "answers.csv").write_text(
        "\n".join([template[0]] + [f"s{n}," + template[1 + n % 2][1:] for n in range(6)]) + "\n", encoding="utf-8"
    )
    made = []
    make = tempfile.mkdtemp if moment == "folder" else grade_report.save

    def interrupted(*args, **kwargs):
        result = make(*args, **kwargs)
        made.append(result)
        if len(made) == (1 if moment == "folder" else 3):
            os.kill(os.getpid(), signal.SIGINT)  # arrives as the folder or the file is made, before grade goes on
        return result

    monkeypatch.setattr(tempfile if moment == "folder" else grade_report, make.__name__, interrupted)
    capsys.readouterr()
    status = cli.main(
        ["grade", str(tmp_path / "exam"), "--answers", str(tmp_path / "answers.csv"), "--out", str(tmp_path / "marks")]
    )
    assert (status, capsys.readouterr().err) == (130, "convzoo: interrupted\n")
    assert made and not (tmp_path / "marks").exists()
