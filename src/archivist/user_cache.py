"""The user's cache folder, for what must never travel with an archive folder.

An archive's own .archivist folder may come from anyone (a site folder received
whole), so nothing that is run or unpickled without a check is kept there: the
source store's secret and the compiled templates live here instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_folder() -> Path | None:
    """$XDG_CACHE_HOME/archivist, else ~/.cache/archivist; None without a home folder."""
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archivist"
    except RuntimeError:  # no home folder
        return None
