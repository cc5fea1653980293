"""The ingest stage: read -> normalise -> dedupe -> load, one transaction per batch.

Idempotent by construction: every decision (exact duplicate, already loaded, new version,
near-duplicate) is made against what is committed, inside the batch's transaction, so a run
killed at any point leaves whole batches only, and a re-run loads exactly what is missing."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from ingest import __version__
from ingest.db import connect, insert_frame, transaction
from ingest.dedupe import FINGERPRINT_VERSION, Fingerprint, fingerprints, similarity
from ingest.errors import InputError, NoInputError
from ingest.normalize import normalize, resolved
from ingest.readers import iter_files, read_file
from ingest.records import Article, IngestSummary, RawRecord, Reject
from ingest.settings import settings

log = logging.getLogger(__name__)

_MAX_CANDIDATES = 5
Progress = Callable[[int, int], None]  # (files finished, records read) since the last call


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def new_run_id() -> str:
    """Sortable by start time, unique across machines."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


@dataclass
class _Planned:
    article: Article
    article_id: str
    version: int
    previous_version_id: str | None
    fp: Fingerprint
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None


def ingest(
    paths: Iterable[Path],
    db: Path | None = None,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Load files or directories into raw.articles; bad input goes to raw.rejected_documents."""
    paths = list(paths)
    db = db or settings.db_path
    files = list(iter_files(paths))
    if not files:
        raise NoInputError(paths)
    batch_size = batch_size or settings.batch_size
    con = connect(db)
    try:
        summary = IngestSummary(run_id=new_run_id(), db_path=db)
        _start_run(con, summary, paths)
        refresh_fingerprints(con)
        batch: list[RawRecord | Reject] = []
        try:
            for path in files:
                for item in read_file(path):
                    batch.append(item)
                    if len(batch) >= batch_size:
                        _flush(con, summary, batch)
                        if progress:
                            progress(0, len(batch))
                        batch = []
                summary.files += 1
                if progress:
                    progress(1, 0)
            _flush(con, summary, batch)
            if progress:
                progress(0, len(batch))
            summary.status = "succeeded"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            _finish_run(con, summary)
        return summary
    finally:
        con.close()


def refresh_fingerprints(con: duckdb.DuckDBPyConnection, batch_size: int = 5_000) -> int:
    """Recompute fingerprints made under another FINGERPRINT_VERSION (e.g. after a polars upgrade),
    so every stored signature is comparable with the ones this version makes."""
    stale = [aid for (aid,) in con.execute(
        "select article_id from raw.article_fingerprints where fingerprint_version <> ?",
        [FINGERPRINT_VERSION]).fetchall()]
    for start in range(0, len(stale), batch_size):
        ids = stale[start : start + batch_size]
        rows = con.execute("select article_id, body from raw.articles where article_id in (select unnest(?))",
                           [ids]).fetchall()
        fps = fingerprints([body for _, body in rows])
        frame = pl.DataFrame(
            {"article_id": [aid for aid, _ in rows], "minhash": [fp.minhash.tolist() for fp in fps]},
            schema={"article_id": pl.String, "minhash": pl.List(pl.UInt64)})
        bands = _band_frame([aid for aid, _ in rows], fps)
        with transaction(con):
            con.register("refreshed", frame)
            con.execute("update raw.article_fingerprints as f set minhash = r.minhash, fingerprint_version = ? "
                        "from refreshed as r where f.article_id = r.article_id", [FINGERPRINT_VERSION]).fetchall()
            con.execute("delete from raw.article_lsh_bands where article_id in (select article_id from refreshed)"
                        ).fetchall()
            con.unregister("refreshed")
            insert_frame(con, "raw.article_lsh_bands", bands)
    if stale:
        log.info("recomputed %d fingerprints for %s", len(stale), FINGERPRINT_VERSION)
    return len(stale)


def _band_frame(article_ids: list[str], fps: list[Fingerprint]) -> pl.DataFrame:
    return pl.DataFrame(
        {"band": [b for fp in fps for b in range(len(fp.bands))],
         "band_hash": [h for fp in fps for h in fp.bands],
         "article_id": [aid for aid, fp in zip(article_ids, fps, strict=True) for _ in fp.bands]},
        schema={"band": pl.Int32, "band_hash": pl.UInt64, "article_id": pl.String},
    )


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


def _flush(con: duckdb.DuckDBPyConnection, summary: IngestSummary, batch: list[RawRecord | Reject]) -> None:
    if not batch:
        return
    articles: list[Article] = []
    rejects: list[Reject] = []
    for item in batch:
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        try:
            articles.append(normalize(item))
        except InputError as exc:
            rejects.append(Reject(item.path, item.locator, exc.reason, exc.detail, exc.snippet))
    now = datetime.now(UTC)
    with transaction(con):
        counts = _load_articles(con, summary.run_id, articles, now)
        n_rejected = _load_rejects(con, summary.run_id, rejects, now)
        con.execute(
            """update raw.ingest_runs set
                records = records + ?, loaded = loaded + ?, already_present = already_present + ?,
                duplicates = duplicates + ?, new_versions = new_versions + ?,
                near_duplicates = near_duplicates + ?, rejected = rejected + ?, warnings = warnings + ?
            where run_id = ?""",
            [len(batch), counts["loaded"], counts["already_present"], counts["duplicates"],
             counts["new_versions"], counts["near_duplicates"], n_rejected, counts["warnings"], summary.run_id],
        ).fetchall()
    summary.records += len(batch)
    for name in ("loaded", "already_present", "duplicates", "new_versions", "near_duplicates", "warnings"):
        setattr(summary, name, getattr(summary, name) + counts[name])
    summary.rejected += n_rejected
    for reject in rejects:
        summary.reject_reasons[reject.reason.value] = summary.reject_reasons.get(reject.reason.value, 0) + 1


def _load_articles(
    con: duckdb.DuckDBPyConnection, run_id: str, articles: list[Article], now: datetime
) -> dict[str, int]:
    counts = dict.fromkeys(
        ("loaded", "already_present", "duplicates", "new_versions", "near_duplicates", "warnings"), 0)
    if not articles:
        return counts
    shas = sorted({a.content_sha256 for a in articles})
    known: dict[str, tuple[str, str, str]] = {
        sha: (aid, path, loc)
        for sha, aid, path, loc in con.execute(
            "select content_sha256, article_id, raw_path, record_locator from raw.articles "
            "where content_sha256 in (select unnest(?::varchar[]))", [shas]).fetchall()
    }
    urls = sorted({a.canonical_url for a in articles if a.canonical_url})
    latest: dict[str, tuple[str, int]] = {
        url: (aid, version)
        for url, aid, version in con.execute(
            "select canonical_url, article_id, version from raw.articles "
            "where canonical_url in (select unnest(?::varchar[])) "
            "qualify row_number() over (partition by canonical_url order by version desc) = 1", [urls]).fetchall()
    }
    accepted: list[tuple[Article, str, int, str | None]] = []
    duplicates: list[dict[str, str]] = []
    for article in articles:
        seen = known.get(article.content_sha256)
        if seen:
            if (seen[1], seen[2]) == (article.raw_path, article.record_locator):
                counts["already_present"] += 1
            else:
                counts["duplicates"] += 1
                duplicates.append({"raw_path": article.raw_path, "record_locator": article.record_locator,
                                   "content_sha256": article.content_sha256, "duplicate_of": seen[0]})
            continue
        url = article.canonical_url
        if url and url in latest:
            previous_id, previous_version = latest[url]
            article_id, version = _key("url", url, article.content_sha256), previous_version + 1
            counts["new_versions"] += 1
        else:
            previous_id, version = None, 1
            article_id = _key("url", url) if url else _key("content", article.content_sha256)
        if url:
            latest[url] = (article_id, version)
        known[article.content_sha256] = (article_id, article.raw_path, article.record_locator)
        accepted.append((article, article_id, version, previous_id))
    fps = fingerprints([a.body for a, *_ in accepted])
    planned = [_Planned(a, aid, version, prev, fp) for (a, aid, version, prev), fp in zip(accepted, fps, strict=True)]

    counts["near_duplicates"] = _mark_near_duplicates(con, planned)
    counts["loaded"] = len(planned)
    counts["warnings"] = sum(len(p.article.warnings) for p in planned)
    if planned:
        _insert(con, planned, run_id, now)
    if duplicates:
        insert_frame(con, "raw.duplicate_documents", pl.DataFrame(duplicates).with_columns(
            pl.lit(run_id).alias("ingest_run_id"), pl.lit(now).alias("seen_at")), or_ignore=True)
    return counts


def _mark_near_duplicates(con: duckdb.DuckDBPyConnection, planned: list[_Planned]) -> int:
    """Point each new article at the earliest loaded article it nearly copies (same URL excluded:
    that is a version, not a syndicated copy)."""
    comparable = [p for p in planned if p.fp.comparable]
    if not comparable:
        return 0
    con.register("band_rows", _band_frame([p.article_id for p in comparable], [p.fp for p in comparable]))
    # Only the few old articles sharing the most bands are compared: with heavily syndicated
    # stories every copy shares bands with every other, and comparing all pairs is quadratic.
    rows = con.execute(
        """with shared as (
            select new.article_id as new_id, old.article_id as old_id, count(*) as shared_bands
            from band_rows as new
            inner join raw.article_lsh_bands as old using (band, band_hash)
            group by new.article_id, old.article_id
            qualify row_number() over (partition by new_id order by shared_bands desc, old_id) <= ?
        )
        select shared.new_id, coalesce(a.duplicate_of, a.article_id), a.canonical_url, f.minhash
        from shared
        inner join raw.articles as a on a.article_id = shared.old_id
        inner join raw.article_fingerprints as f on f.article_id = shared.old_id""",
        [_MAX_CANDIDATES]).fetchall()
    con.unregister("band_rows")
    candidates: dict[str, list[tuple[str, str | None, np.ndarray]]] = {}
    for new_id, root_id, old_url, minhash in rows:
        candidates.setdefault(new_id, []).append((root_id, old_url, np.array(minhash, dtype=np.uint64)))
    # Earlier articles of this same batch are candidates too.
    by_band: dict[tuple[int, int], list[int]] = {}
    flagged = 0
    for i, p in enumerate(comparable):
        options = list(candidates.get(p.article_id, []))
        shared_bands: Counter[int] = Counter()
        for band_key in enumerate(p.fp.bands):
            shared_bands.update(by_band.get(band_key, ()))
            by_band.setdefault(band_key, []).append(i)
        for j, _count in shared_bands.most_common(_MAX_CANDIDATES):
            earlier = comparable[j]
            options.append((earlier.duplicate_of or earlier.article_id, earlier.article.canonical_url,
                            earlier.fp.minhash))
        best: tuple[float, str] | None = None
        for root_id, url, minhash in options:
            if url and url == p.article.canonical_url:
                continue
            score = similarity(p.fp.minhash, minhash)
            if score >= settings.near_duplicate_threshold and (best is None or score > best[0]):
                best = (score, root_id)
        if best:
            p.duplicate_similarity, p.duplicate_of = best
            flagged += 1
    return flagged


_PARAGRAPH = pl.Struct({"paragraph_index": pl.Int32, "char_start": pl.Int32, "char_end": pl.Int32,
                        "is_heading": pl.Boolean})
# Explicit, so a batch whose first rows happen to have NULLs is typed the same as any other.
_ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(), "version": pl.Int32(), "previous_version_id": pl.String(),
    "content_sha256": pl.String(), "source": pl.String(), "url": pl.String(), "canonical_url": pl.String(),
    "external_id": pl.String(), "title": pl.String(), "authors": pl.List(pl.String()), "byline": pl.String(),
    "dateline": pl.String(), "dateline_place": pl.String(), "published_at": pl.Datetime("us", "UTC"),
    "published_at_raw": pl.String(), "language": pl.String(), "body": pl.String(),
    "paragraphs": pl.List(_PARAGRAPH), "char_count": pl.Int32(), "word_count": pl.Int32(),
    "duplicate_of": pl.String(), "duplicate_similarity": pl.Float64(), "format": pl.String(),
    "raw_path": pl.String(), "record_locator": pl.String(), "warnings": pl.List(pl.String()),
    "ingest_run_id": pl.String(), "ingested_at": pl.Datetime("us", "UTC"),
}


def _insert(con: duckdb.DuckDBPyConnection, planned: list[_Planned], run_id: str, now: datetime) -> None:
    articles_frame = pl.DataFrame(
        [
            {
                "article_id": p.article_id,
                "version": p.version,
                "previous_version_id": p.previous_version_id,
                "content_sha256": a.content_sha256,
                "source": a.source,
                "url": a.url,
                "canonical_url": a.canonical_url,
                "external_id": a.external_id,
                "title": a.title,
                "authors": list(a.authors),
                "byline": a.byline,
                "dateline": a.dateline,
                "dateline_place": a.dateline_place,
                "published_at": a.published_at,
                "published_at_raw": a.published_at_raw,
                "language": a.language,
                "body": a.body,
                "paragraphs": [vars(par) for par in a.paragraphs],
                "char_count": len(a.body),
                # normalised bodies separate words by exactly one space or newline
                "word_count": a.body.count(" ") + a.body.count("\n") + 1,
                "duplicate_of": p.duplicate_of,
                "duplicate_similarity": p.duplicate_similarity,
                "format": a.fmt,
                "raw_path": a.raw_path,
                "record_locator": a.record_locator,
                "warnings": list(a.warnings),
                "ingest_run_id": run_id,
                "ingested_at": now,
            }
            for p in planned
            for a in (p.article,)
        ],
        schema=_ARTICLE_SCHEMA,
    )
    fingerprints = pl.DataFrame(
        {"article_id": [p.article_id for p in planned],
         "minhash": [p.fp.minhash.tolist() for p in planned],
         "fingerprint_version": [FINGERPRINT_VERSION] * len(planned),
         "ingest_run_id": [run_id] * len(planned)},
        schema={"article_id": pl.String, "minhash": pl.List(pl.UInt64), "fingerprint_version": pl.String,
                "ingest_run_id": pl.String},
    )
    bands = _band_frame([p.article_id for p in planned], [p.fp for p in planned])
    insert_frame(con, "raw.articles", articles_frame)
    insert_frame(con, "raw.article_fingerprints", fingerprints)
    insert_frame(con, "raw.article_lsh_bands", bands)


def _load_rejects(con: duckdb.DuckDBPyConnection, run_id: str, rejects: list[Reject], now: datetime) -> int:
    if not rejects:
        return 0
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
    return len(rejects)
