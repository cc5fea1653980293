"""benchmarks/ingest.py must not rot either: both sides, alternating, at a tiny size."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, require_corpora


def test_the_ingest_benchmark_reads_every_record_on_both_sides(tmp_path: Path) -> None:
    require_corpora()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.ingest", "--n", "120", "--repeat", "2",
                           "--workdir", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = [line.strip("| ").split(" | ") for line in proc.stdout.splitlines()
             if line.startswith(("| DuckDB", "| newswh"))]
    assert [cells[0].split(" ")[0] for cells in table] == ["DuckDB", "newswh"]
    for cells in table:
        assert cells[1] == "120"  # every record of the corpus, on each side
        cpu, rss = float(cells[6]), float(cells[7])
        assert cpu > 0 and rss > 0
    pairs = re.search(r"each pair: ([0-9., ]+);", proc.stdout)
    assert pairs is not None and len(pairs.group(1).split(", ")) == 2
    assert re.search(r"CPU \(user \+ system, all threads\), medians: ours [0-9.]+ s against [0-9.]+ s", proc.stdout)
