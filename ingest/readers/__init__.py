"""Readers: a path in, `RawRecord | Reject` out. A bad file or line is data, never an exception."""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import InputError, RejectReason
from ingest.readers.csvfmt import read_csv
from ingest.readers.decode import decode, gunzip, sniff_binary, snippet
from ingest.readers.html import read_html
from ingest.readers.jsonfmt import read_json, read_jsonl
from ingest.readers.text import read_text
from ingest.records import RawRecord, Reject
from ingest.settings import settings

log = logging.getLogger(__name__)

FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html",
}
# Files that document a folder of articles rather than being one.
_NOT_ARTICLES = ("readme", "license", "licence", "changelog", "manifest")
_DATABASE_FILES = (".duckdb", ".duckdb.wal", ".db", ".wal")

Item = RawRecord | Reject


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named explicitly are always read; directories are walked recursively, in a stable
    order, skipping hidden files and READMEs."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if not child.is_file() or any(part.startswith((".", "_")) for part in rel.parts):
                    continue
                if child.name.lower().startswith(_NOT_ARTICLES) or child.name.endswith(_DATABASE_FILES):
                    continue
                yield child
        elif path.exists():
            yield path


def format_of(path: Path) -> tuple[str | None, bool]:
    """(format, gzipped) from the file name: 'a.jsonl.gz' -> ('jsonl', True)."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] in (".gz", ".gzip")
    if gzipped:
        suffixes = suffixes[:-1]
    return (FORMATS.get(suffixes[-1]) if suffixes else None), gzipped


def read_file(path: Path) -> Iterator[Item]:
    fmt, gzipped = format_of(path)
    label = f"{fmt}.gz" if gzipped and fmt else (fmt or "")
    try:
        if fmt is None:
            with path.open("rb") as fh:
                head = fh.read(16)
            what = sniff_binary(head)
            reason = RejectReason.BINARY if what else RejectReason.UNSUPPORTED_FORMAT
            detail = f" ({what})" if what else ""
            yield Reject(path, "", reason,
                         f"no reader for '{''.join(path.suffixes) or path.name}'{detail}; "
                         f"supported: {', '.join(sorted(FORMATS))} and their .gz", snippet(head))
            return
        if fmt == "jsonl":
            yield from _read_jsonl(path, gzipped, label)
            return
        limit = settings.max_file_bytes * (16 if fmt == "csv" else 1)
        size = path.stat().st_size
        if size > limit and not gzipped:
            yield Reject(path, "", RejectReason.OVERSIZED, f"file is {size} bytes; the limit is {limit}")
            return
        data = path.read_bytes()
        if gzipped:
            data = gunzip(data, limit)
        text, warnings = decode(data)
        if not text.strip():
            yield Reject(path, "", RejectReason.EMPTY_BODY, "file is empty or whitespace only", snippet(data))
            return
        yield from _parse(fmt, text, path, label, warnings)
    except InputError as exc:
        yield Reject(path, "", exc.reason, exc.detail, exc.snippet)
    except OSError as exc:
        yield Reject(path, "", RejectReason.READ_ERROR, f"{exc.__class__.__name__}: {exc.strerror or exc}")


def _parse(fmt: str, text: str, path: Path, label: str, warnings: tuple[str, ...]) -> Iterator[Item]:
    if fmt == "json":
        yield from read_json(text, path=path, fmt=label, warnings=warnings)
    elif fmt == "csv":
        yield from read_csv(text, path=path, fmt=label, warnings=warnings)
    elif fmt == "html":
        yield read_html(text, path=path, fmt=label, warnings=warnings)
    else:
        yield read_text(text, path=path, fmt=label, warnings=warnings)


def _read_jsonl(path: Path, gzipped: bool, label: str) -> Iterator[Item]:
    """Streamed: a JSONL file may be far larger than memory allows."""
    lines = _LineCounter()
    try:
        with (gzip.open(path, "rb") if gzipped else path.open("rb")) as fh:
            yield from read_jsonl(lines.count(fh), path=path, fmt=label)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Reject(path, f"line:{lines.n + 1}", RejectReason.CORRUPT_ARCHIVE,
                     f"gzip stream broken after {lines.n} lines: {exc}")


class _LineCounter:
    def __init__(self) -> None:
        self.n = 0

    def count(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        for line in lines:
            self.n += 1
            yield line
