"""Where the gazetteer's data files and its cache live (the bottom layer: imports no other gazetteer module)."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZ_DIR = DATA_DIR / "gazetteer"


def default_cache_dir() -> Path:
    env = os.environ.get("WARCODER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "warcoder"
