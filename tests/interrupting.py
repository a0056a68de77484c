"""Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group (convzoo, its workers and any
print engine it started), at a chosen moment of a real `convzoo quiz` run; what the run leaves behind.

`python tests/interrupting.py [TRIES]` interrupts html builds of 1000 versions and pdf builds at random moments
and prints the figures (statuses, the slowest exit, leftovers); tests/test_interrupts.py runs a few such tries.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("convzoo")  # the installed console script
# Many versions (the build spreads over worker processes from 100 on) and a PDF (Chromium prints it).
BUILDS = {
    "html": ["quiz", "--count", "20", "--versions", "300", "--format", "html"],
    "pdf": ["quiz", "--count", "12", "--versions", "3", "--format", "pdf"],
}
# a quiz of versions also gets the key grade reads and the sheet answers are typed into
COMPANIONS = ("quiz.json", "answers-template.csv", "answers-by-sheet.csv")
FILES = {"html": ("sheets.html", "keys.html", "marking-key.html"), "pdf": ("sheets.pdf", "keys.pdf", "marking-key.pdf")}
COMPLETE = {"html": b"</html>\n", "pdf": b"%%EOF\n"}  # how each complete file ends


@dataclass
class Outcome:
    build: str
    delay: float  # seconds from the start to Ctrl-C
    status: int | None
    seconds_to_exit: float | None  # None: still running after the grace period (then killed)
    stderr: str
    problems: list[str] = field(default_factory=list)


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that mention ``text`` (a print engine's profile lives under TMPDIR)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = next(x for x in (entry / "status").read_text().splitlines() if x.startswith("State:"))
            except (OSError, StopIteration):
                continue
            if text in line and "zombie" not in state:
                found.append(f"{entry.name}: {line[:120]}")
    return found


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _as_a_terminal_starts_it():
    """In the build's process, before it starts: SIGINT and SIGTERM as a terminal's foreground command has them
    (a process started by a background job of a shell inherits SIGINT ignored, and would never see Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def span(build: str, argv: list[str] | None = None) -> float:
    """Seconds the build takes uninterrupted on this machine, now (a busy machine's builds take several times
    a quiet one's, a warm cache's less than a cold one's)."""
    with tempfile.TemporaryDirectory(prefix="interrupt-") as scratch:
        started = time.perf_counter()
        subprocess.run(
            [str(SCRIPT), *(argv or BUILDS[build]), "--out", str(Path(scratch) / "out")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            env={**os.environ, "TMPDIR": scratch},
            preexec_fn=_as_a_terminal_starts_it,
        )
        return time.perf_counter() - started


def interrupt(
    build: str,
    delay: float,
    argv: list[str] | None = None,
    grace: float = 2.0,
    patience: float = 30.0,
    sent_signal: int = signal.SIGINT,
) -> Outcome:
    """Start the build in its own process group, send SIGINT (or ``sent_signal``) to the group after ``delay``
    seconds, and see how it ends; a run still alive ``patience`` seconds after the signal is killed (and
    reported as hung). SIGTERM is sent to the build's process alone, as `kill` sends it; it ends the build
    with no line, by the signal itself."""
    with tempfile.TemporaryDirectory(prefix="interrupt-") as scratch:
        tmp, out = Path(scratch) / "tmp", Path(scratch) / "out"
        tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(tmp)}
        child = subprocess.Popen(
            [str(SCRIPT), *(argv or BUILDS[build]), "--out", str(out)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_as_a_terminal_starts_it,
        )
        time.sleep(delay)
        sent = time.perf_counter()
        if child.poll() is None:
            if sent_signal == signal.SIGINT:
                os.killpg(child.pid, signal.SIGINT)
            else:
                child.send_signal(sent_signal)
        try:
            _, err = child.communicate(timeout=patience)
            seconds = time.perf_counter() - sent
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            _, err = child.communicate()
            seconds = None
        stderr = err.decode(errors="replace")
        outcome = Outcome(build, delay, child.returncode, seconds, stderr)
        problems = outcome.problems
        if seconds is None or seconds > grace:
            problems.append(f"took {f'over {patience:.0f}' if seconds is None else f'{seconds:.2f}'} s to end")
        finished = child.returncode == 0
        ended = 130 if sent_signal == signal.SIGINT else -sent_signal  # Popen's status of a death by signal
        if child.returncode not in (0, ended):
            problems.append(f"exit {child.returncode}")
        if not finished and stderr != ("convzoo: interrupted\n" if sent_signal == signal.SIGINT else ""):
            problems.append(f"stderr is not the one line: {stderr[-300:]!r}")
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        complete = sorted(FILES[build] + COMPANIONS)
        if written not in ([], complete):
            problems.append(f"--out holds {written}")
        for name in set(written) & set(FILES[build]):
            if not (out / name).read_bytes().endswith(COMPLETE[build]):
                problems.append(f"{name} is half-written")
        if finished and written != complete:
            problems.append("exit 0 without every file")
        time.sleep(0.2)  # a process the run left behind is still there after this
        left = [p.name for p in tmp.iterdir()]
        if left:
            problems.append(f"left in TMPDIR: {left}")
        if _group_alive(child.pid):
            problems.append("processes of its group still alive")
            os.killpg(child.pid, signal.SIGKILL)
        engines = _processes_mentioning(str(tmp))
        if engines:
            problems.append(f"processes left: {engines}")
        return outcome


def delays(rng: random.Random, tries: int, seconds: float) -> list[float]:
    """Moments spread over a run of ``seconds`` (its ``span``): convzoo's start-up, the build and, for pdf, both
    prints, up to 90% of it; the first in the middle, where the build is surely at work. The first 0.3 s are
    left out: that is the interpreter's own start-up, before any of convzoo runs."""
    return [max(0.3, seconds / 2)] + [rng.uniform(0.3, max(0.4, 0.9 * seconds)) for _ in range(tries - 1)]


if __name__ == "__main__":
    tries = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rng = random.Random(int(os.environ.get("CONVZOO_INTERRUPT_SEED", "16")))
    sweep = {"html": ["quiz", "--count", "20", "--versions", "1000", "--format", "html"], "pdf": BUILDS["pdf"]}
    for build, argv in sweep.items():
        outcomes = [interrupt(build, delay, argv) for delay in delays(rng, tries // len(sweep), span(build, argv))]
        times = [o.seconds_to_exit for o in outcomes if o.seconds_to_exit is not None]
        statuses = {s: sum(o.status == s for o in outcomes) for s in sorted({o.status for o in outcomes}, key=str)}
        print(
            f"{build}: {len(outcomes)} tries, exit statuses {statuses}, slowest exit {max(times):.2f} s, "
            f"median {sorted(times)[len(times) // 2]:.2f} s, hung {len(outcomes) - len(times)}, "
            f"with a problem {sum(bool(o.problems) for o in outcomes)}"
        )
        for o in outcomes:
            for problem in o.problems:
                print(f"  Ctrl-C at {o.delay:.2f} s: {problem}")
