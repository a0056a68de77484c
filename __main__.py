"""``python -m convzoo``: the command line."""

import sys

from convzoo.cli import main

sys.exit(main())
