"""Benchmark: `dbt build` on 1k and 10k articles, then the incremental build after +1 % articles.

    .venv/bin/python benchmarks/dbt_build.py                 # 1,000 and 10,000 articles
    .venv/bin/python benchmarks/dbt_build.py --sizes 200     # quick check
    .venv/bin/python benchmarks/dbt_build.py --sizes 1000 --workdir /tmp/dbt-bench   # reuse annotations

For each size: build a JSONL corpus from ../shared/corpora (benchmarks/corpus.py), `ingest` it,
`annotate` it (not timed; kept in --workdir for the next run), then time the full build the
pipeline runs (`ingest.dbt.build(full_refresh=True)`: seeds, models, data and unit tests). Then
ingest and annotate 1 % more articles and time `ingest.dbt.build()` again, which is what
`newswh run` runs: the `new_data` selector (per-article models incremental, cross-article models
rebuilt, their data tests).

Both builds run in this process after dbt is imported and the project parsed once (untimed), so
neither is charged the import or a cold parse: the ratio compares the work of the two builds.
"no-op" is the incremental build once more with nothing new: what its models and tests cost with
no data to move. "floor" is the same invocation with nothing selected: what dbt costs before it
runs a single node (adapter set-up, selection; no parse: ingest.dbt.run_dbt reuses the manifest
of the untimed parse in this process). "one node" adds one trivial table model (dim_event_types,
~300 rows, no tests): the cost of a single node, which bounds how cheap a build of N nodes can be.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write_corpus
from ingest.dbt import DbtFailedError, build, run_dbt
from ingest.settings import REPO_ROOT

PROJECT_DIR = REPO_ROOT / "dbt_project"
FACTS = ("fct_statements", "fct_event_mentions", "fct_actor_mentions", "fct_events")


def _dbt_build(db: Path, work: Path, *, full_refresh: bool) -> tuple[float, int]:
    """Seconds, and how many nodes (models, seeds, tests, unit tests) the build ran."""
    started = time.perf_counter()
    result = build(db, full_refresh=full_refresh, project_dir=PROJECT_DIR, work_dir=work)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise DbtFailedError("build", result.failures)
    expected = "full" if full_refresh else "incremental"
    if result.mode != expected:
        raise RuntimeError(f"expected a {expected} build, ran a {result.mode} one")
    return elapsed, sum(count for status, count in result.statuses.items() if status != "no-op")


def _dbt_floor(db: Path, work: Path, select: str = "tag:no_such_tag") -> float:
    started = time.perf_counter()
    result = run_dbt(["build", "--select", select, "--indirect-selection", "empty", "--no-write-json"], db,
                     project_dir=PROJECT_DIR, work_dir=work)
    elapsed = time.perf_counter() - started
    if not result.success:
        raise DbtFailedError(f"build --select {select}", result.failures)
    return elapsed


def _fact_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {fact: int(con.execute(f"select count(*) from marts.{fact}").fetchall()[0][0]) for fact in FACTS}
    finally:
        con.close()


def _load(db: Path, corpus: Path, workers: int) -> None:
    from ingest.annotate import annotate
    from ingest.load import ingest

    ingest([corpus], db)
    annotate(db, workers=workers)


def _annotated(n: int, extra: int, workers: int, work: Path) -> tuple[Path, Path]:
    """Annotation dominates set-up (~10 min at 10k): keep the annotated corpus, and the same
    database after ingesting and annotating the extra articles, in the work dir for reuse."""
    base, plus = work / f"annotated_{n}.duckdb", work / f"annotated_{n}_plus{extra}.duckdb"
    for path, corpora in ((base, [(n, 0)]), (plus, [(n, 0), (extra, n)])):
        if path.exists():
            continue
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        if corpora[1:] and base.exists():
            shutil.copyfile(base, partial)
            corpora = corpora[1:]
        for count, start in corpora:
            _load(partial, write_corpus(work / f"corpus_{count}_from_{start}.jsonl", count, start=start), workers)
        partial.rename(path)
    return base, plus


def _add_new_rows(db: Path, plus: Path) -> None:
    """What `ingest` + `annotate` of the extra articles wrote: every raw row of `plus` not in `db`."""
    con = duckdb.connect(str(db))
    try:
        con.execute(f"attach '{plus}' as plus (read_only)").fetchall()
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'plus' and schema_name = 'raw'"
        ).fetchall()
        for (table,) in tables:
            con.execute(
                f"insert into raw.{table} select * from plus.raw.{table} except all select * from raw.{table}"
            ).fetchall()
        con.execute("detach plus").fetchall()
    finally:
        con.close()


def bench(n: int, workers: int, increment: float, tmp: Path, repeat: int = 1) -> dict[str, object]:
    """Best of `repeat` rounds of full build, +articles, incremental build, no-op, floor (the
    minimum is the least disturbed by other load on a shared machine)."""
    db = tmp / f"bench_{n}.duckdb"
    target = tmp / f"target_{n}"
    extra = max(1, round(n * increment))
    base, plus = _annotated(n, extra, workers, tmp)
    keys = ("full_s", "incremental_s", "rerun_s", "floor_s", "one_node_s")
    timings: dict[str, list[float]] = {key: [] for key in keys}
    nodes: dict[str, int] = {}
    for _ in range(repeat):
        db.unlink(missing_ok=True)
        shutil.copyfile(base, db)
        parsed = run_dbt(["parse"], db, project_dir=PROJECT_DIR, work_dir=target)  # import + parse, untimed
        if not parsed.success:
            raise DbtFailedError("parse", parsed.failures)
        seconds, nodes["full_nodes"] = _dbt_build(db, target, full_refresh=True)
        timings["full_s"].append(seconds)
        before = _fact_rows(db)
        _add_new_rows(db, plus)
        seconds, nodes["incremental_nodes"] = _dbt_build(db, target, full_refresh=False)
        timings["incremental_s"].append(seconds)
        after = _fact_rows(db)
        # nothing new: what the incremental selection's models and tests cost on their own
        timings["rerun_s"].append(_dbt_build(db, target, full_refresh=False)[0])
        timings["floor_s"].append(_dbt_floor(db, target))
        timings["one_node_s"].append(_dbt_floor(db, target, select="dim_event_types"))
    return {
        "articles": n,
        "added": extra,
        **{key: min(values) for key, values in timings.items()},
        **nodes,
        "statements": after["fct_statements"],
        "events": after["fct_events"],
        "new_fact_rows": sum(after[f] - before[f] for f in FACTS[:3]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--workers", type=int, default=2, help="annotate worker processes")
    parser.add_argument("--increment", type=float, default=0.01, help="share of articles added before the rerun")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per size; the table shows the fastest")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep corpora and annotated databases here and reuse them on the next run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = []
    with tempfile.TemporaryDirectory(prefix="newswh-dbt-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(bench(n, args.workers, args.increment, work, args.repeat))
    print(
        f"dbt build benchmark, {datetime.now(UTC):%Y-%m-%d}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )
    print()
    print(
        "| articles | full build (s) | nodes | +articles | incremental build (s) | nodes | ratio | no-op (s) "
        "| floor (s) | one node (s) | statements | events | new fact rows |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = float(r["incremental_s"]) / float(r["full_s"])  # type: ignore[arg-type]
        print(
            f"| {r['articles']:,} | {r['full_s']:.1f} | {r['full_nodes']} | {r['added']} | {r['incremental_s']:.2f} "
            f"| {r['incremental_nodes']} | {ratio:.2f} | {r['rerun_s']:.2f} | {r['floor_s']:.2f} "
            f"| {r['one_node_s']:.2f} "
            f"| {r['statements']:,} | {r['events']:,} | {r['new_fact_rows']:,} |"
        )


if __name__ == "__main__":
    main()
