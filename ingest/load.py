"""The ingest stage: read -> normalise -> dedupe -> load, one transaction per batch.

Idempotent by construction: every decision (exact duplicate, already loaded, new version,
near-duplicate) is made against what is committed, inside the batch's transaction, so a run
killed at any point leaves whole batches only, and a re-run loads exactly what is missing.

Durable at checkpoints, not at every commit: the warehouse is opened without a write-ahead log,
so a batch's data is compressed and written once, by the checkpoint, instead of twice (the log,
then the checkpoint). A checkpoint replaces the file's state atomically; a run killed between
two leaves the state of the first, which is whole batches, run counters included. The run's
own row is checkpointed first, so a killed run is still found and marked interrupted."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from ingest import __version__
from ingest.columnar import (
    ARTICLE_COLUMNS,
    CHUNK_BYTES,
    SEQ,
    Batch,
    Chunk,
    empty_frame,
    read_batches,
    start_pool,
    to_batch,
)
from ingest.db import connect, frame, insert_frame, transaction
from ingest.dedupe import FINGERPRINT_VERSION, Fingerprints, RunIndex, fingerprints, similarity
from ingest.errors import NoInputError
from ingest.normalize import resolved
from ingest.readers import format_of, iter_files, read_file
from ingest.records import IngestSummary, RawRecord, Reject
from ingest.settings import settings

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (files finished, records read) since the last call


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def new_run_id() -> str:
    """Sortable by start time, unique across machines."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def ingest(
    paths: Iterable[Path],
    db: Path | None = None,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    columnar: bool = True,
) -> IngestSummary:
    """Load files or directories into raw.articles; bad input goes to raw.rejected_documents.
    `columnar=False` sends JSON Lines through the per-record path too (tests compare the two)."""
    paths = list(paths)
    db = db or settings.db_path
    files = list(iter_files(paths))
    if not files:
        raise NoInputError(paths)
    columnar_rows = batch_size or settings.columnar_batch_size
    batch_size = batch_size or settings.batch_size
    # A pool of threads costs next to nothing to start, so a file gets one as soon as it makes two
    # pieces of the smallest size (CHUNK_BYTES // 8; see columnar._range_jobs). Measured: the 10k
    # benchmark corpus (32 MB) 1.47-1.67 s -> 1.39-1.49 s; a 2.1 MB file cut in two was 0.02 s slower.
    pooled = {path for path in files if columnar and format_of(path)[0] == "jsonl" and
              path.stat().st_size > CHUNK_BYTES // 4}
    pool = start_pool(settings.ingest_workers) if pooled and settings.ingest_workers > 1 else None
    try:
        return _ingest(files, paths, db, columnar, columnar_rows, batch_size, progress, pool, pooled)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _ingest(files: list[Path], paths: list[Path], db: Path, columnar: bool, columnar_rows: int, batch_size: int,
            progress: Progress | None, pool: Executor | None, pooled: set[Path]) -> IngestSummary:
    con = connect(db, wal=False)
    try:
        summary = IngestSummary(run_id=new_run_id(), db_path=db)
        # Checkpoints are ingest's own (see above): DuckDB would add one whenever a commit took
        # its estimate of the log past 16 MB, each rewriting the growing last row group.
        con.execute("set checkpoint_threshold = '1TB'").fetchall()
        _start_run(con, summary, paths)
        con.execute("checkpoint").fetchall()
        refresh_fingerprints(con)
        run = _Run.begin(con, summary.run_id)
        batch: list[RawRecord | Reject] = []
        try:
            for path in files:
                fmt, gzipped = format_of(path)
                if columnar and fmt == "jsonl":
                    # A JSON Lines file goes on columns; what is pending goes first, to keep file order.
                    if batch:
                        _flush(con, summary, _per_record_batch(batch), run, progress)
                    batch = []
                    for part in read_batches(path, gzipped, f"{fmt}.gz" if gzipped else str(fmt), columnar_rows,
                                             pool if path in pooled else None, settings.ingest_workers):
                        _flush(con, summary, part, run, progress)
                else:
                    for item in read_file(path):
                        batch.append(item)
                        if len(batch) >= batch_size:
                            _flush(con, summary, _per_record_batch(batch), run, progress)
                            batch = []
                summary.files += 1
                if progress:
                    progress(1, 0)
            if batch:
                _flush(con, summary, _per_record_batch(batch), run, progress)
            summary.status = "succeeded"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            _finish_run(con, summary)
        con.execute("checkpoint").fetchall()
        return summary
    finally:
        con.close()


def refresh_fingerprints(con: duckdb.DuckDBPyConnection, batch_size: int = 20_000) -> int:
    """Recompute fingerprints made under another FINGERPRINT_VERSION (e.g. after a polars upgrade),
    so every stored signature is comparable with the ones this version makes."""
    stale = [aid for (aid,) in con.execute(
        "select article_id from raw.article_fingerprints where fingerprint_version <> ?",
        [FINGERPRINT_VERSION]).fetchall()]
    for start in range(0, len(stale), batch_size):
        ids = stale[start : start + batch_size]
        rows = frame(con, "select article_id, body, word_count from raw.articles "
                     "where article_id in (select unnest(?))", [ids])
        fps = fingerprints(rows["body"], rows["word_count"].to_numpy())
        refreshed = pl.DataFrame({"article_id": rows["article_id"], "minhash": _signature_column(fps.minhash)})
        with transaction(con):
            con.register("refreshed", refreshed)
            con.execute("update raw.article_fingerprints as f set minhash = r.minhash, fingerprint_version = ? "
                        "from refreshed as r where f.article_id = r.article_id", [FINGERPRINT_VERSION]).fetchall()
            con.execute("delete from raw.article_lsh_bands where article_id in (select article_id from refreshed)"
                        ).fetchall()
            con.unregister("refreshed")
            insert_frame(con, "raw.article_lsh_bands", _band_frame(rows["article_id"], fps))
    if stale:
        log.info("recomputed %d fingerprints for %s", len(stale), FINGERPRINT_VERSION)
    return len(stale)


def _signature_column(minhash: np.ndarray) -> pl.Series:
    return pl.Series("minhash", minhash, dtype=pl.Array(pl.UInt64, minhash.shape[1])).cast(pl.List(pl.UInt64))


def _band_frame(article_ids: pl.Series, fps: Fingerprints) -> pl.DataFrame:
    n, bands = fps.bands.shape
    return pl.DataFrame(
        {"band": np.tile(np.arange(bands, dtype=np.int32), n),
         "band_hash": fps.bands.ravel(),
         "article_id": article_ids.gather(np.repeat(np.arange(n), bands))},
        schema={"band": pl.Int32, "band_hash": pl.UInt64, "article_id": pl.String},
    )


@dataclass
class _Run:
    """What this run has loaded so far, so a batch asks the warehouse only about what earlier runs
    loaded (rowids below those at the start; a run only appends). A failed batch ends the run,
    and this with it: it never outlives what was committed."""

    earlier_articles: int  # raw.articles rowids below this predate the run
    index: RunIndex  # LSH buckets, for near-duplicates
    known: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # sha -> (id, raw path, locator)
    latest: dict[str, tuple[str, int]] = field(default_factory=dict)  # canonical URL -> (id, version)
    unsaved: int = 0  # records committed since the last checkpoint

    @classmethod
    def begin(cls, con: duckdb.DuckDBPyConnection, run_id: str) -> _Run:
        articles, bands = con.execute(
            "select (select coalesce(max(rowid) + 1, 0) from raw.articles), "
            "(select coalesce(max(rowid) + 1, 0) from raw.article_lsh_bands)").fetchall()[0]
        return cls(int(articles), RunIndex(int(bands), run_id))


def _start_run(con: duckdb.DuckDBPyConnection, summary: IngestSummary, paths: list[Path]) -> None:
    # We hold the write lock, so a run still marked "running" was killed.
    con.execute("update raw.ingest_runs set status = 'interrupted' where status = 'running'").fetchall()
    con.execute(
        "insert into raw.ingest_runs (run_id, started_at, status, inputs, tool_version) values (?, ?, ?, ?, ?)",
        [summary.run_id, datetime.now(UTC), "running", [str(p) for p in paths], __version__],
    ).fetchall()


def _finish_run(con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> None:
    con.execute(
        "update raw.ingest_runs set status = ?, ended_at = ?, files = ? where run_id = ?",
        [summary.status, datetime.now(UTC), summary.files, summary.run_id],
    ).fetchall()


def _per_record_batch(items: list[RawRecord | Reject]) -> Batch:
    return to_batch(Chunk(empty_frame(), list(enumerate(items))))


def _flush(con: duckdb.DuckDBPyConnection, summary: IngestSummary, batch: Batch, run: _Run,
           progress: Progress | None = None) -> None:
    """Load one batch in one transaction."""
    if not batch.records:
        return
    now = datetime.now(UTC)
    with transaction(con):
        counts = _load_articles(con, summary.run_id, batch.frame, batch.fingerprints, run, now)
        reject_ids = _load_rejects(con, summary.run_id, batch.rejects, now)
        n_rejected = len(batch.rejects)
        con.execute(
            """update raw.ingest_runs set
                records = records + ?, loaded = loaded + ?, already_present = already_present + ?,
                duplicates = duplicates + ?, new_versions = new_versions + ?,
                near_duplicates = near_duplicates + ?, rejected = rejected + ?, warnings = warnings + ?
            where run_id = ?""",
            [batch.records, counts["loaded"], counts["already_present"], counts["duplicates"],
             counts["new_versions"], counts["near_duplicates"], n_rejected, counts["warnings"], summary.run_id],
        ).fetchall()
    run.unsaved += batch.records
    if run.unsaved >= settings.ingest_checkpoint_records:
        con.execute("checkpoint").fetchall()
        run.unsaved = 0
    summary.records += batch.records
    for name in ("loaded", "already_present", "duplicates", "new_versions", "near_duplicates", "warnings"):
        setattr(summary, name, getattr(summary, name) + counts[name])
    summary.rejected += n_rejected
    summary.reject_ids.extend(reject_ids)
    for reject in batch.rejects:
        summary.reject_reasons[reject.reason.value] = summary.reject_reasons.get(reject.reason.value, 0) + 1
    if progress:
        progress(0, batch.records)


def _load_articles(con: duckdb.DuckDBPyConnection, run_id: str, frame: pl.DataFrame, fps: Fingerprints,
                   run: _Run, now: datetime) -> dict[str, int]:
    """Decide, in file order, what each article is (already loaded, a duplicate, a new version of a
    URL, new), against what is committed and what came earlier in the batch, then insert."""
    counts = dict.fromkeys(
        ("loaded", "already_present", "duplicates", "new_versions", "near_duplicates", "warnings"), 0)
    if frame.height == 0:
        return counts
    shas, paths, locators, urls = (frame[c].to_list() for c in
                                   ("content_sha256", "raw_path", "record_locator", "canonical_url"))
    # What earlier runs loaded is asked of the warehouse; what this run loaded, it remembers.
    known: dict[str, tuple[str, str, str]] = {}
    latest: dict[str, tuple[str, int]] = {}
    if run.earlier_articles:
        known = {
            sha: (aid, path, loc)
            for sha, aid, path, loc in con.execute(
                "select content_sha256, article_id, raw_path, record_locator from raw.articles "
                "where rowid < ? and content_sha256 in (select unnest(?::varchar[]))",
                [run.earlier_articles, sorted(set(shas))]).fetchall()
        }
        latest = {
            url: (aid, version)
            for url, aid, version in con.execute(
                "select canonical_url, article_id, version from raw.articles "
                "where rowid < ? and canonical_url in (select unnest(?::varchar[])) "
                "qualify row_number() over (partition by canonical_url order by version desc) = 1",
                [run.earlier_articles, sorted({u for u in urls if u})]).fetchall()
        }
    keep: list[int] = []
    ids: list[str] = []
    versions: list[int] = []
    previous: list[str | None] = []
    duplicate_rows: list[int] = []
    copy_of: list[str] = []
    for i, (sha, path, loc, url) in enumerate(zip(shas, paths, locators, urls, strict=True)):
        seen = run.known.get(sha) or known.get(sha)
        if seen:
            if (seen[1], seen[2]) == (path, loc):
                counts["already_present"] += 1
            else:
                counts["duplicates"] += 1
                duplicate_rows.append(i)
                copy_of.append(seen[0])
            continue
        before = (run.latest.get(url) or latest.get(url)) if url else None
        if before:
            previous_id, previous_version = before
            article_id, version = _key("url", url, sha), previous_version + 1
            counts["new_versions"] += 1
        else:
            previous_id, version = None, 1
            article_id = _key("url", url) if url else _key("content", sha)
        if url:
            run.latest[url] = (article_id, version)
        run.known[sha] = (article_id, path, loc)
        keep.append(i)
        ids.append(article_id)
        versions.append(version)
        previous.append(previous_id)
    if keep:
        if frame["body"].gather(keep).null_count():
            # columnar.SeenBodies skipped a row as a certain duplicate, yet nothing loaded has its body
            raise RuntimeError(f"{paths[0]}: a row skipped as a duplicate has no original loaded before it")
        planned = frame[keep].with_columns(
            pl.Series("article_id", ids, dtype=pl.String), pl.Series("version", versions, dtype=pl.Int32),
            pl.Series("previous_version_id", previous, dtype=pl.String))
        fps = fps.subset(np.array(keep, dtype=np.int64))
        bands = _band_frame(planned["article_id"], fps)  # every bucket an article is in, stored
        duplicate_of, similarity_, counts["near_duplicates"] = _near_duplicates(con, planned, fps, run.index)
        planned = planned.with_columns(pl.Series("duplicate_of", duplicate_of, dtype=pl.String),
                                       pl.Series("duplicate_similarity", similarity_, dtype=pl.Float64))
        counts["loaded"] = planned.height
        counts["warnings"] = int(planned["warnings"].list.len().sum())
        _insert(con, planned, fps, bands, run_id, now)
    if duplicate_rows:
        insert_frame(con, "raw.duplicate_documents", frame[duplicate_rows].select(
            "raw_path", "record_locator", "content_sha256", pl.Series("duplicate_of", copy_of, dtype=pl.String),
            pl.lit(run_id).alias("ingest_run_id"), pl.lit(now).alias("seen_at")), or_ignore=True)
    return counts


@dataclass
class _Members:
    """The first members (load order) of some buckets among what is loaded: pairs (key_idx,
    member) and, once per distinct member, its id, root, URL and signature."""

    key_idx: np.ndarray
    member: np.ndarray
    catalog: pl.DataFrame  # old_id, root_id, url
    minhash: np.ndarray


def _members(con: duckdb.DuckDBPyConnection, keys: np.ndarray, band: np.ndarray, band_hash: np.ndarray,
             index: RunIndex) -> _Members:
    """Members of the given buckets (their RunIndex keys, and the band and band hash each key
    stands for; key_idx indexes them). Earlier runs' come from the warehouse, this run's from its
    RunIndex, which holds only the members they left room for."""
    key_idx, rows = index.lookup(keys)
    distinct, member = np.unique(rows, return_inverse=True)
    catalog = index.catalog(distinct)
    minhash = index.signatures(distinct)
    if index.earlier_rows:
        con.register("bucket_rows", pl.DataFrame({"key_idx": np.arange(len(band)), "band": band.astype(np.int32),
                                                  "band_hash": band_hash}).to_arrow())
        earlier = frame(con,
            """with members as (
                select w.key_idx, old.article_id
                from bucket_rows as w
                inner join raw.article_lsh_bands as old on old.band = w.band and old.band_hash = w.band_hash
                where old.rowid < ?
                qualify row_number() over (partition by w.key_idx order by old.rowid) <= ?
            )
            select m.key_idx, m.article_id as old_id, coalesce(a.duplicate_of, a.article_id) as root_id,
                a.canonical_url as url, f.minhash
            from members as m
            inner join raw.articles as a on a.article_id = m.article_id
            inner join raw.article_fingerprints as f on f.article_id = m.article_id
            -- rowids are stable here, but a checkpoint after refresh_fingerprints' deletions may
            -- renumber them: this run's articles come from the index, never from here
            where f.ingest_run_id <> ?""",
            [index.earlier_rows, index.members, index.run_id])
        con.unregister("bucket_rows")
        if earlier.height:
            first = earlier.unique("old_id", keep="first", maintain_order=True)  # one row per member
            at = first.select("old_id").with_row_index("member").join(earlier.select("key_idx", "old_id"),
                                                                      on="old_id")
            key_idx = np.concatenate([key_idx, at["key_idx"].to_numpy()])
            member = np.concatenate([member, at["member"].to_numpy() + len(catalog)])
            catalog = pl.concat([catalog, first.select("old_id", "root_id", "url")])
            minhash = np.concatenate([minhash, first["minhash"].list.to_array(index.permutations).to_numpy()])
    return _Members(key_idx.astype(np.int64), member.astype(np.int64), catalog, minhash)


def _near_duplicates(con: duckdb.DuckDBPyConnection, planned: pl.DataFrame, fps: Fingerprints, index: RunIndex
                     ) -> tuple[list[str | None], list[float | None], int]:
    """Point each new article at the root of the most similar earlier article (loaded before, or
    earlier in this batch) above the threshold; the same URL is excluded, as that is a version,
    not a syndicated copy. Candidates share an LSH bucket: its first members among what is loaded
    (RunIndex), and within the batch the first article of the bucket. Both are bounded per
    bucket: with heavily syndicated stories every copy shares buckets with every other, and
    comparing all pairs is quadratic. Then this batch's articles join the buckets with room."""
    n = planned.height
    ids = planned["article_id"].to_list()
    urls = planned["canonical_url"].to_list()
    per_article = fps.bands.shape[1]
    pos = np.repeat(np.arange(n), per_article)
    band, band_hash = np.tile(np.arange(per_article), n), fps.bands.ravel()
    unique_keys, first, key_of = np.unique(RunIndex.keys(band, band_hash), return_index=True, return_inverse=True)
    members = _members(con, unique_keys, band[first], band_hash[first], index)
    comparable = np.repeat(fps.comparable, per_article)
    in_bucket = pl.DataFrame({"pos": pos[comparable], "key_idx": key_of[comparable].astype(np.int64)})
    # Loaded before: every member of every bucket the article is in, best sharers first.
    pairs = pl.DataFrame({"key_idx": members.key_idx, "member": members.member})
    old = in_bucket.join(pairs, on="key_idx").group_by("pos", "member").len("shared_bands")
    old = (old.with_columns(members.catalog["old_id"].gather(old["member"]).alias("old_id"))
           .sort(["pos", "shared_bands", "old_id"], descending=[False, True, False]))
    # Within the batch: the first article in each bucket, for every later one in it. Sorted, so
    # that of equally similar anchors the earliest wins, run after run (unique() keeps no order).
    anchors = (in_bucket.with_columns(pl.col("pos").min().over("key_idx").alias("anchor"))
               .filter(pl.col("anchor") < pl.col("pos")).select("pos", "anchor").unique().sort("pos", "anchor"))
    best_score = np.zeros(n)
    best_root: list[str | None] = [None] * n
    best_anchor = np.full(n, -1)
    if old.height:
        at, member = old["pos"].to_numpy(), old["member"].to_numpy()
        sims = similarity(fps.minhash[at], members.minhash[member])
        old_urls, new_urls = members.catalog["url"].gather(member), pl.Series(urls, dtype=pl.String).gather(at)
        # the first of the best in candidate order, as a loop with "score > best" would keep
        best = (pl.DataFrame({"pos": at, "score": sims, "root_id": members.catalog["root_id"].gather(member),
                              "other_url": (old_urls.is_null() | new_urls.is_null() | (old_urls != new_urls))})
                .with_row_index("order")
                .filter((pl.col("score") >= settings.near_duplicate_threshold) & pl.col("other_url"))
                .sort(["pos", "score", "order"], descending=[False, True, False])
                .unique("pos", keep="first"))
        for p, score, root in best.select("pos", "score", "root_id").iter_rows():
            best_score[p], best_root[p] = score, root
    if anchors.height:
        at, anchor = anchors["pos"].to_numpy(), anchors["anchor"].to_numpy()
        sims = similarity(fps.minhash[at], fps.minhash[anchor])
        for p, a, score in zip(at.tolist(), anchor.tolist(), sims.tolist(), strict=True):
            if score >= settings.near_duplicate_threshold and score > best_score[p] and not (
                    urls[a] and urls[a] == urls[p]):
                best_score[p], best_root[p], best_anchor[p] = score, None, a
    # Roots in file order: an earlier copy's own root is already known when a later one needs it.
    duplicate_of: list[str | None] = [None] * n
    for p in np.flatnonzero(best_score).tolist():
        a = int(best_anchor[p])
        duplicate_of[p] = best_root[p] if a < 0 else (duplicate_of[a] or ids[a])
    # This batch's articles join the buckets that have room, in file order (a failed commit ends
    # the run, and the index with it: it never outlives what was stored).
    order = np.argsort(key_of, kind="stable")
    rank = np.empty(len(key_of), dtype=np.int64)
    rank[order] = np.arange(len(key_of)) - np.searchsorted(key_of[order], key_of[order], "left")
    have = np.bincount(members.key_idx, minlength=len(unique_keys))
    admitted = have[key_of] + rank < index.members
    roots = [d or i for d, i in zip(duplicate_of, ids, strict=True)]
    index.add(planned["article_id"], pl.Series(roots, dtype=pl.String), planned["canonical_url"], fps.minhash,
              unique_keys[key_of[admitted]], pos[admitted])
    similarity_ = [float(s) if s else None for s in best_score.tolist()]
    return duplicate_of, similarity_, int(np.count_nonzero(best_score))


_INSERT_COLUMNS = ("article_id", "version", "previous_version_id", *(c for c in ARTICLE_COLUMNS if c != SEQ),
                   "duplicate_of", "duplicate_similarity")


def _insert(con: duckdb.DuckDBPyConnection, planned: pl.DataFrame, fps: Fingerprints, bands: pl.DataFrame,
            run_id: str, now: datetime) -> None:
    articles = planned.select(*_INSERT_COLUMNS).with_columns(
        pl.lit(run_id).alias("ingest_run_id"), pl.lit(now, dtype=pl.Datetime("us", "UTC")).alias("ingested_at"))
    signatures = pl.DataFrame({
        "article_id": planned["article_id"], "minhash": _signature_column(fps.minhash),
        "fingerprint_version": pl.Series([FINGERPRINT_VERSION] * planned.height, dtype=pl.String),
    }).with_columns(pl.lit(run_id).alias("ingest_run_id"))
    insert_frame(con, "raw.articles", articles.to_arrow())
    insert_frame(con, "raw.article_fingerprints", signatures.to_arrow())
    insert_frame(con, "raw.article_lsh_bands", bands.to_arrow())


def _load_rejects(con: duckdb.DuckDBPyConnection, run_id: str, rejects: list[Reject], now: datetime
                  ) -> list[str]:
    """Insert the rejects (a reject seen in an earlier run keeps its row); returns their ids."""
    if not rejects:
        return []
    frame = pl.DataFrame(
        {
            "reject_id": [_key(resolved(r.path), r.locator, r.reason.value, r.snippet) for r in rejects],
            "raw_path": [resolved(r.path) for r in rejects],
            "record_locator": [r.locator for r in rejects],
            "reason_code": [r.reason.value for r in rejects],
            "message": [r.message for r in rejects],
            "raw_snippet": [r.snippet[: settings.raw_snippet_chars] for r in rejects],
        }
    ).unique("reject_id", keep="first").with_columns(
        pl.lit(run_id).alias("ingest_run_id"), pl.lit(now).alias("rejected_at"))
    insert_frame(con, "raw.rejected_documents", frame, or_ignore=True)
    return frame["reject_id"].to_list()
