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
the floor's wall time is their sum over the cores, or the longest pass, whichever is longer.

No pipeline spreads work that perfectly, so the same passes are also run as the least pipeline
that does them (`pipelined`, in a process of its own like each reader): two worker threads parse
the file's pieces (ingest's byte ranges), exact copies are dropped across the whole file, the
workers run the passes on each piece's distinct rows, and the main thread finds near-duplicates
(ingest's RunIndex) and stores each piece in a transaction of its own, with ingest's storage
settings, as issue 2 requires. It is given what ingest is not: the whole file parsed before the
passes start (memory grows with the file), near-duplicates sought in earlier pieces only (not
within a piece), and none of ingest's bookkeeping: no metadata lines, rejects, per-record path,
versions or run rows, and a copy is recorded as a URL and a number."""

from __future__ import annotations

import argparse
import hashlib
import io
import multiprocessing as mp
import os
import statistics
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from benchmarks.corpus import write_corpus
from benchmarks.ingest import Side, cpu_seconds, duckdb_read, our_ingest, put_side, run_side
from benchmarks.workdir import workdir
from ingest.columnar import _HARD, _MAYBE_METADATA, _SOFT, _TERMINAL, _language, _range_jobs, read_range, tidy_expr
from ingest.db import INGEST_ROW_GROUP_ROWS, ZSTD_MIN_STRING_LENGTH
from ingest.dedupe import Fingerprints, RunIndex, fingerprints, similarity
from ingest.normalize import parse_published


def _timed(passes: dict[str, tuple[float, float]], name: str, fn: Callable[[], Any]) -> Any:
    t0, c0 = time.perf_counter(), cpu_seconds()
    out = fn()
    passes[name] = (time.perf_counter() - t0, cpu_seconds() - c0)
    return out


Timer = Callable[[str, Callable[[], Any]], Any]


def floor(src: Path, db: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each pass ingest cannot do without."""
    db.unlink(missing_ok=True)
    p: dict[str, tuple[float, float]] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        return _timed(p, name, fn)

    raw = timed("parse JSON Lines (polars)", lambda: pl.read_ndjson(io.BytesIO(src.read_bytes())))
    n_rows = raw.height
    distinct = timed("drop exact copies (hash of text + title)", lambda: raw.with_row_index("seq").filter(
        _COPY_KEY.is_first_distinct()))
    articles, fps = _passes(distinct, timed)
    timed("near-duplicate candidates and their similarity", lambda: _near_duplicates(fps))
    copies = raw.with_row_index("seq").join(distinct.select("seq"), on="seq", how="anti").select(
        "url", "seq", pl.lit("copy").alias("duplicate_of"))
    timed("store (one transaction, DuckDB's defaults)", lambda: _store(db, articles, fps, copies))
    assert articles.height + copies.height <= n_rows
    return p


_COPY_KEY = pl.struct("text", "title").hash(1)


def _passes(distinct: pl.DataFrame, timed: Timer) -> tuple[pl.DataFrame, Fingerprints]:
    """The passes between dropping copies and finding near-duplicates, on rows with a `seq`."""
    text = pl.col("text")
    checked = timed("find text to repair, tidy or strip of metadata", lambda: distinct.with_columns(
        text.str.contains(_HARD).alias("hard"), text.str.contains(_SOFT).alias("untidy"),
        text.str.contains(_MAYBE_METADATA).alias("maybe_metadata")))
    tidied = timed("tidy whitespace (rows that need it)", lambda: pl.concat([
        checked.filter(~pl.col("untidy")), checked.filter("untidy").with_columns(tidy_expr(text))]))
    bodies = timed("content sha256, equal bodies dropped", lambda: tidied.with_columns(pl.Series(
        "content_sha256", [hashlib.sha256(b.encode()).hexdigest() for b in tidied["text"]])).filter(
        pl.col("content_sha256").is_first_distinct()))
    paragraphs = timed("paragraphs, offsets, heading candidates", lambda: bodies.select(
        "seq", text.str.split("\n").alias("line")).with_row_index("row").explode("line").with_columns(
        pl.col("line").str.len_chars().alias("length")).with_columns(
        ((pl.col("length") + 1).cum_sum().over("row") - pl.col("length") - 1).alias("char_start"),
        ~pl.col("line").str.slice(-1).is_in(list(_TERMINAL)).alias("heading_candidate")).group_by("seq").agg(
        pl.struct("char_start", "length", "heading_candidate").alias("paragraphs")))
    language, words = timed("language, word counts", lambda: (_language(bodies), bodies.select(
        text.str.count_matches(" ") + text.str.count_matches("\n") + 1).to_series().to_numpy()))
    dates = timed("dates (each distinct value parsed once)", lambda: {
        v: parse_published(v) for v in bodies["published_at"].drop_nulls().unique().to_list()})
    fps = timed("MinHash signatures and LSH bands", lambda: fingerprints(bodies["text"], words))
    articles = bodies.join(paragraphs, on="seq").with_columns(
        language.alias("language"), pl.Series("word_count", words, dtype=pl.Int32),
        pl.col("published_at").replace_strict({k: v[0] for k, v in dates.items()}, default=None,
                                              return_dtype=pl.Datetime("us", "UTC")))
    return articles.drop("hard", "untidy", "maybe_metadata"), fps


def _untimed(_name: str, fn: Callable[[], Any]) -> Any:
    return fn()


def pipelined(src: Path, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The floor's passes as the least pipeline that does them (see the module's docstring);
    timed like benchmarks.ingest's sides, in a process of its own."""
    put_side(out, lambda: _pipeline(src))


def _pipeline(src: Path) -> int:
    db = src.with_suffix(".pipelined.duckdb")
    db.unlink(missing_ok=True)
    con = _open(db, as_ingest=True)
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="floor")
    pieces = [(job.args[1], job.args[2]) for job in _range_jobs(src, "jsonl", str(src), ramp=True)]
    parsed = list(pool.map(lambda piece: _parse_piece(src, *piece), pieces))
    first = pl.concat([frame["key"] for frame in parsed]).is_first_distinct().to_numpy()  # across the file
    index, created, at = RunIndex(0, "floor"), False, 0
    pending: deque[tuple[Future[tuple[pl.DataFrame, Fingerprints]], pl.DataFrame]] = deque()

    def load(job: Future[tuple[pl.DataFrame, Fingerprints]], copies: pl.DataFrame) -> None:
        nonlocal created
        articles, fps = job.result()
        _piece_near_duplicates(articles, fps, index)
        _append(con, _tables(articles, fps, copies), created)
        created = True

    for frame in parsed:
        keep = pl.Series(first[at:at + frame.height])
        at += frame.height
        pending.append((pool.submit(_passes, frame.filter(keep).drop("key"), _untimed),
                        frame.filter(~keep).select("url", "seq", pl.lit("copy").alias("duplicate_of"))))
        while len(pending) > 2:  # two pieces under way while the main thread stores
            load(*pending.popleft())
    while pending:
        load(*pending.popleft())
    con.execute("checkpoint").fetchall()
    con.close()
    pool.shutdown()
    return len(first)


def _parse_piece(src: Path, start: int, end: int) -> pl.DataFrame:
    frame = pl.read_ndjson(io.BytesIO(read_range(src, start, end)))
    # numbered from the piece's first byte: unique across pieces, in file order
    return frame.with_row_index("seq", offset=start).with_columns(_COPY_KEY.alias("key"))


def _bucket_keys(fps: Fingerprints) -> tuple[np.ndarray, np.ndarray]:
    """Each article's LSH bucket keys, and the article each key belongs to."""
    n, bands = fps.bands.shape
    return RunIndex.keys(np.tile(np.arange(bands), n), fps.bands.ravel()), np.repeat(np.arange(n), bands)


def _piece_near_duplicates(articles: pl.DataFrame, fps: Fingerprints, index: RunIndex) -> np.ndarray:
    """Best similarity of each article to the members of its buckets in earlier pieces, then
    the piece joins the index. (Pairs within a piece are not compared: less work than ingest's.)"""
    keys, pos = _bucket_keys(fps)
    n = len(fps)
    at, rows = index.lookup(keys)
    best = np.zeros(n)
    if len(at):
        np.maximum.at(best, pos[at], similarity(fps.minhash[pos[at]], index.signatures(rows)))
    ids = articles["content_sha256"].str.slice(0, 24)
    index.add(ids, ids, articles["url"], fps.minhash, keys, pos)
    return best


def _near_duplicates(fps: Fingerprints) -> int:
    keys, pos = _bucket_keys(fps)
    # each article against the first article of each of its buckets: the bounded candidate set
    order = np.argsort(keys, kind="stable")
    first = np.empty_like(pos)
    starts = np.r_[True, keys[order][1:] != keys[order][:-1]]
    first[order] = pos[order][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    later = first < pos
    return int((similarity(fps.minhash[pos[later]], fps.minhash[first[later]]) >= 0.6).sum())


def _tables(articles: pl.DataFrame, fps: Fingerprints, copies: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {"articles": articles,
            "fingerprints": pl.DataFrame({"seq": articles["seq"], "minhash": fps.minhash}),
            "bands": pl.DataFrame({"seq": np.repeat(articles["seq"].to_numpy(), fps.bands.shape[1]),
                                   "band_hash": fps.bands.ravel()}),
            "copies": copies}


def _open(db: Path, *, as_ingest: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    # no write-ahead log, as ingest stores (ingest.db.connect): the data is written once, compressed
    extra = f", row_group_size {INGEST_ROW_GROUP_ROWS}" if as_ingest else ""
    con.execute(f"attach '{db}' as floor (recovery_mode no_wal_writes{extra})").fetchall()
    con.execute("use floor").fetchall()
    if as_ingest:
        con.execute(f"set zstd_min_string_length = {ZSTD_MIN_STRING_LENGTH}").fetchall()
        con.execute("set checkpoint_threshold = '1TB'").fetchall()  # one checkpoint, at the end, as ingest
    return con


def _append(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame], created: bool) -> None:
    """One transaction: each frame inserted into its table (created by the first)."""
    con.execute("begin").fetchall()
    for name, frame in tables.items():
        con.register("f", frame)
        con.execute(f"{f'insert into {name}' if created else f'create table {name} as'} select * from f").fetchall()
        con.unregister("f")
    con.execute("commit").fetchall()


def _store(db: Path, articles: pl.DataFrame, fps: Fingerprints, copies: pl.DataFrame) -> None:
    con = _open(db)
    _append(con, _tables(articles, fps, copies), created=False)
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
        sides: dict[str, list[Side]] = {"native": [], "ours": [], "pipelined": []}
        runs: list[dict[str, tuple[float, float]]] = []
        for _ in range(args.repeat):  # read_json, our ingest, the floor's passes and their pipeline, alternating
            sides["native"].append(run_side(duckdb_read, src))
            sides["ours"].append(run_side(our_ingest, src))
            runs.append(floor(src, work / "floor.duckdb"))
            sides["pipelined"].append(run_side(pipelined, src))
        print(f"corpus: {args.n} articles, {src.stat().st_size / 1e6:.1f} MB; {args.repeat} run(s); {cores} cores\n")
        print("| pass | wall s | CPU s |\n|---|---:|---:|")
        cpu_total, longest = 0.0, 0.0
        for name in runs[0]:
            wall, cpu = (statistics.median(r[name][i] for r in runs) for i in (0, 1))
            cpu_total, longest = cpu_total + cpu, max(longest, wall)
            print(f"| {name} | {wall:.3f} | {cpu:.3f} |")
        print(f"| **all passes** | | **{cpu_total:.2f}** |\n")
        wall = {k: statistics.median(r.seconds for r in v) for k, v in sides.items()}
        cpu = {k: statistics.median(r.cpu_s for r in v) for k, v in sides.items()}
        spread = {k: "–".join(f"{f(r.seconds for r in v):.2f}" for f in (min, max)) for k, v in sides.items()}
        base = wall["native"]
        # an ideal no real pipeline reaches: no orchestration, and every core busy from start to end
        ideal = max(cpu_total / cores, longest)
        print(f"read_json into a file: {base:.2f} s, CPU {cpu['native']:.2f} s; 0.5x allows {2 * base:.2f} s "
              f"(runs {spread['native']} s)")
        print(f"newswh ingest: {wall['ours']:.2f} s, CPU {cpu['ours']:.2f} s ({base / wall['ours']:.2f}x; "
              f"runs {spread['ours']} s)")
        print(f"floor, perfectly spread over {cores} cores: {ideal:.2f} s, CPU {cpu_total:.2f} s = "
              f"{ideal / (2 * base):.0%} of what 0.5x allows; "
              f"ingest's CPU is {cpu['ours'] / cpu_total:.2f}x the floor's")
        print(f"floor's passes as a pipeline: {wall['pipelined']:.2f} s, CPU {cpu['pipelined']:.2f} s "
              f"({base / wall['pipelined']:.2f}x; runs {spread['pipelined']} s) = "
              f"{wall['pipelined'] / (2 * base):.0%} of what 0.5x allows")


if __name__ == "__main__":
    main()
