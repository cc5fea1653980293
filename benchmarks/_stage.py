"""Run one pipeline stage in this process and print {"seconds", "rss_mb", ...} as JSON.

benchmarks/run_all.py starts one process per stage, so each stage's peak RSS is its own."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def native_read(src: Path, db: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"create table articles as select * from read_json('{src}', format = 'newline_delimited')").fetchall()
    rows = con.execute("select count(*) from articles").fetchall()[0][0]
    con.close()
    return {"rows": rows}


def ingest_stage(src: Path, db: Path) -> dict[str, Any]:
    from ingest.load import ingest

    summary = ingest([src], db)
    return {"rows": summary.loaded, "duplicates": summary.duplicates, "near_duplicates": summary.near_duplicates}


def spacy_bare(db: Path, limit: int | None) -> dict[str, Any]:
    """The baseline for annotate: the pinned model's own nlp.pipe over the same bodies."""
    import duckdb
    import spacy

    from ingest.nlp.pipeline import MODEL

    con = duckdb.connect(str(db), read_only=True)
    sql = "select body from raw.articles order by article_id" + (f" limit {int(limit)}" if limit else "")
    bodies = [r[0] for r in con.execute(sql).fetchall()]
    con.close()
    nlp = spacy.load(MODEL)
    started = time.perf_counter()
    for _doc in nlp.pipe(bodies, batch_size=32):
        pass
    return {"rows": len(bodies), "words": sum(len(b.split()) for b in bodies),
            "pipe_seconds": time.perf_counter() - started}


def annotate_stage(db: Path, workers: int, limit: int | None, executor: str) -> dict[str, Any]:
    from ingest.annotate import annotate

    summary = annotate(db, workers=workers, limit=limit, executor=executor)
    return {"rows": summary.articles, "status": summary.status}


def dbt_stage(db: Path, full_refresh: bool) -> dict[str, Any]:
    from ingest.dbt import build

    # what `newswh run` runs: incremental unless asked for a full refresh (or the project changed)
    result = build(db, full_refresh=full_refresh)
    if not result.success:
        raise SystemExit(f"dbt build failed: {result.failures[:5]}")
    return {"statuses": dict(result.statuses), "mode": result.mode}


def gate_stage(db: Path) -> dict[str, Any]:
    from expectations.gate import check

    result = check(db, data_docs_dir=None)
    return {"passed": result.passed, "expectations": result.n_expectations}


def publish_stage(db: Path, published: Path) -> dict[str, Any]:
    from ingest.publish import publish

    pub = publish(db, published)
    return {"bytes": pub.bytes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage")
    parser.add_argument("--src", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--published", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.stage == "native_read":
        extra = native_read(args.src, args.db)
    elif args.stage == "ingest":
        extra = ingest_stage(args.src, args.db)
    elif args.stage == "spacy_bare":
        extra = spacy_bare(args.db, args.limit)
    elif args.stage == "annotate":
        extra = annotate_stage(args.db, args.workers, args.limit, args.executor)
    elif args.stage == "dbt_build":
        extra = dbt_stage(args.db, args.full_refresh)
    elif args.stage == "gate":
        extra = gate_stage(args.db)
    elif args.stage == "publish":
        extra = publish_stage(args.db, args.published)
    else:
        raise SystemExit(f"unknown stage {args.stage}")
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # annotate workers
    print(json.dumps({"seconds": seconds, "rss_mb": max(rss_mb, children), **extra}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
