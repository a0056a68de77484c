"""Printable PDF from the html sheets and keys, by a real engine: WeasyPrint if installed, else headless
Chromium (or Chrome). Neither is a dependency of convzoo: without them, ``--format pdf`` says how to get one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from convzoo.questions.interrupts import deferred_sigint
from convzoo.zoo.errors import ConvzooError, EngineFailed

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "pip install weasyprint, or install Chromium (Debian/Ubuntu: apt-get install chromium)"
PRINT_SECONDS = 300  # the least time a print engine gets; a long document gets more (print_timeout)
# a quarter of Chromium's pace on a busy 2-core machine (a 4.3 MB key, 200 versions, printed in 130 s)
HTML_BYTES_PER_SECOND = 8_000


class NoPdfEngine(ConvzooError):
    """No engine to print PDF with; the message says how to install one."""


def engine() -> str | None:
    try:
        import weasyprint  # noqa: F401

        return "weasyprint"
    except ImportError:
        return next((b for b in BROWSERS if shutil.which(b)), None)


def print_timeout(html: str) -> float:
    """Seconds the browser gets to print ``html`` before convzoo gives up on it."""
    return max(PRINT_SECONDS, len(html) / HTML_BYTES_PER_SECOND)


def print_pdf(html: str) -> bytes:
    found = engine()
    if found is None:
        raise NoPdfEngine(f"--format pdf needs WeasyPrint or Chromium, and neither is installed: {INSTALL}")
    if found == "weasyprint":
        import weasyprint

        return weasyprint.HTML(string=html).write_pdf()
    work = Path(tempfile.mkdtemp(prefix="convzoo-pdf-"))
    try:
        page, pdf = work / "page.html", work / "page.pdf"
        page.write_text(html, encoding="utf-8")
        # no network, no profile left behind: the page is self-contained
        command = [shutil.which(found), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={work / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        seconds = print_timeout(html)
        try:
            status, stderr = _run_engine(command, work, seconds)
        except subprocess.TimeoutExpired:
            raise EngineFailed(f"{found} did not finish printing the PDF ({len(html) / 1e6:.1f} MB of html) in "
                               f"{seconds:.0f} s and was stopped; nothing was written: print fewer versions at "
                               "a time") from None
        if status != 0 or not pdf.exists():
            raise EngineFailed(f"{found} could not print the PDF (exit {status}): "
                               f"{(stderr.strip().splitlines() or ['no message'])[-1]}")
        return pdf.read_bytes()
    finally:
        with deferred_sigint():  # even on Ctrl-C: no temporary folder left behind
            _remove(work)


def _run_engine(command: list[str], work: Path, seconds: float) -> tuple[int, str]:
    """Run the browser to its end (its exit status and stderr) or for ``seconds`` at most (TimeoutExpired). It
    runs in a session of its own, so a terminal's Ctrl-C reaches convzoo alone; however the print ends (done,
    timed out, Ctrl-C), every process the browser started is killed with it. Its stderr goes to a file: a
    process it left behind could hold a pipe open."""
    log = work / "engine.log"
    with open(log, "wb") as stderr, subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                     stderr=stderr, env={**os.environ, "TMPDIR": str(work)},
                                                     start_new_session=True) as browser:
        try:
            status = browser.wait(timeout=seconds)
        finally:
            with deferred_sigint(), suppress(ProcessLookupError):
                os.killpg(browser.pid, signal.SIGKILL)
    return status, log.read_text(encoding="utf-8", errors="replace")


def _remove(folder: Path) -> None:
    """Remove the print's folder; a browser process killed a moment ago may still be letting go of it."""
    for _ in range(40):  # a second at most
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.025)
