"""Printable PDF from the html sheets and keys, by a real engine: WeasyPrint if installed, else headless
Chromium (or Chrome). Neither is a dependency of convzoo: without them, ``--format pdf`` says how to get one.

Chromium is started once and prints every document through its DevTools protocol on a pipe (a start costs
seconds, a print a fraction of one: a roster of 200 is 201 documents). pypdf then puts the printed documents
together, with fixed dates, so the same input gives the same bytes."""

from __future__ import annotations

import base64
import io
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from ..zoo.errors import ConvzooError, EngineFailed
from .interrupts import deferred_sigint
from .latex import FIXED_DATE

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "pip install weasyprint, or install Chromium (Debian/Ubuntu: apt-get install chromium)"
TIMEOUT_S = 300  # a browser that answers nothing for this long is stopped
TABS = max(1, min(4, os.cpu_count() or 1))  # documents printed side by side


class NoPdfEngine(ConvzooError):
    """No engine to print PDF with; the message says how to install one."""


def engine() -> str | None:
    try:
        import weasyprint  # noqa: F401

        return "weasyprint"
    except ImportError:
        return next((b for b in BROWSERS if shutil.which(b)), None)


def check_engine() -> str:
    """The engine's name, or NoPdfEngine (before anything is built or written)."""
    found = engine()
    if found is None:
        raise NoPdfEngine(f"--format pdf needs WeasyPrint or Chromium, and neither is installed: {INSTALL}")
    return found


# Chromium makes its sockets in the temporary folder it is given (ours, inside TMPDIR), and a Unix socket's path
# holds at most 107 bytes: with a TMPDIR longer than about 40 characters (macOS's /var/folders/..., pytest's)
# it aborts. Such a TMPDIR is passed over for /tmp.
LONGEST_TEMP_DIR = 32


def _short_temp_dir() -> str | None:
    """Where the print's temporary folder goes: the usual temporary folder, or /tmp where its path is too long."""
    usual = tempfile.gettempdir()
    if len(usual) > LONGEST_TEMP_DIR and os.path.isdir("/tmp") and os.access("/tmp", os.W_OK | os.X_OK):
        return "/tmp"
    return None


def print_pdfs(documents: list[str]) -> list[bytes]:
    """Each html document printed to PDF, on the paper its CSS asks for (``@page { size }``)."""
    found = check_engine()
    if found == "weasyprint":
        import weasyprint

        return [weasyprint.HTML(string=html).write_pdf() for html in documents]
    try:
        work = Path(tempfile.mkdtemp(prefix="convzoo-pdf-", dir=_short_temp_dir()))
    except OSError as err:
        raise ConvzooError(
            f"cannot print the PDF: no temporary folder in {tempfile.gettempdir()} ({err.strerror or err})"
        ) from None
    try:
        with _Browser(found, work) as browser:
            return browser.print_all(documents)
    finally:
        with deferred_sigint():  # even on Ctrl-C: no temporary folder left behind
            _remove(work)


def _processes_naming(folder: Path) -> list[int]:
    """The live processes whose command line names ``folder`` (Linux's /proc; none elsewhere)."""
    found = []
    with suppress(OSError):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with suppress(OSError):
                    if str(folder).encode() in (entry / "cmdline").read_bytes():
                        found.append(int(entry.name))
    return found


def _remove(folder: Path) -> None:
    """Remove the print's folder; a browser process killed a moment ago may still be letting go of it."""
    for _ in range(40):  # a second at most
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.025)


class _Browser:
    """Headless Chromium driven over --remote-debugging-pipe (fd 3 in, fd 4 out, messages ending in NUL): a few
    tabs, each loading a page from a file and printing it, then the next. It runs in a session of its own, so a
    terminal's Ctrl-C reaches convzoo alone, and however the print ends (done, failed, Ctrl-C, SIGTERM) every
    process it started is killed with it: its process group, and the crash reporters (chrome_crashpad_handler)
    it starts in sessions of their own, known by their database in ``work``. Its temporary files, its
    configuration (where the crash reporter keeps its database) and stderr (a file, not a pipe a helper could
    hold open) are in ``work``."""

    def __init__(self, name: str, work: Path):
        self.name, self.work, self.count, self.buffer = name, work, 0, b""
        to_child, self.to_browser = os.pipe()
        self.from_browser, from_child = os.pipe()

        def pipes_at_3_and_4():  # in the child, before exec: the protocol's fixed descriptors
            a, b = os.dup(to_child), os.dup(from_child)
            os.dup2(a, 3)
            os.dup2(b, 4)

        # no network, no profile left behind: the pages are self-contained, the profile is in ``work``
        command = [
            cast(str, shutil.which(name)),  # engine() found it on the PATH
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.log = work / "engine.log"
        with open(self.log, "wb") as stderr:
            self.process = subprocess.Popen(
                command,
                pass_fds=(3, 4),
                preexec_fn=pipes_at_3_and_4,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**os.environ, "TMPDIR": str(work), "XDG_CONFIG_HOME": str(work)},
                start_new_session=True,
            )
        os.close(to_child)
        os.close(from_child)

    def __enter__(self):
        try:
            self.tabs = []
            for _ in range(TABS):  # each in a context of its own, so in a renderer process of its own
                context = self.call("Target.createBrowserContext")["browserContextId"]
                target = self.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})[
                    "targetId"
                ]
                tab = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
                self.call("Page.enable", session=tab)
                self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=tab)
                self.tabs.append(tab)
        except BaseException:
            self.close(quit_first=False)
            raise
        return self

    def __exit__(self, failed, *exc):
        self.close(quit_first=failed is None)  # after a failure or Ctrl-C, no waiting: it is killed at once

    def close(self, quit_first: bool):
        """Ask the browser to quit (its helpers let go of the profile), then kill whatever of it is left."""
        with deferred_sigint():
            if quit_first:
                with suppress(OSError, subprocess.TimeoutExpired):
                    os.write(self.to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                    self.process.wait(timeout=10)
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            for pid in _processes_naming(self.work):  # the crash reporters, in sessions of their own
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            for fd in (self.to_browser, self.from_browser):
                os.close(fd)

    def print_all(self, documents: list[str]) -> list[bytes]:
        """The documents printed in order, each tab taking the next document when its last one is printed."""
        printed: list[bytes | None] = [None] * len(documents)
        queue = iter(enumerate(documents))
        navigating: dict[int, tuple[str, int]] = {}  # message id -> (tab, index)
        loading: dict[str, tuple[str | None, int]] = {}  # tab -> (loader, index)
        printing: dict[int, tuple[str, int]] = {}  # message id -> (tab, index)

        def next_document(tab):
            index, html = next(queue, (None, None))
            if index is not None:
                assert html is not None  # drawn with its index from the documents
                page = self.work / f"page-{index}.html"
                try:
                    page.write_text(html, encoding="utf-8")
                except OSError as err:  # a full disk, most likely: said in one line, like a full --out
                    raise ConvzooError(
                        f"cannot print the PDF: cannot write its pages in {self.work.parent} ({err.strerror or err})"
                    ) from None
                navigating[self.send("Page.navigate", {"url": page.as_uri()}, tab)] = (tab, index)

        for tab in self.tabs:
            next_document(tab)
        while navigating or loading or printing:
            message = self.receive()
            if "error" in message:
                raise self.failed(f"answered with: {message['error'].get('message', message['error'])}")
            if message.get("id") in navigating:
                tab, index = navigating.pop(message["id"])
                loading[tab] = (message["result"].get("loaderId"), index)
            elif message.get("id") in printing:
                tab, index = printing.pop(message["id"])
                printed[index] = base64.b64decode(message["result"]["data"])
                (self.work / f"page-{index}.html").unlink()
                next_document(tab)
            elif message.get("method") == "Page.lifecycleEvent" and message["params"]["name"] == "load":
                tab = message.get("sessionId")
                if tab in loading and loading[tab][0] == message["params"]["loaderId"]:  # this page, not the last
                    _, index = loading.pop(tab)
                    request = {"preferCSSPageSize": True, "generateTaggedPDF": False}
                    printing[self.send("Page.printToPDF", request, tab)] = (tab, index)
        return cast("list[bytes]", printed)  # the loop ends once every document is printed: none is left None

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.count += 1
        message = {"id": self.count, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        except OSError:
            raise self.failed(self.ended()) from None
        return self.count

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        sent = self.send(method, params, session)
        while True:
            answer = self.receive()
            if answer.get("id") == sent:
                if "error" in answer:
                    raise self.failed(f"answered {method} with: {answer['error'].get('message', answer['error'])}")
                return answer["result"]

    def receive(self) -> dict:
        """The browser's next message; a browser silent for TIMEOUT_S is a failure."""
        while b"\0" not in self.buffer:
            waited = 0.0
            # in short waits: a browser that exited says so even where a process it left holds the pipe open
            while not select.select([self.from_browser], [], [], 0.25)[0]:
                if self.process.poll() is not None:
                    raise self.failed(self.ended())
                waited += 0.25
                if waited >= TIMEOUT_S:
                    raise self.failed(f"printed nothing for {TIMEOUT_S} s and was stopped; nothing was written")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise self.failed(self.ended())
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def ended(self) -> str:
        """How a browser that hung up ended: its exit status and the last line it wrote to stderr."""
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1)
        said = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return f"stopped (exit {self.process.returncode})" + (f": {said[-1]}" if said else "")

    def failed(self, what: str) -> EngineFailed:
        return EngineFailed(f"{self.name} could not print the PDF: it {what}")


def pdf_date() -> str:
    """The PDFs' creation and modification date: SOURCE_DATE_EPOCH if set, else a fixed day."""
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH", FIXED_DATE))
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("D:%Y%m%d%H%M%SZ")


def join_pdfs(pdfs: list[bytes], title: str, duplex: bool = False) -> bytes:
    """The documents one after the other in one PDF with fixed metadata; ``duplex``: a blank page after each
    document with an odd page count, so each starts on the front of a sheet of paper."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        pages = PdfReader(io.BytesIO(pdf)).pages
        for page in pages:
            writer.add_page(page)
        if duplex and len(pages) % 2:
            box = pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
    date = pdf_date()
    writer.add_metadata({"/Title": title, "/Producer": "convzoo", "/CreationDate": date, "/ModDate": date})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
