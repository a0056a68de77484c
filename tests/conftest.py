"""The suite imports the installed convzoo (`make test` installs a fresh wheel of the checkout first); the
checkout itself is only read as files (README, benchmarks, ../shared)."""

import signal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A suite started in the background by a non-interactive shell (`make test &`) inherits SIGINT ignored, and so
# would every command it starts: the Ctrl-C tests need it delivered. A handler here is reset to the default in
# the processes the tests start.
signal.signal(signal.SIGINT, signal.default_int_handler)
