"""Quality gate time next to `dbt build` time on the same warehouse, in the same run.

    .venv/bin/python -m benchmarks.gate --n 1000 10000

For each n: a corpus from benchmarks.corpus, `ingest`, `annotate`, then `dbt build` and the gate
(`expectations.gate.check`, with and without Data Docs), each timed in its own child process so
startup (dbt's parse, GX's import) counts as it does on the command line and peak RSS is per
side. Target: gate <= 30 % of dbt build. Prints a markdown table (date, machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.workdir import workdir

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
BIN = Path(sys.executable).parent

_GATE_CHILD = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from expectations.gate import check
docs = None if sys.argv[2] == "-" else Path(sys.argv[2])
result = check(Path(sys.argv[1]), data_docs_dir=docs)
print(json.dumps({
    "seconds": time.perf_counter() - t0,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "status": result.status,
    "expectations": result.n_expectations,
    "failures": [f"{o.table} {o.expectation_type} {o.column}: {o.observed}" for o in result.failures],
}))
"""


def _dbt(command: str, db: Path, work: Path) -> tuple[float, bool]:
    env = {**os.environ, "NEWSWH_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    args = ["--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
    args += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    t0 = time.perf_counter()
    done = subprocess.run([str(BIN / "dbt"), command, *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        print(f"warning: dbt {command} exited {done.returncode}: " + done.stdout.splitlines()[-1])
    return seconds, done.returncode == 0


def _gate(db: Path, docs: Path | None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _GATE_CHILD, str(db), str(docs) if docs else "-"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _exists(con: object, table: str) -> bool:
    schema, name = table.split(".")
    rows = con.execute(  # type: ignore[attr-defined]
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
    ).fetchall()
    return bool(rows[0][0])


def _counts(db: Path) -> dict[str, int]:
    from ingest.db import connect

    con = connect(db, read_only=True)
    try:
        return {
            t: int(con.execute(f"select count(*) from {t}").fetchall()[0][0]) if _exists(con, t) else -1
            for t in ("marts.dim_articles", "marts.fct_statements", "marts.fct_actor_mentions", "marts.fct_events")
        }
    finally:
        con.close()


def run(n: int, work: Path, workers: int) -> dict[str, object]:
    from ingest.annotate import annotate
    from ingest.load import ingest

    db = work / f"gate_{n}.duckdb"
    if not db.exists():
        corpus = write_corpus(work / f"corpus_{n}.jsonl", n)
        ingest([corpus], db)
        annotate(db, workers=workers)
    dbt_s, dbt_ok = _dbt("build", db, work)
    if not dbt_ok:  # a failing dbt test skips its downstream models; build them so the gate has marts
        _dbt("run", db, work)
    _gate(db, None)  # first run: no previous counts; the timed runs below compare with it
    with_docs = _gate(db, work / "data_docs")
    without_docs = _gate(db, None)
    return {
        "n": n,
        "dbt_s": dbt_s,
        "dbt_ok": dbt_ok,
        "gate": with_docs,
        "gate_no_docs": without_docs,
        "counts": _counts(db),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--workers", type=int, default=2, help="annotate workers")
    parser.add_argument("--workdir", type=Path, default=None, help="reuses gate_<n>.duckdb found there")
    args = parser.parse_args()
    with workdir(args.workdir, "newswh-gate-bench-") as work:
        rows = [run(n, work, args.workers) for n in args.n]

    print(f"\n{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}\n")
    print(
        "| articles | statements | actor mentions | dbt build s | gate s | gate / dbt | gate s (no Data Docs) "
        "| gate peak RSS MB | expectations | verdict |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        gate, bare, counts = row["gate"], row["gate_no_docs"], row["counts"]
        assert isinstance(gate, dict) and isinstance(bare, dict) and isinstance(counts, dict)
        dbt_s = float(row["dbt_s"])  # type: ignore[arg-type]
        print(
            f"| {counts['marts.dim_articles']:,} | {counts['marts.fct_statements']:,} "
            f"| {counts['marts.fct_actor_mentions']:,} | {dbt_s:.1f}{'' if row['dbt_ok'] else ' (failed)'} "
            f"| {gate['seconds']:.1f} "
            f"| {gate['seconds'] / dbt_s:.0%} | {bare['seconds']:.1f} | {gate['rss_mb']:.0f} "
            f"| {gate['expectations']} | {gate['status']} |"
        )
    for row in rows:
        gate = row["gate"]
        assert isinstance(gate, dict)
        for failure in gate["failures"]:  # type: ignore[attr-defined]
            print(f"  n={row['n']} failed: {failure}")


if __name__ == "__main__":
    main()
