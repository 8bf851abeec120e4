"""``python -m orbat``: the same as the ``orbat`` command."""

from orbat.cli import run

run()
