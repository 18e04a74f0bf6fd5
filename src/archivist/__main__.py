"""`python -m archivist`."""

from .cli import run

run()
