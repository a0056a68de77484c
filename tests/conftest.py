"""The suite imports the installed convzoo (`make test` installs a fresh wheel of the checkout first); the
checkout itself is only read as files (README, benchmarks, ../shared).

What is expensive to make is made once per session and shared: one headless Chromium, one LeNet-5 trained on
the real MNIST. A test that changes what it was given works on its own copy."""

from __future__ import annotations

import contextlib
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (make test, --dist loadgroup), a test file runs in one worker, so that what its module
    makes once is made once; and every test that reads the trained LeNet-5 (training, photos, explore) runs in
    one worker, so that it is trained once, not once per worker. Run without xdist, the marks do nothing."""
    for item in items:
        uses_lenet5 = "lenet5_run" in getattr(item, "fixturenames", ())
        item.add_marker(pytest.mark.xdist_group("lenet5" if uses_lenet5 else item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def lenet5_run(tmp_path_factory) -> Path:
    """The run folder of `convzoo train lenet5` on the real MNIST, the recipe over 2 epochs with the test curve
    (about 98.5% on the test set): trained once, read by the training, photo and explore tests. Read it; copy it
    to change it."""
    if not MNIST.exists():
        pytest.skip(f"the real MNIST is not at {MNIST}")
    out = tmp_path_factory.mktemp("lenet5") / "run"
    done = convzoo_here("train", "lenet5", "--data", str(MNIST), "--epochs", "2", "--test-curve", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out
