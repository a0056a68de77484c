"""The LaTeX sheets and keys typeset by LuaLaTeX: a Unicode engine whose fonts (fontspec, with luaotfload's
fallbacks: Amiri for Arabic, WenQuanYi Micro Hei for CJK) print any name a roster holds, right to left where it is
written so. pdflatex cannot: it stops at the first Arabic or Chinese letter. XeLaTeX has no font fallback of its
own, so LuaLaTeX is the one engine used."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..zoo.errors import ConvzooError, EngineFailed

ENGINE = "lualatex"
INSTALL = (
    "apt-get install texlive-luatex texlive-latex-recommended fonts-hosny-amiri fonts-wqy-microhei (Debian/Ubuntu)"
)
FIXED_DATE = "1640995200"  # 2022-01-01 UTC, the PDFs' date unless SOURCE_DATE_EPOCH gives another
RUNS = 3  # page x of y needs each version's last page from the run before; a third run settles a moved label
TIMEOUT_S = 900


class NoLatex(ConvzooError):
    """No LuaLaTeX to typeset the sheets with; the message says how to install it."""


def check_engine() -> str:
    """The engine's path, or NoLatex (before anything is built or written)."""
    found = shutil.which(ENGINE)
    if found is None:
        raise NoLatex(
            f"--format tex typesets the sheets with LuaLaTeX (fonts for Arabic and CJK names), and "
            f"{ENGINE} is not installed: {INSTALL}"
        )
    return found


def fixed_date_environment() -> dict[str, str]:
    """The environment that makes an engine's PDF the same bytes every run: SOURCE_DATE_EPOCH (the caller's,
    else a fixed date) for the creation and modification dates."""
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", FIXED_DATE),
        "FORCE_SOURCE_DATE": "1",
    }


def first_error(log: str) -> str:
    """The engine's first error line ('! Undefined control sequence.', with the line it was on), else its last
    line."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((x.strip() for x in lines[i + 1 : i + 8] if re.match(r"l\.\d+", x)), "")
            return f"{line[2:].strip()}{f' ({where})' if where else ''}"
    return next((x for x in reversed(lines) if x.strip()), "no message")


def typeset(source: str, name: str) -> bytes:
    """The PDF of one .tex document; EngineFailed with the engine's first error line if it fails."""
    engine = check_engine()
    with tempfile.TemporaryDirectory(prefix="convzoo-tex-") as work:
        (Path(work) / f"{name}.tex").write_text(source, encoding="utf-8")
        command = [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f"{name}.tex"]
        for run in range(RUNS):
            draft = ["-draftmode"] if run == 0 else []  # the first run only finds the page numbers: no PDF
            try:
                done = subprocess.run(
                    command[:1] + draft + command[1:],
                    cwd=work,
                    capture_output=True,
                    env=fixed_date_environment(),
                    timeout=TIMEOUT_S,
                )
            except subprocess.TimeoutExpired:
                raise EngineFailed(f"{ENGINE} took over {TIMEOUT_S} s on {name}.tex and was stopped") from None
            log_path = Path(work) / f"{name}.log"
            log = (
                log_path.read_text(encoding="utf-8", errors="replace")
                if log_path.exists()
                else done.stdout.decode("utf-8", "replace")
            )
            if done.returncode != 0:
                raise EngineFailed(f"{ENGINE} failed on {name}.tex: {first_error(log)}")
            if run > 0 and "Rerun to get" not in log and "Label(s) may have changed" not in log:
                break
        return (Path(work) / f"{name}.pdf").read_bytes()


def typeset_all(documents: dict[str, str]) -> dict[str, bytes]:
    """{"sheets.pdf": ..., "keys.pdf": ...} from {"sheets.tex": ..., "keys.tex": ...}, typeset side by side."""
    names = [name.removesuffix(".tex") for name in documents]
    with ThreadPoolExecutor(len(names)) as pool:
        pdfs = list(pool.map(typeset, documents.values(), names))
    return {f"{name}.pdf": pdf for name, pdf in zip(names, pdfs)}
