"""JSON Lines on columns: the fast path for the large files ingest is mostly fed.

The per-record path (readers.jsonfmt -> readers.fields -> normalize) defines what ingest does.
This module reaches the same result, with polars expressions over a whole chunk, for the rows
it can show need nothing more: clean UTF-8 objects whose text is already normalised, with no
repeated title to move and no value polars may have coerced (bylines and datelines are moved by
normalize.front_matter() itself, on the first lines of the rows that may have them). Every other
row goes, by its line, to the per-record path, and so does a whole chunk polars cannot parse.
tests/ingest/test_columnar.py holds the two paths equal on generated input.

Large files are cut into byte ranges that worker threads read themselves (read_range), and a
worker does no more than hash a row whose text and title it has already turned into a body
earlier in the file, or whose body it has already done (SeenBodies): such a row is an exact
duplicate, and most of the work is in the rows that are loaded."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import uuid
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from ingest.dedupe import Fingerprints, fingerprints
from ingest.errors import InputError, RejectReason
from ingest.normalize import (
    _CLEAN,
    _MOJIBAKE_LEADS,
    _TERMINAL,
    EN_MARKERS,
    EN_MIN_SHARE,
    LANGUAGE_PREFIX,
    MOJIBAKE_REPAIRED,
    canonical_url,
    declared_language,
    front_matter,
    has_mojibake_lead,
    is_heading,
    nfc,
    normalize,
    parse_published,
    repair_record_mojibake,
    resolved,
)
from ingest.readers import fields
from ingest.readers.jsonfmt import read_jsonl
from ingest.records import Article, RawRecord, Reject
from ingest.settings import settings
from ingest.unicode_tables import NFC_UNSAFE

# Big enough that per-piece overhead vanishes, small enough that workers and the loader overlap
# and a piece's frames stay small.
CHUNK_BYTES = 16 * 1024 * 1024
SEQ = "seq"
# a JSON Lines row's record_locator, from its line number
_LOCATOR = pl.format("line:{}", pl.col(SEQ)).alias("record_locator")


def _char_class(codes: list[tuple[int, int]]) -> str:
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in codes)


# What normalize_text() and repair_mojibake() do, split in two. Hard: carriage returns, text that
# may not be NFC, mojibake, and line separators (str.strip() removes them, normalisation does not);
# they are rare, and each such row is looked at in Python (_tidy): the first two kinds are fixed
# there, line breaks go the per-record way. Soft: odd spaces, invisible characters and untidy
# whitespace, common in scraped news, are tidied on columns with the same replacements.
_SPACES = [(c, c) for c, to in _CLEAN.items() if to == " "]
_INVISIBLE = [(c, c) for c, to in _CLEAN.items() if to is None]
_HARD = f"\\r|[{_char_class([*NFC_UNSAFE, (0x2028, 0x2029)])}]|" + "|".join(_MOJIBAKE_LEADS)
_SOFT = f"[{_char_class(_SPACES + _INVISIBLE)}]| {{2}}| \\n|\\n |\\n\\n|^[ \\n]|[ \\n]$"
# Loose versions of normalize's byline / weekday / dateline patterns (a superset of what they
# match), to pick the few rows whose first lines are worth testing with the real ones.
_MAYBE_METADATA = (r"\A(?:[^\n]*\n){0,2}(?:(?:By|BY|by)\s|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, "
                   r"|[A-Z][A-Z.'\-]+[^\n]*?(?:-|–|—)\s)")  # at the start of one of the first three lines
# A JSON number, boolean, array or object that polars turned into a string to fit a string column.
_COERCED = r"^(?:(?:true|false|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+\-]?[0-9]+)?)$|[\[{])"
_EDGE_SPACE = r"^[\s\x1c-\x1f\x85]|[\s\x1c-\x1f\x85]$"
_SIMPLE_URL = r"^https?://[a-z0-9][a-z0-9.\-]*(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*/*$"


@dataclass
class Chunk:
    """A slice of one input file: rows normalised on columns, plus items for the per-record path.
    `seq` orders both as in the file."""

    frame: pl.DataFrame
    slow: list[tuple[int, RawRecord | Reject]] = field(default_factory=list)
    # raw keys of slow rows whose text and title are as the per-record path reads them (see
    # SeenBodies.raw_repeats): what they become is remembered too
    slow_keys: pl.DataFrame | None = None


@dataclass
class Batch:
    """What one transaction loads: every article normalised (either path) and fingerprinted, in
    file order, and the rejects. Built without the database, so worker threads can build it."""

    frame: pl.DataFrame
    fingerprints: Fingerprints
    rejects: list[Reject]
    reject_seqs: list[int]  # file order of each reject, as `seq` is for the frame's rows

    @property
    def records(self) -> int:
        return self.frame.height + len(self.rejects)


def to_batch(chunk: Chunk, seen: SeenBodies | None = None) -> Batch:
    """Normalise what the chunk left to the per-record path and fingerprint every article."""
    normalised: list[tuple[int, Article]] = []
    rejects: list[tuple[int, Reject]] = []
    for seq, item in chunk.slow:
        if isinstance(item, Reject):
            rejects.append((seq, item))
            continue
        try:
            normalised.append((seq, normalize(item)))
        except InputError as exc:
            rejects.append((seq, Reject(item.path, item.locator, exc.reason, exc.detail, exc.snippet)))
    if seen is not None and chunk.slow_keys is not None and normalised:
        shas = pl.DataFrame({SEQ: [seq for seq, _ in normalised], "content_sha256": [
            a.content_sha256 for _, a in normalised]}, schema_overrides={SEQ: pl.Int64})
        seen.add_raw(chunk.slow_keys.join(shas, on=SEQ))
    frame = pl.concat([chunk.frame, articles_frame(normalised)]).sort(SEQ) if normalised else chunk.frame
    present = frame["body"].is_not_null().to_numpy()  # known duplicates carry no body (see SeenBodies)
    fps = fingerprints(frame["body"].filter(present), frame["word_count"].filter(present).to_numpy())
    return Batch(frame, fps if present.all() else fps.scatter(present),
                 [r for _, r in rejects], [seq for seq, _ in rejects])


def _rows(batch: Batch, rows: int) -> Iterator[Batch]:
    """The batch cut into transactions of at most `rows` input lines."""
    if batch.frame.height == 0 and not batch.rejects:
        return
    seqs = batch.frame[SEQ].to_numpy()
    first = min([*seqs.tolist()[:1], *batch.reject_seqs])
    last = max([*seqs.tolist()[-1:], *batch.reject_seqs])
    for lo in range(first, last + 1, rows):
        mask = (seqs >= lo) & (seqs < lo + rows)
        kept = [(r, seq) for r, seq in zip(batch.rejects, batch.reject_seqs, strict=True) if lo <= seq < lo + rows]
        part = Batch(batch.frame.filter(pl.Series(mask)), batch.fingerprints.subset(mask),
                     [r for r, _ in kept], [seq for _, seq in kept])
        if part.records:
            yield part


def read_batches(path: Path, gzipped: bool, fmt: str, rows: int | None = None,
                 pool: Executor | None = None, workers: int = 1) -> Iterator[Batch]:
    """The file as batches of `rows` lines (one transaction each), in file order. With a pool
    (of `workers` threads; see start_pool) the pieces are read, parsed, normalised and
    fingerprinted there while the caller loads earlier batches: the database stays with the
    caller, the CPU work spreads."""
    rows = rows or settings.columnar_batch_size
    _parse_date.cache_clear()  # "not in the future" moves with the clock; workers live one run only
    scope = uuid.uuid4().hex  # this file in this run: what a thread saw of it may be skipped (see SeenBodies)
    read = _Progress()
    jobs = _gzip_jobs(path, fmt, scope, read) if gzipped else _range_jobs(path, fmt, scope, ramp=pool is not None)
    lines_before = 0
    try:
        for batch, lines in _results(jobs, pool, workers):
            yield from _rows(_shifted(batch, lines_before), rows)
            lines_before += lines
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        reject = Reject(path, f"line:{read.line}", RejectReason.CORRUPT_ARCHIVE,
                        f"gzip stream broken before line {read.line}: {exc}")
        yield to_batch(Chunk(empty_frame(), [(read.line, reject)]))
    finally:
        # in this thread (no pool) the memory would outlive the file; a pool thread's lasts until its
        # next file or the end of the run
        SeenBodies.release(scope)


def _results(jobs: Iterator[partial[Built]], pool: Executor | None, workers: int
             ) -> Iterator[tuple[Batch, int]]:
    """The jobs' results in order: run here, or in the pool with `workers` of them ahead. Each
    job also takes what the last `workers` results learned (SeenBodies.raw_repeats): what the
    other workers did is new to the one that runs it, and all of it is earlier in the file."""
    if pool is None:
        yield from ((batch, lines) for batch, lines, _ in (job() for job in jobs))
        return
    pending: deque[Future[Built]] = deque()
    learned: deque[pl.DataFrame] = deque(maxlen=workers)
    try:
        for job in jobs:
            pending.append(pool.submit(job, known=pl.concat(learned) if learned else None))
            while len(pending) > workers:
                batch, lines, fresh = pending.popleft().result()
                learned.append(fresh)
                yield batch, lines
        while pending:
            batch, lines, _ = pending.popleft().result()
            yield batch, lines
    finally:
        for future in pending:
            future.cancel()


def start_pool(workers: int) -> ThreadPoolExecutor:
    """Worker threads for read_batches. Threads, not processes: polars and DuckDB release the GIL
    while they work, and a thread needs no interpreter of its own (≈ 0.33 s importing polars) and
    hands its result over without pickling it; measured in the README."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newswh-read")


@dataclass
class _Progress:
    line: int = 1  # the first line not read yet


def _range_jobs(path: Path, fmt: str, scope: str, *, ramp: bool) -> Iterator[partial[Built]]:
    """A plain file: each job reads its own byte range, so the file is read once, in parallel,
    and no piece is copied between threads. With `ramp` the first pieces are small, so the
    loader starts sooner while later, larger ones are under way (in one thread nothing overlaps,
    and a piece more is only overhead)."""
    size, start, step = path.stat().st_size, 0, CHUNK_BYTES // 8 if ramp else CHUNK_BYTES
    while start < size:
        yield partial(build_range, path, start, min(size, start + step), fmt, scope)
        start, step = start + step, min(CHUNK_BYTES, 2 * step)


def _gzip_jobs(path: Path, fmt: str, scope: str, read: _Progress) -> Iterator[partial[Built]]:
    """A gzip stream decompresses in order only: it is read here and the pieces are shipped."""
    with gzip.open(path, "rb") as fh:
        for piece, _ in _pieces(fh, read):  # type: ignore[arg-type]
            yield partial(build_piece, piece, path, fmt, scope)


# A piece's batch, its line count, and what it taught SeenBodies (raw keys -> sha256)
Built = tuple[Batch, int, pl.DataFrame]


def build_range(path: Path, start: int, end: int, fmt: str, scope: str | None = None,
                known: pl.DataFrame | None = None) -> Built:
    """The lines that start at byte offsets in [start, end), numbered from 1. `known`: raw keys
    that other threads learned from earlier pieces of the file."""
    return build_piece(read_range(path, start, end), path, fmt, scope, known)


def read_range(path: Path, start: int, end: int) -> bytes:
    """The whole lines that start at byte offsets in [start, end): consecutive ranges give every
    line of the file once, however the offsets fall."""
    with path.open("rb") as fh:
        at, stop = _line_start(fh, start), _line_start(fh, end)  # the range's last line may run past its end
        fh.seek(at)
        return fh.read(stop - at) if at < stop else b""


def _line_start(fh: BinaryIO, offset: int) -> int:
    """The offset of the first line that starts at or after `offset`."""
    if offset == 0:
        return 0
    fh.seek(offset - 1)
    if fh.read(1) != b"\n":
        fh.readline()  # the line under way
    return fh.tell()


def build_piece(piece: bytes, path: Path, fmt: str, scope: str | None = None,
                known: pl.DataFrame | None = None) -> Built:
    lines, seen = _line_count(piece), SeenBodies.of(scope)
    if known is not None:
        seen.add_raw(known, fresh=False)
    batch = to_batch(chunk_from_bytes(piece, 1, path, fmt, seen, lines), seen)
    return batch, lines, seen.take_fresh()


def _line_count(piece: bytes) -> int:
    return piece.count(b"\n") + (not piece.endswith(b"\n") and piece != b"")


def _shifted(batch: Batch, lines: int) -> Batch:
    """A batch numbered from line 1 of its piece, renumbered as lines of the file."""
    if lines == 0:
        return batch
    frame = batch.frame.with_columns(pl.col(SEQ) + lines).with_columns(_LOCATOR)
    seqs = [seq + lines for seq in batch.reject_seqs]
    return Batch(frame, batch.fingerprints, [replace(r, locator=f"line:{seq}") for r, seq in
                                             zip(batch.rejects, seqs, strict=True)], seqs)


def _pieces(fh: BinaryIO, read: _Progress | None = None) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines, with the 1-based number of each block's first line; `read` follows
    the first line not read yet."""
    rest, line = b"", 1
    while True:
        block = fh.read(CHUNK_BYTES)
        if not block:
            break
        data = rest + block
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        yield data[:cut], line
        line += data.count(b"\n", 0, cut)
        if read is not None:
            read.line = line
        rest = data[cut:]
    if rest:
        yield rest, line


def _numbered_lines(part: bytes, first_line: int, wanted: list[int] | None = None) -> list[tuple[int, bytes]]:
    """(line number, line with its newline, as iterating over the file gives it: snippets show it)
    for every line of the part, or only the `wanted` line numbers (ascending)."""
    if wanted is not None:  # a few lines of many: walk to them instead of splitting every line
        out: list[tuple[int, bytes]] = []
        at, line = 0, first_line
        for seq in wanted:
            while line < seq:
                at, line = part.index(b"\n", at) + 1, line + 1
            end = part.find(b"\n", at)
            out.append((seq, part[at:] if end < 0 else part[at:end + 1]))
        return out
    split = part.split(b"\n")
    last = len(split) - 1  # the part's last line has no newline (empty when the part ends with one)
    seqs = range(first_line, first_line + last + (split[-1] != b""))
    return [(seq, split[seq - first_line] + (b"\n" if seq - first_line < last else b"")) for seq in seqs]


def _per_record(numbered: list[tuple[int, bytes]], path: Path, fmt: str) -> list[tuple[int, RawRecord | Reject]]:
    """The per-record path for the given (line number, line) pairs, each item located by its line."""
    out: list[tuple[int, RawRecord | Reject]] = []
    for item in read_jsonl((line for _, line in numbered), path=path, fmt=fmt):
        # read_jsonl numbers what it was given from 1 (and skips blank lines)
        seq = numbered[int(item.locator.split(":")[1]) - 1][0]
        out.append((seq, replace(item, locator=f"line:{seq}")))
    return out


def chunk_from_bytes(piece: bytes, first_line: int, path: Path, fmt: str, seen: SeenBodies | None = None,
                     lines: int | None = None) -> Chunk:
    """The piece's rows: normalised on columns where they can be, else left to the per-record path.
    With `seen` (the pieces this thread did earlier, in file order), a row whose body is one
    already done is only hashed: the loader counts it as the duplicate it is."""
    seen = seen or SeenBodies(None)
    frames: list[pl.DataFrame] = []
    slow: list[tuple[int, RawRecord | Reject]] = []
    slow_keys: list[pl.DataFrame] = []
    for part, line, parsed in _parse(piece, first_line, lines):
        if parsed is None:
            slow.extend(_per_record(_numbered_lines(part, line), path, fmt))
            continue
        fast, slow_rows, keyed = _normalise(parsed.with_row_index(SEQ, offset=line), path, fmt, seen)
        frames.append(fast)
        slow_keys.append(keyed)
        if slow_rows:
            slow.extend(_per_record(_numbered_lines(part, line, slow_rows), path, fmt))
    return Chunk(pl.concat(frames) if frames else empty_frame(), sorted(slow, key=lambda pair: pair[0]),
                 pl.concat(slow_keys) if slow_keys else None)


_SMALLEST_PART = 32  # lines; below this a part that polars cannot read goes line by line


def _parse(piece: bytes, first_line: int, lines: int | None = None
           ) -> Iterator[tuple[bytes, int, pl.DataFrame | None]]:
    """(part, its first line, its rows or None). A part polars cannot read (a bad line) or that has
    blank lines (polars skips them, shifting line numbers) is halved until the trouble is
    confined to small parts, so one bad line costs a few re-reads, not the whole chunk's speed.
    `lines`: the piece's line count, when the caller has counted them already."""
    lines = _line_count(piece) if lines is None else lines
    frame = None
    # NUL bytes mean work for decode(). polars rejects them too, and byte-order marks at a line's
    # start and invalid UTF-8 (tests/ingest/test_columnar.py holds it to that); only NUL is
    # looked for here, as one memchr is cheap and the other scans are not.
    if b"\x00" not in piece:
        try:
            frame = pl.read_ndjson(io.BytesIO(piece), infer_schema_length=None)
        except (pl.exceptions.PolarsError, ValueError, OverflowError):
            frame = None
    if frame is not None and frame.height == lines and lines > 0:
        yield piece, first_line, frame
    elif lines <= _SMALLEST_PART:
        yield piece, first_line, None
    else:
        middle = piece.find(b"\n", len(piece) // 2) + 1 or len(piece)
        if middle >= len(piece):  # the second half is one long last line
            middle = piece.rfind(b"\n", 0, len(piece) // 2) + 1
        head, tail = piece[:middle], piece[middle:]
        yield from _parse(head, first_line)
        yield from _parse(tail, first_line + head.count(b"\n"))


def _candidates(frame: pl.DataFrame, keys: tuple[str, ...], lowered: dict[str, str],
                allowed: tuple[pl.DataType, ...] = (pl.String(),)) -> tuple[list[str], pl.Expr]:
    """(columns to pick from, in key order; rows that need the per-record path). A value in a
    column of another type (a number among strings, an object) is decided the slow way, and as a
    later key may only be used when this one is null, the row is slow whatever it holds."""
    names: list[str] = []
    slow: list[pl.Expr] = [pl.lit(False)]
    for key in keys:
        name = lowered.get(key)
        if name is None or frame.schema[name] == pl.Null:
            continue
        if frame.schema[name] in allowed:
            names.append(name)
        else:
            slow.append(pl.col(name).is_not_null())
    return names, pl.any_horizontal(slow)


def _pick(names: list[str]) -> pl.Expr:
    """The first non-empty of the columns, as readers.fields._pick does."""
    if not names:
        return pl.lit(None, dtype=pl.String)
    return pl.coalesce([pl.when(pl.col(n) != "").then(pl.col(n)) for n in names])


def _normalise(frame: pl.DataFrame, path: Path, fmt: str, seen: SeenBodies
               ) -> tuple[pl.DataFrame, list[int], pl.DataFrame]:
    """(rows normalised here, line numbers left to the per-record path, raw keys of those of them
    whose text and title it reads as these columns did)"""
    lowered: dict[str, str] = {}
    for name in frame.columns:
        if name == SEQ:
            continue
        key = name.strip().lower()
        if key in lowered:  # "Text" and "text": which wins depends on key order in each line
            return empty_frame(), frame[SEQ].to_list(), _NO_KEYS
        lowered[key] = name
    picked: dict[str, pl.Expr] = {}
    slow_parts: list[pl.Expr] = []
    for column, keys in (("text", fields.TEXT_KEYS), ("title", fields.TITLE_KEYS), ("url", fields.URL_KEYS),
                         ("source", fields.SOURCE_KEYS), ("language", fields.LANG_KEYS),
                         ("external_id", fields.ID_KEYS), ("published_raw", fields.DATE_KEYS)):
        names, slow = _candidates(frame, keys, lowered)
        picked[column] = _pick(names)
        slow_parts.append(slow)
    author_names, authors_slow = _candidates(frame, fields.AUTHOR_KEYS, lowered, (pl.String(), pl.List(pl.String())))
    slow_parts.append(authors_slow)
    authors = (pl.struct(*author_names) if author_names else pl.lit(None, dtype=pl.Struct({}))).alias("authors_raw")
    text = pl.col("text")
    all_rows = frame[SEQ].to_list()
    cols = frame.select(
        SEQ, *(v.alias(k) for k, v in picked.items()), authors,
        pl.any_horizontal(slow_parts).alias("slow"),
    )
    meta = ("url", "source", "language", "external_id")
    cols = cols.with_columns(
        pl.col("slow")
        | text.is_null()
        # a text that was a number or boolean has no space; an article always has one
        | ~text.str.contains(r"[ \n]")
        | pl.any_horizontal([pl.col(c).str.contains(_COERCED).fill_null(False) for c in ("title", *meta)])
        | pl.any_horizontal([pl.col(c).str.contains(_EDGE_SPACE).fill_null(False) for c in meta])
        | pl.col("published_raw").str.contains(_COERCED).fill_null(False)
        | text.str.contains(_COERCED)
        | pl.any_horizontal([pl.lit(False), *(_coerced_author(n, frame.schema[n]) for n in author_names)])
    )
    # A text (with its title: a body drops a first line equal to it) that this thread has seen
    # become a body earlier in the file becomes that body again: the row is known to be a copy
    # before any of the work below, which is most of a worker's.
    cols, raw_copies = seen.raw_repeats(cols.filter(~pl.col("slow")).with_columns(*_RAW_KEY))
    raw_keys = cols.select(SEQ, *_RAW_KEY_NAMES)
    cols = _tidy(cols).sort(SEQ)  # file order: SeenBodies.repeats needs it
    cols = cols.with_columns(
        (
            pl.col("slow")
            | (text == "")
            | (text.str.len_chars() > settings.max_document_chars)
            | (pl.col("title").is_not_null() & text.str.starts_with(pl.col("title")).fill_null(False))
        ).alias("slow"),
        text.str.contains(_MAYBE_METADATA).fill_null(False).alias("maybe_metadata"),
    )
    # Bylines and datelines: the per-record code itself, on the first lines of the few rows the
    # loose patterns picked; the rest of each row stays on columns.
    fronts, emptied = _front_matters(cols.filter(~pl.col("slow") & pl.col("maybe_metadata")))
    cols = cols.join(fronts, on=SEQ, how="left").with_columns(
        pl.col("front").fill_null(False),
        pl.col("slow") | pl.col(SEQ).is_in(emptied),
        pl.coalesce("front_text", "text").alias("text"),
        pl.when(pl.col("front")).then(pl.col("front_source")).otherwise(pl.col("source")).alias("source"),
    )
    fast = cols.filter(~pl.col("slow")).drop("slow", "maybe_metadata", "front_text", "front_source")
    # the UTF-8 bytes as polars holds them: no decoding to Python strings and encoding back (≈ 25 % less)
    shas = [hashlib.sha256(b).hexdigest() for b in fast["text"].cast(pl.Binary).to_list()]
    repeats = pl.Series(seen.repeats(shas, fast["front"].to_list()), dtype=pl.Boolean)
    fast = fast.with_columns(pl.Series("content_sha256", shas, dtype=pl.String))
    copies, fast = fast.filter(repeats), fast.filter(~repeats)
    lines = (
        fast.select(SEQ, pl.col("text").str.split("\n").alias("line"))
        .explode("line")
        .with_columns(pl.int_range(pl.len()).over(SEQ).cast(pl.Int32).alias("paragraph_index"),
                      pl.col("line").str.len_chars().cast(pl.Int32).alias("length"))
    )
    candidates = lines.filter(~pl.col("line").str.slice(-1).is_in(list(_TERMINAL)))
    headings = [i for i, line in enumerate(candidates["line"].to_list()) if is_heading(line)]
    heading_keys = candidates[headings].select(SEQ, "paragraph_index").with_columns(pl.lit(True).alias("is_heading"))
    # what front_matter() said of the first paragraphs wins (a dateline's remainder is never a heading)
    front_headings = (fast.filter(pl.col("front")).select(SEQ, pl.col("front_headings").alias("said"))
                      .explode("said").drop_nulls("said")
                      .with_columns(pl.int_range(pl.len()).over(SEQ).cast(pl.Int32).alias("paragraph_index")))
    lines = (
        lines.join(heading_keys, on=[SEQ, "paragraph_index"], how="left")
        .join(front_headings, on=[SEQ, "paragraph_index"], how="left")
        .with_columns(pl.coalesce("said", pl.col("is_heading").fill_null(False)).alias("is_heading"))
        .drop("said")
        .with_columns(((pl.col("length") + 1).cum_sum().over(SEQ) - pl.col("length") - 1).cast(pl.Int32)
                      .alias("char_start"))
    )
    paragraphs = lines.group_by(SEQ).agg(
        pl.struct("paragraph_index", "char_start", (pl.col("char_start") + pl.col("length")).alias("char_end"),
                  "is_heading").sort_by("paragraph_index").alias("paragraphs"),
        (~pl.col("is_heading")).any().alias("has_body"),
    )
    fast = fast.join(paragraphs, on=SEQ, how="left")
    # only headings: EMPTY_BODY, which the per-record path says with its reason
    fast = fast.filter(pl.col("has_body"))
    # a copy of a body that turned out to have none is decided the per-record way, like its original
    seen.add(fast["content_sha256"].to_list(), fast["front"].to_list())
    copies = copies.filter(pl.Series(seen.known(copies["content_sha256"].to_list()), dtype=pl.Boolean))
    seen.add_raw(pl.concat([fast.select(*_RAW_KEY_NAMES, "content_sha256"),
                            copies.select(*_RAW_KEY_NAMES, "content_sha256")]))
    copies = pl.concat([copies.select(SEQ, "content_sha256"), raw_copies])
    slow_rows = sorted(set(all_rows) - set(fast[SEQ].to_list()) - set(copies[SEQ].to_list()))
    keyed_slow = raw_keys.filter(pl.col(SEQ).is_in(slow_rows))
    finished = _finish(fast, author_names, path, fmt)
    if copies.height:
        finished = pl.concat([finished, _copies(copies, path, fmt)]).sort(SEQ)
    return finished, slow_rows, keyed_slow


class SeenBodies:
    """Bodies (content sha256) this thread normalised earlier in one file in one run.

    Pieces reach a thread in file order and are loaded in file order, so a later row with one of
    these bodies is certain to be an exact duplicate when it is loaded: only its hash is needed.
    Syndicated copies make such rows common, and skipping their paragraphs, fingerprints and
    shipping saves a large part of the work. Only rows whose text front_matter() left alone are
    remembered or skipped: those bodies are their text, so equal bodies have equal paragraphs and
    the same verdict on being empty.

    Before all that, a row whose raw text and title (a body drops a first line equal to the
    title; nothing else of the record changes it) an earlier piece already turned into a body is
    known to become that body again, front matter and all, whichever path made it: raw_repeats
    finds it with a join on two 64-bit hashes (128 bits: a false match is ≈ n² / 2^129 likely)."""

    _local = threading.local()  # each worker thread's own: its pieces are in file order, the pool's are not
    LIMIT = 2_000_000  # bodies remembered per thread (≈ 250 MB); past it rows are simply not skipped

    def __init__(self, scope: str | None) -> None:
        self.scope = scope
        self.shas: set[str] = set()
        # raw text and title (their hashes: two seeds, 128 bits) -> the body's sha256
        self.raw = pl.DataFrame(schema={**dict.fromkeys(_RAW_KEY_NAMES, pl.UInt64), "content_sha256": pl.String})
        self.fresh: list[pl.DataFrame] = []  # what this thread learned since take_fresh()

    @classmethod
    def of(cls, scope: str | None) -> SeenBodies:
        """The memory for this scope in this thread (a new one when the scope changes)."""
        if scope is None:
            return cls(None)
        current: SeenBodies | None = getattr(cls._local, "current", None)
        if current is None or current.scope != scope:
            current = cls._local.current = cls(scope)
        return current

    @classmethod
    def release(cls, scope: str) -> None:
        current: SeenBodies | None = getattr(cls._local, "current", None)
        if current is not None and current.scope == scope:
            cls._local.current = None

    def repeats(self, shas: list[str], fronts: list[bool]) -> list[bool]:
        """For rows in file order: does the body repeat one seen before (earlier pieces, or
        earlier in these rows)? Rows whose text front_matter() changed never count."""
        earlier: set[str] = set()
        out: list[bool] = []
        for sha, front in zip(shas, fronts, strict=True):
            out.append(not front and (sha in self.shas or sha in earlier))
            if not front:
                earlier.add(sha)
        return out

    def add(self, shas: list[str], fronts: list[bool]) -> None:
        """Remember the bodies of these loaded rows."""
        if len(self.shas) < self.LIMIT:
            self.shas.update(sha for sha, front in zip(shas, fronts, strict=True) if not front)

    def known(self, shas: list[str]) -> list[bool]:
        return [sha in self.shas for sha in shas]

    def raw_repeats(self, cols: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(rows still to normalise, rows whose raw text and title an earlier row of this thread
        had, with the body's sha256). Only earlier pieces count: what this piece holds twice,
        SeenBodies.repeats finds after normalising."""
        known = cols.join(self.raw, on=list(_RAW_KEY_NAMES), how="left")
        repeat = pl.col("content_sha256").is_not_null()
        return known.filter(~repeat).drop("content_sha256"), known.filter(repeat).select(SEQ, "content_sha256")

    def add_raw(self, keyed: pl.DataFrame, *, fresh: bool = True) -> None:
        """Remember what these rows' raw texts became (raw keys, the body's sha256); `fresh`:
        learned here, not told by another thread."""
        if self.raw.height < self.LIMIT and keyed.height:
            keyed = keyed.select(self.raw.columns).unique(list(_RAW_KEY_NAMES), keep="first", maintain_order=True)
            keyed = keyed.join(self.raw, on=list(_RAW_KEY_NAMES), how="anti")
            self.raw = pl.concat([self.raw, keyed])
            if fresh:
                self.fresh.append(keyed)

    def take_fresh(self) -> pl.DataFrame:
        fresh, self.fresh = self.fresh, []
        return pl.concat(fresh) if fresh else self.raw.clear()


# What a row's body is made of, as it came (before tidying): its text and its title.
_RAW_KEY_NAMES = ("raw_key_a", "raw_key_b")
_RAW_KEY = tuple(pl.struct("text", "title").hash(seed).alias(name)
                 for seed, name in zip((0x5EED_0001, 0x5EED_0002), _RAW_KEY_NAMES, strict=True))
_NO_KEYS = pl.DataFrame(schema={SEQ: pl.Int64, **dict.fromkeys(_RAW_KEY_NAMES, pl.UInt64)})


_FRONT: dict[str, pl.DataType] = {
    SEQ: pl.Int64(), "front": pl.Boolean(), "front_text": pl.String(), "front_headings": pl.List(pl.Boolean()),
    "front_source": pl.String(), "byline": pl.String(), "byline_authors": pl.List(pl.String()),
    "dateline": pl.String(), "dateline_place": pl.String(), "published_hint": pl.String(),
}


def _front_matters(suspects: pl.DataFrame) -> tuple[pl.DataFrame, list[int]]:
    """(front_matter() of each row that has one, rows left with no text). The rows' authors are
    not passed: the byline's people only count where the record names none, decided in _finish."""
    rows: list[dict[str, Any]] = []
    emptied: list[int] = []
    for seq, text, source in suspects.select(SEQ, "text", "source").iter_rows():
        lines = text.split("\n")
        head = [(line, is_heading(line)) for line in lines[:3]]
        front = front_matter(head, (), source)
        if front.blocks == head:  # it only takes lines out or shortens one: nothing found
            continue
        kept = [line for line, _ in front.blocks] + lines[3:]
        if not kept:
            emptied.append(seq)
            continue
        rows.append({SEQ: seq, "front": True, "front_text": "\n".join(kept),
                     "front_headings": [heading for _, heading in front.blocks], "front_source": front.source,
                     "byline": front.byline, "byline_authors": list(front.authors), "dateline": front.dateline,
                     "dateline_place": front.dateline_place, "published_hint": front.published_hint})
    fronts = pl.DataFrame(rows, schema=_FRONT)
    return fronts, emptied


def _coerced_author(name: str, dtype: pl.DataType) -> pl.Expr:
    field = pl.col("authors_raw").struct.field(name)
    if dtype == pl.String:
        return field.str.contains(_COERCED).fill_null(False)
    return field.list.eval(pl.element().str.contains(_COERCED)).list.any().fill_null(False)


def tidy_expr(expr: pl.Expr) -> pl.Expr:
    """normalize_text() on a column without hard cases (see _tidy)."""
    return (expr.str.replace_all(f"[{_char_class(_SPACES)}]", " ")
            .str.replace_all(f"[{_char_class(_INVISIBLE)}]", "")
            .str.replace_all(" {2,}", " ")
            .str.replace_all(r" *\n[ \n]*", "\n")
            .str.strip_chars(" \n"))


def _tidy(cols: pl.DataFrame) -> pl.DataFrame:
    """normalize_text() for rows without hard cases, on the rows that need it: odd spaces to a
    space, invisible characters out, runs of spaces to one, lines trimmed, blank lines dropped.
    Of the rows with a hard case, text that is not NFC or carries mojibake is fixed here, row by
    row, and rows with a carriage return or a line separator are marked slow. One scan of every
    text finds the few rows with either kind; only those are looked at again."""
    text, title = pl.col("text"), pl.col("title")
    odd = text.str.contains(f"{_HARD}|{_SOFT}") | title.str.contains(f"{_HARD}|{_SOFT}|\\n").fill_null(False)
    cols = cols.with_columns(odd.alias("odd"), pl.lit(False).alias("repaired"))
    untidy = (text.str.contains(_SOFT) | title.str.contains(_SOFT + "|\\n").fill_null(False)).alias("untidy")
    suspects = cols.filter("odd").with_columns(
        (text.str.contains(_HARD) | title.str.contains(_HARD).fill_null(False)).alias("hard"), untidy)
    hard: list[int] = []
    recomposed: list[tuple[int, str | None, str | None, bool]] = []
    for seq, t, ti in suspects.filter("hard").select(SEQ, "text", "title").iter_rows():
        # Carriage returns and line separators go the per-record way (that path defines the
        # result). The rest is done here as normalize() does it: NFC, and mojibake repaired (the
        # title with the text, and only when the text changed); what changed is looked at again.
        if _breaks_lines(t) or _breaks_lines(ti):
            hard.append(seq)
            continue
        t_new, ti_new, repaired = nfc(t), _nfc(ti), False  # a row without text is slow already
        if has_mojibake_lead(t_new):  # NFC may make a lead: "A" + U+0303 is "Ã"
            fixed, ti_fixed, repaired = repair_record_mojibake(t_new, ti)  # t_new: its NFC is done
            if repaired:
                t_new, ti_new = nfc(fixed), _nfc(ti_fixed)
        if (t_new, ti_new) == (t, ti):
            continue
        if _breaks_lines(t_new) or _breaks_lines(ti_new):
            hard.append(seq)
        else:
            recomposed.append((seq, t_new, ti_new, repaired))
    suspects = suspects.with_columns(pl.col("slow") | pl.col(SEQ).is_in(hard))
    if recomposed:
        schema = {SEQ: pl.Int64, "text": pl.String, "title": pl.String, "repaired": pl.Boolean}
        # a repair can leave what tidying removes ("Â" + a no-break space is a no-break space)
        changed = pl.DataFrame(recomposed, schema=schema, orient="row").with_columns(untidy)
        suspects = suspects.update(changed, on=SEQ)
    fixed_rows = suspects.filter(~pl.col("slow") & pl.col("untidy")).with_columns(
        tidy_expr(text), tidy_expr(title).str.replace_all("\n", " "))
    return pl.concat([cols.filter(~pl.col("odd")), suspects.filter(pl.col("slow") | ~pl.col("untidy")).drop(
        "hard", "untidy"), fixed_rows.drop("hard", "untidy")]).drop("odd")


def _nfc(value: str | None) -> str | None:
    return None if value is None else nfc(value)


def _breaks_lines(value: str | None) -> bool:
    """Of what _HARD suspects, what columns cannot do: carriage returns and line separators
    (str.strip() and splitting on them differ from normalize_text())."""
    return value is not None and ("\r" in value or "\u2028" in value or "\u2029" in value)


def _language(frame: pl.DataFrame) -> pl.Series:
    """detect_language() without a declared language, on the text column."""
    prefix = pl.col("text").str.slice(0, LANGUAGE_PREFIX)
    heads = frame.select(
        (prefix.str.count_matches(" ") + prefix.str.count_matches("\n") + 1)
        .alias("words"),
        pl.concat_str([pl.lit("  "), prefix.str.to_lowercase().str.replace_all(" ", "  ", literal=True)
                       .str.replace_all("\n", "  ", literal=True), pl.lit("  ")]).alias("head"))
    # one pass for all markers (an alternation of literals), not one per marker
    hits = pl.col("head").str.count_matches(" (?:" + "|".join(m.strip() for m in EN_MARKERS) + ") ")
    return heads.select(pl.when((pl.col("words") >= 5) & (hits / pl.col("words") >= EN_MIN_SHARE))
                        .then(pl.lit("en")).otherwise(pl.lit("und")).alias("language")).to_series()


def _authors(row: dict[str, Any] | None) -> tuple[str, ...]:
    for value in (row or {}).values():
        if value not in (None, ""):
            return fields._authors(value)
    return ()


# A worker sees the same dates piece after piece (a feed's days, a story's timestamps). Cleared by
# read_batches: parse_published() rejects dates more than two days ahead of the clock.
_parse_date = lru_cache(maxsize=1 << 16)(parse_published)


def _by_value(column: pl.Series, parse: Any, names: tuple[str, ...]) -> pl.DataFrame:
    """Apply a Python function once per distinct value (dates and languages repeat a lot)."""
    values = column.drop_nulls().unique().to_list()
    parsed = [parse(v) for v in values]
    return pl.DataFrame({column.name: values, **{n: [p[i] for p in parsed] for i, n in enumerate(names)}},
                        schema_overrides={column.name: column.dtype})


def _finish(fast: pl.DataFrame, author_names: list[str], path: Path, fmt: str) -> pl.DataFrame:
    if fast.height == 0:
        return empty_frame()
    # a date line stands in for a record without a date (normalize() does the same)
    fast = fast.with_columns(pl.coalesce("published_raw", "published_hint").alias("published_effective"))
    dates = _by_value(fast["published_effective"], _parse_date, ("published_at", "date_warning")).cast(
        {"published_at": pl.Datetime("us", "UTC"), "date_warning": pl.String})
    declared = _by_value(fast["language"], lambda v: (declared_language(v),), ("declared",))
    authors = (pl.Series("authors", [list(_authors(row)) for row in fast["authors_raw"].to_list()],
                         dtype=pl.List(pl.String)) if author_names else pl.lit([], dtype=pl.List(pl.String)))
    url = pl.col("url")
    simple = url.str.contains(_SIMPLE_URL).fill_null(False)
    host_path = url.str.replace(r"^https?://", "").str.strip_prefix("www.").str.strip_chars_end("/")
    # a simple URL without a path canonicalises to "https://host/"
    easy = pl.concat_str([pl.lit("https://"), host_path,
                          pl.when(host_path.str.contains("/", literal=True)).then(pl.lit("")).otherwise(pl.lit("/"))])
    hard_urls = fast.filter(url.is_not_null() & ~simple)["url"]
    hard = pl.DataFrame({"url": hard_urls, "hard_canonical": [canonical_url(u) for u in hard_urls.to_list()]},
                        schema={"url": pl.String, "hard_canonical": pl.String}).unique("url")
    raw_path = resolved(path)
    out = (
        fast.with_columns(_language(fast).alias("detected"))
        .join(dates, on="published_effective", how="left")
        .join(declared, on="language", how="left")
        .join(hard, on="url", how="left")
        .select(
            SEQ, "content_sha256", "source", "url",
            pl.when(simple).then(easy).otherwise(pl.col("hard_canonical")).alias("canonical_url"),
            "external_id", "title",
            # the byline's people only where the record names nobody
            pl.when((authors.list.len() == 0) & pl.col("byline_authors").is_not_null())
            .then(pl.col("byline_authors")).otherwise(authors).alias("authors"),
            "byline", "dateline", "dateline_place",
            "published_at", pl.col("published_raw").alias("published_at_raw"),
            pl.coalesce("declared", "detected").alias("language"),
            pl.col("text").alias("body"),
            "paragraphs",
            pl.col("text").str.len_chars().cast(pl.Int32).alias("char_count"),
            # normalised bodies separate words by exactly one space or newline
            # a one-character regex counts ≈ 2.5× faster than literal=True (polars 1.x/2.1)
            (pl.col("text").str.count_matches(" ") + pl.col("paragraphs").list.len())
            .cast(pl.Int32).alias("word_count"),
            pl.lit(fmt).alias("format"),
            pl.lit(raw_path).alias("raw_path"),
            _LOCATOR,
            # in normalize()'s order: the repair, then the date
            pl.concat_list(pl.when(pl.col("repaired")).then(pl.lit(MOJIBAKE_REPAIRED)), "date_warning")
            .list.drop_nulls().alias("warnings"),
        )
        .sort(SEQ)
    )
    return out.cast(ARTICLE_COLUMNS)  # type: ignore[arg-type]


def _copies(copies: pl.DataFrame, path: Path, fmt: str) -> pl.DataFrame:
    """Rows known to be exact duplicates: what the loader records of one, the rest null (the
    loader refuses to load a row without a body)."""
    return copies.select(
        SEQ, "content_sha256", pl.lit(fmt).alias("format"), pl.lit(resolved(path)).alias("raw_path"), _LOCATOR,
    ).with_columns(pl.lit(None).alias(c) for c in ARTICLE_COLUMNS if c not in (
        SEQ, "content_sha256", "format", "raw_path", "record_locator")).select(list(ARTICLE_COLUMNS)).cast(
        ARTICLE_COLUMNS)  # type: ignore[arg-type]


PARAGRAPH = pl.Struct({"paragraph_index": pl.Int32, "char_start": pl.Int32, "char_end": pl.Int32,
                       "is_heading": pl.Boolean})
# An article as the loader takes it, before it is given an id and compared with what is loaded.
ARTICLE_COLUMNS: dict[str, pl.DataType] = {
    SEQ: pl.Int64(), "content_sha256": pl.String(), "source": pl.String(), "url": pl.String(),
    "canonical_url": pl.String(), "external_id": pl.String(), "title": pl.String(),
    "authors": pl.List(pl.String()), "byline": pl.String(), "dateline": pl.String(),
    "dateline_place": pl.String(), "published_at": pl.Datetime("us", "UTC"), "published_at_raw": pl.String(),
    "language": pl.String(), "body": pl.String(), "paragraphs": pl.List(PARAGRAPH), "char_count": pl.Int32(),
    "word_count": pl.Int32(), "format": pl.String(), "raw_path": pl.String(), "record_locator": pl.String(),
    "warnings": pl.List(pl.String()),
}


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=ARTICLE_COLUMNS)


def articles_frame(articles: list[tuple[int, Article]]) -> pl.DataFrame:
    """Articles of the per-record path, shaped like the columnar path's frame."""
    return pl.DataFrame(
        [
            {
                SEQ: seq,
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
                "format": a.fmt,
                "raw_path": a.raw_path,
                "record_locator": a.record_locator,
                "warnings": list(a.warnings),
            }
            for seq, a in articles
        ],
        schema=ARTICLE_COLUMNS,
    )
