"""The least ingest's work can cost with the tools issue 2 prescribes, against read_json in the same run.

    .venv/bin/python -m benchmarks.ingest_floor --n 50000 --repeat 3

Each thing ingest must do to the benchmark corpus is done once here, as one vectorised polars
pass (or DuckDB, or numpy), on only the rows that need it, with none of the orchestration a real
run needs: no pieces, no file order, no per-record path, no rejects, no transactions per batch,
no run bookkeeping. Exact copies are dropped first, by one hash of text and title. Storage is
one WAL-less transaction with DuckDB's own defaults (no zstd on bodies). Then it assumes the
passes spread perfectly over the machine's cores. What that ideal costs is a floor:
orchestration only adds to it, and only doing several passes' work in one native pass could go
below it. It is compared with `read_json` into a file, timed as benchmarks/ingest.py times it.

Every pass's CPU seconds (user + system, all threads, as rusage counts them) are printed, and
the floor's wall time is their sum over the cores, or the longest pass, whichever is longer."""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from benchmarks.corpus import write_corpus
from benchmarks.ingest import Side, cpu_seconds, duckdb_read, our_ingest, run_side
from benchmarks.workdir import workdir
from ingest.columnar import _HARD, _MAYBE_METADATA, _SOFT, _TERMINAL, _language, tidy_expr
from ingest.dedupe import RunIndex, fingerprints, similarity
from ingest.normalize import parse_published


def _timed(passes: dict[str, tuple[float, float]], name: str, fn: Callable[[], Any]) -> Any:
    t0, c0 = time.perf_counter(), cpu_seconds()
    out = fn()
    passes[name] = (time.perf_counter() - t0, cpu_seconds() - c0)
    return out


def floor(src: Path, db: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each pass ingest cannot do without."""
    db.unlink(missing_ok=True)
    p: dict[str, tuple[float, float]] = {}
    raw = _timed(p, "parse JSON Lines (polars)", lambda: pl.read_ndjson(io.BytesIO(src.read_bytes())))
    n_rows = raw.height
    distinct = _timed(p, "drop exact copies (hash of text + title)", lambda: raw.with_row_index("seq").filter(
        pl.struct("text", "title").hash(1).is_first_distinct()))
    text = pl.col("text")
    checked = _timed(p, "find text to repair, tidy or strip of metadata", lambda: distinct.with_columns(
        text.str.contains(_HARD).alias("hard"), text.str.contains(_SOFT).alias("untidy"),
        text.str.contains(_MAYBE_METADATA).alias("maybe_metadata")))
    tidied = _timed(p, "tidy whitespace (rows that need it)", lambda: pl.concat([
        checked.filter(~pl.col("untidy")), checked.filter("untidy").with_columns(tidy_expr(text))]))
    bodies = _timed(p, "content sha256, equal bodies dropped", lambda: tidied.with_columns(pl.Series(
        "content_sha256", [hashlib.sha256(b.encode()).hexdigest() for b in tidied["text"]])).filter(
        pl.col("content_sha256").is_first_distinct()))
    paragraphs = _timed(p, "paragraphs, offsets, heading candidates", lambda: bodies.select(
        "seq", text.str.split("\n").alias("line")).with_row_index("row").explode("line").with_columns(
        pl.col("line").str.len_chars().alias("length")).with_columns(
        ((pl.col("length") + 1).cum_sum().over("row") - pl.col("length") - 1).alias("char_start"),
        ~pl.col("line").str.slice(-1).is_in(list(_TERMINAL)).alias("heading_candidate")).group_by("seq").agg(
        pl.struct("char_start", "length", "heading_candidate").alias("paragraphs")))
    language, words = _timed(p, "language, word counts", lambda: (_language(bodies), bodies.select(
        text.str.count_matches(" ") + text.str.count_matches("\n") + 1).to_series().to_numpy()))
    dates = _timed(p, "dates (each distinct value parsed once)", lambda: {
        v: parse_published(v) for v in bodies["published_at"].drop_nulls().unique().to_list()})
    fps = _timed(p, "MinHash signatures and LSH bands", lambda: fingerprints(bodies["text"], words))
    _timed(p, "near-duplicate candidates and their similarity", lambda: _near_duplicates(fps))
    articles = bodies.join(paragraphs, on="seq").with_columns(
        language.alias("language"), pl.Series("word_count", words, dtype=pl.Int32),
        pl.col("published_at").replace_strict({k: v[0] for k, v in dates.items()}, default=None,
                                              return_dtype=pl.Datetime("us", "UTC")))
    copies = raw.with_row_index("seq").join(distinct.select("seq"), on="seq", how="anti").select(
        "url", "seq", pl.lit("copy").alias("duplicate_of"))
    _timed(p, "store (one transaction, DuckDB's defaults)", lambda: _store(db, articles, fps, copies))
    assert articles.height + copies.height <= n_rows
    return p


def _near_duplicates(fps: Any) -> int:
    n, bands = fps.bands.shape
    keys = RunIndex.keys(np.tile(np.arange(bands), n), fps.bands.ravel())
    pos = np.repeat(np.arange(n), bands)
    # each article against the first article of each of its buckets: the bounded candidate set
    order = np.argsort(keys, kind="stable")
    first = np.empty_like(pos)
    starts = np.r_[True, keys[order][1:] != keys[order][:-1]]
    first[order] = pos[order][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    later = first < pos
    return int((similarity(fps.minhash[pos[later]], fps.minhash[first[later]]) >= 0.6).sum())


def _store(db: Path, articles: pl.DataFrame, fps: Any, copies: pl.DataFrame) -> None:
    con = duckdb.connect()
    # no write-ahead log, as ingest stores (ingest.db.connect): the data is written once, compressed
    con.execute(f"attach '{db}' as floor (recovery_mode no_wal_writes)").fetchall()
    con.execute("use floor").fetchall()
    con.execute("begin").fetchall()
    for name, frame in (("articles", articles),
                        ("fingerprints", pl.DataFrame({"seq": articles["seq"], "minhash": fps.minhash})),
                        ("bands", pl.DataFrame({"seq": np.repeat(articles["seq"].to_numpy(), fps.bands.shape[1]),
                                                "band_hash": fps.bands.ravel()})),
                        ("copies", copies)):
        con.register("f", frame)
        con.execute(f"create table {name} as select * from f").fetchall()
        con.unregister("f")
    con.execute("commit").fetchall()
    con.execute("checkpoint").fetchall()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, alternating; medians reported")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with workdir(args.workdir, "newswh-floor-") as work:
        src = write_corpus(work / f"corpus_{args.n}.jsonl", args.n)
        cores = os.cpu_count() or 1
        sides: dict[str, list[Side]] = {"native": [], "ours": []}
        runs: list[dict[str, tuple[float, float]]] = []
        for _ in range(args.repeat):  # read_json, our ingest and the floor's passes, alternating
            sides["native"].append(run_side(duckdb_read, src))
            sides["ours"].append(run_side(our_ingest, src))
            runs.append(floor(src, work / "floor.duckdb"))
        print(f"corpus: {args.n} articles, {src.stat().st_size / 1e6:.1f} MB; {args.repeat} run(s); {cores} cores\n")
        print("| pass | wall s | CPU s |\n|---|---:|---:|")
        cpu_total, longest = 0.0, 0.0
        for name in runs[0]:
            wall, cpu = (statistics.median(r[name][i] for r in runs) for i in (0, 1))
            cpu_total, longest = cpu_total + cpu, max(longest, wall)
            print(f"| {name} | {wall:.3f} | {cpu:.3f} |")
        print(f"| **all passes** | | **{cpu_total:.2f}** |\n")
        base, ours = (statistics.median(r.seconds for r in sides[k]) for k in ("native", "ours"))
        base_cpu, ours_cpu = (statistics.median(r.cpu_s for r in sides[k]) for k in ("native", "ours"))
        # an ideal no real pipeline reaches: no orchestration, and every core busy from start to end
        ideal = max(cpu_total / cores, longest)
        print(f"read_json into a file: {base:.2f} s, CPU {base_cpu:.2f} s; 0.5x allows {2 * base:.2f} s")
        print(f"newswh ingest: {ours:.2f} s, CPU {ours_cpu:.2f} s ({base / ours:.2f}x)")
        print(f"floor, perfectly spread over {cores} cores: {ideal:.2f} s, CPU {cpu_total:.2f} s = "
              f"{ideal / (2 * base):.0%} of what 0.5x allows; ingest's CPU is {ours_cpu / cpu_total:.2f}x the floor's")


if __name__ == "__main__":
    main()
