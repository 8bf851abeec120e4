"""``python -m orbat``: the same as the ``orbat`` command."""

import sys

from orbat.cli import main

sys.exit(main())
