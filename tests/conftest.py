"""The suite imports the installed convzoo (`make test` installs a fresh wheel of the checkout first); the
checkout itself is only read as files (README, benchmarks, ../shared)."""

import shutil
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A suite started in the background by a non-interactive shell (`make test &`) inherits SIGINT ignored, and so
# would every command it starts: the Ctrl-C tests need it delivered. A handler here is reset to the default in
# the processes the tests start.
signal.signal(signal.SIGINT, signal.default_int_handler)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, as users have it), one per test module that opens pages."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()
