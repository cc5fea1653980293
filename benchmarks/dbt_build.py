"""Benchmark: `dbt build` on 1k and 10k articles, then an incremental build after +1 % articles.

    .venv/bin/python benchmarks/dbt_build.py                 # 1,000 and 10,000 articles
    .venv/bin/python benchmarks/dbt_build.py --sizes 200     # quick check

For each size: build a JSONL corpus from ../shared/corpora (benchmarks/corpus.py), `ingest` it,
`annotate` it (not timed), then time a full `dbt build` (seeds, models, tests). Then ingest and
annotate 1 % more articles and time `dbt build` again: the three big facts (fct_statements,
fct_event_mentions, fct_actor_mentions) are incremental and process only the new articles; the
other marts are rebuilt. Prints a markdown table (date, machine) for the README.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write_corpus
from ingest.annotate import annotate
from ingest.dbt import DbtFailedError, run_dbt
from ingest.load import ingest
from ingest.settings import REPO_ROOT

PROJECT_DIR = REPO_ROOT / "dbt_project"
FACTS = ("fct_statements", "fct_event_mentions", "fct_actor_mentions", "fct_events")


def _dbt_build(db: Path, work: Path) -> float:
    started = time.perf_counter()
    result = run_dbt(["build"], db, project_dir=PROJECT_DIR, work_dir=work)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise DbtFailedError("build", result.failures)
    return elapsed


def _fact_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {fact: int(con.execute(f"select count(*) from marts.{fact}").fetchall()[0][0]) for fact in FACTS}
    finally:
        con.close()


def _load(db: Path, corpus: Path, workers: int) -> None:
    ingest([corpus], db)
    annotate(db, workers=workers)


def bench(n: int, workers: int, increment: float, tmp: Path) -> dict[str, object]:
    db = tmp / f"bench_{n}.duckdb"
    target = tmp / f"target_{n}"
    _load(db, write_corpus(tmp / f"corpus_{n}.jsonl", n), workers)
    full = _dbt_build(db, target)
    before = _fact_rows(db)
    extra = max(1, round(n * increment))
    _load(db, write_corpus(tmp / f"extra_{n}.jsonl", extra, start=n), workers)
    incremental = _dbt_build(db, target)
    after = _fact_rows(db)
    return {
        "articles": n,
        "added": extra,
        "full_s": full,
        "incremental_s": incremental,
        "statements": after["fct_statements"],
        "events": after["fct_events"],
        "new_fact_rows": sum(after[f] - before[f] for f in FACTS[:3]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--workers", type=int, default=2, help="annotate worker processes")
    parser.add_argument("--increment", type=float, default=0.01, help="share of articles added before the rerun")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = []
    with tempfile.TemporaryDirectory(prefix="newswh-dbt-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(bench(n, args.workers, args.increment, Path(tmp)))
    print(
        f"dbt build benchmark, {datetime.now(UTC):%Y-%m-%d}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )
    print()
    print(
        "| articles | full build (s) | +articles | incremental build (s) | ratio | statements | events "
        "| new fact rows |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = float(r["incremental_s"]) / float(r["full_s"])  # type: ignore[arg-type]
        print(
            f"| {r['articles']:,} | {r['full_s']:.1f} | {r['added']} | {r['incremental_s']:.1f} | {ratio:.2f} "
            f"| {r['statements']:,} | {r['events']:,} | {r['new_fact_rows']:,} |"
        )


if __name__ == "__main__":
    main()
