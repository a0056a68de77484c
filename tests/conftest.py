"""The suite imports the installed convzoo (`make test` installs a fresh wheel of the checkout first); the
checkout itself is only read as files (README, benchmarks, ../shared)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
