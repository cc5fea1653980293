"""The benchmark is not part of the test suite, but it must not rot: run it at a tiny size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, require_corpora


def test_run_all_at_a_tiny_size(tmp_path: Path) -> None:
    require_corpora()
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run_all", "--sizes", "40", "--annotate-sample", "8",
         "--out", str(out), "--workdir", str(tmp_path / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads((out / "results.json").read_text())
    stages = {r["stage"] for r in rows}
    assert {"ingest", "ingest, edited copies", "dbt build (full refresh)", "quality gate",
            "end to end (ingest→publish)", "+1% articles (1), end to end"} <= stages
    ingest = next(r for r in rows if r["stage"] == "ingest")
    assert ingest["ratio"] > 0 and ingest["detail"]["rows"] > 0
    assert next(r for r in rows if r["stage"] == "quality gate")["detail"]["passed"] is True
    assert (out / "stages.png").stat().st_size > 5_000
    assert "| articles | stage |" in (out / "results.md").read_text()
