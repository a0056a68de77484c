"""The suite imports the installed convzoo (`make test` installs a fresh wheel of the checkout first); the
checkout itself is only read as files (README, benchmarks, ../shared).

What is expensive to make is made once per session and shared: one headless Chromium, one LeNet-5 trained on
the real MNIST. A test that changes what it was given works on its own copy."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"

# A suite started in the background by a non-interactive shell (`make test &`) inherits SIGINT ignored, and so
# would every command it starts: the Ctrl-C tests need it delivered. A handler here is reset to the default in
# the processes the tests start.
signal.signal(signal.SIGINT, signal.default_int_handler)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The modules that take longest (seconds on a 2-core machine, `pytest --durations=0` summed by file), run first:
# `make test` hands whole files to the workers in collection order (--dist loadfile --no-loadscope-reorder), and
# a long file handed out last keeps one worker busy while the other has finished.
SLOWEST_FIRST = (
    "test_training.py",  # 80 s; trains the session's LeNet-5 first, which the other lenet5_run modules wait for
    "test_printing.py",  # 75 s
    "test_interrupts.py",  # 67 s
    "test_explore.py",  # 47 s
    "test_keras_agreement.py",  # 39 s
    "test_training_stops.py",  # 30 s
    "test_grade.py",  # 29 s
    "test_scan.py",  # 24 s
    "test_photos.py",  # 23 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest modules first, in SLOWEST_FIRST's order; the others after them, as collected; the tests of a
    module in their own order."""
    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path_factory, monkeypatch):
    """Each test its own convzoo data folder (practice's history), never the user's, and none left by another
    test (the commands it starts inherit it)."""
    monkeypatch.setenv("CONVZOO_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's, as users have it), one for the session: each test opens its own pages."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def convzoo_here(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`convzoo ARGV` run in this process by the console script's own function (cli.main): its status, stdout
    and stderr, as a process would give them. For the checks that are not about the process itself (those start
    a real one: exit statuses, Ctrl-C, what gets imported), this spares a TensorFlow start-up each."""
    from convzoo import cli

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(list(argv))
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["convzoo", *argv], status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def lenet5_run(tmp_path_factory) -> Path:
    """The run folder of `convzoo train lenet5` on the real MNIST, the recipe over 2 epochs with the test curve
    (about 98.5% on the test set): trained once, read by the training, photo and explore tests. Read it; copy it
    to change it. Under pytest-xdist the workers share one: the first to need it trains it (in the folder all
    workers see, under a lock), the others wait for it."""
    if not MNIST.exists():
        pytest.skip(f"the real MNIST is not at {MNIST}")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # xdist: the workers' common folder
    out = shared / "lenet5" / "run"
    with open(shared / "lenet5.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, by a worker that fails too
        trained = shared / "lenet5" / "trained"
        if not trained.exists():
            shutil.rmtree(out.parent, ignore_errors=True)  # a worker that failed half-way: train again
            argv = ("train", "lenet5", "--data", str(MNIST), "--epochs", "2", "--test-curve", "--out", str(out))
            done = convzoo_here(*argv)
            assert done.returncode == 0, done.stderr
            trained.touch()
    return out
