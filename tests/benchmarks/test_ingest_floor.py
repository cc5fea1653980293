"""benchmarks/ingest_floor.py must not rot: every pass runs, and the floor is their CPU over the cores."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import REPO, require_corpora


def test_the_floor_sums_every_pass_and_its_pipeline_does_the_same_work(tmp_path: Path) -> None:
    require_corpora()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.ingest_floor", "--n", "120", "--workdir", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line.strip("| ").split(" | ") for line in proc.stdout.splitlines()
            if line.startswith("| ") and not line.startswith(("| pass", "| **"))]
    names = [cells[0] for cells in rows]
    assert names[0].startswith("parse") and names[-1].startswith("store") and len(names) == 11
    cpu = sum(float(cells[2]) for cells in rows)
    total = re.search(r"\| \*\*all passes\*\* \| \| \*\*([0-9.]+)\*\* \|", proc.stdout)
    assert total is not None and abs(float(total.group(1)) - cpu) < 0.02
    floor = re.search(r"floor, perfectly spread over (\d+) cores: ([0-9.]+) s, CPU ([0-9.]+) s", proc.stdout)
    assert floor is not None and float(floor.group(3)) == float(total.group(1))
    cores, ideal = int(floor.group(1)), float(floor.group(2))
    longest = max(float(cells[1]) for cells in rows)
    assert ideal >= max(cpu / cores, longest) - 0.01
    assert re.search(r"read_json into a file: [0-9.]+ s, CPU [0-9.]+ s; 0.5x allows [0-9.]+ s", proc.stdout)
    assert re.search(r"newswh ingest: [0-9.]+ s, CPU [0-9.]+ s \([0-9.]+x; runs", proc.stdout)
    assert re.search(r"floor's passes as a pipeline: [0-9.]+ s, CPU [0-9.]+ s \([0-9.]+x; runs", proc.stdout)
    # the pipeline did the floor's work: every record is a stored article or a copy, and cutting the
    # file in pieces never finds more equal bodies than looking at it whole
    counts = {}
    for name in ("floor", "corpus_120.pipelined"):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True) as con:
            counts[name] = con.execute("select (select count(*) from articles), (select count(*) from copies), "
                                       "(select count(*) from fingerprints)").fetchall()[0]
    (floor_articles, floor_copies, _), (articles, copies, signatures) = counts["floor"], counts["corpus_120.pipelined"]
    assert copies == floor_copies and articles == signatures >= floor_articles > 0
    assert articles + copies <= 120
