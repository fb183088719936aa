"""Shared fixtures.  The gazetteer index is compiled once into the shared cache
($WARCODER_CACHE or ~/.cache/warcoder) and loaded by every test that needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "reports"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def coder():  # type: ignore[no-untyped-def]
    from warcoder import Coder

    return Coder()
