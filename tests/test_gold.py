"""Gold-data tests: the referee's figures on the shared evaluation sets.

They read ../shared/eval (beside the project) and skip cleanly when it is absent.  Nothing in the
product reads these files; they only measure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SHARED_EVAL

pytestmark = pytest.mark.skipif(not (SHARED_EVAL / "score.py").exists(), reason="../shared/eval is not present")

SEED = SHARED_EVAL / "syria_war_report_2017-11-02"


def warcoder(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warcoder.cli", *args], capture_output=True, text=True, timeout=900)


def score(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(SHARED_EVAL / "score.py"), *args], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out[: out.rindex("}") + 1])


def test_seed_report(tmp_path: Path) -> None:
    out = tmp_path / "seed.jsonl"
    res = warcoder(
        "code", f"{SEED}.txt", "--report-date", "2017-11-02", "--db", str(tmp_path / "s.duckdb"), "--out", str(out)
    )
    assert res.returncode == 0, res.stderr
    s = score("seed", f"{SEED}.gold.json", f"{SEED}.txt", str(out))
    assert s["recall"] >= 0.8 and s["precision"] >= 0.8, s
    assert s["events_without_body_evidence"] == 0


def test_acled_dev_floor(tmp_path: Path) -> None:
    gold = SHARED_EVAL / "acled_2020_dev.csv"
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        subprocess.run(
            [sys.executable, str(SHARED_EVAL / "score.py"), "docs", "acled", str(gold)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    out = tmp_path / "ev.jsonl"
    res = warcoder("code", str(docs), "--db", str(tmp_path / "d.duckdb"), "--out", str(out), "-q")
    assert res.returncode in (0, 1), res.stderr  # the dev set holds one empty note
    s = score("acled", str(gold), str(out))
    assert s["event_type"] >= 0.80, s
    assert s["sub_event_weighted_f1"] >= 0.70, s
    assert s["date_exact"] >= 0.90, s
    assert s["within_161km"] >= 0.70, s
    assert s["no_event"] <= 0.05, s
