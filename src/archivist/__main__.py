"""`python -m archivist`."""

import sys

from .cli import main

sys.exit(main())
