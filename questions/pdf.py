"""Printable PDF from the html sheets and keys, by a real engine: WeasyPrint if installed, else headless
Chromium (or Chrome). Neither is a dependency of convzoo: without them, ``--format pdf`` says how to get one."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from convzoo.zoo.errors import ConvzooError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "pip install weasyprint, or install Chromium (Debian/Ubuntu: apt-get install chromium)"


class NoPdfEngine(ConvzooError):
    """No engine to print PDF with; the message says how to install one."""


def engine() -> str | None:
    try:
        import weasyprint  # noqa: F401

        return "weasyprint"
    except ImportError:
        return next((b for b in BROWSERS if shutil.which(b)), None)


def print_pdf(html: str) -> bytes:
    found = engine()
    if found is None:
        raise NoPdfEngine(f"--format pdf needs WeasyPrint or Chromium, and neither is installed: {INSTALL}")
    if found == "weasyprint":
        import weasyprint

        return weasyprint.HTML(string=html).write_pdf()
    with tempfile.TemporaryDirectory(prefix="convzoo-pdf-") as work:
        page, pdf = Path(work) / "page.html", Path(work) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        # no network, no profile left behind: the page is self-contained
        command = [shutil.which(found), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not pdf.exists():
            raise NoPdfEngine(f"{found} could not print the PDF (exit {done.returncode}): "
                              f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
        return pdf.read_bytes()
