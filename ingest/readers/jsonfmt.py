"""JSON (an object or an array of objects) and JSON Lines (streamed, one record per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import InputError, RejectReason
from ingest.readers.decode import decode, snippet
from ingest.readers.fields import record_from_mapping
from ingest.records import RawRecord, Reject


def _record_or_reject(value: object, path: Path, locator: str, fmt: str, warnings: tuple[str, ...]
                      ) -> RawRecord | Reject:
    try:
        return record_from_mapping(value, path=path, locator=locator, fmt=fmt, warnings=warnings)
    except InputError as exc:
        return Reject(path, locator, exc.reason, exc.detail, exc.snippet)


def read_json(text: str, *, path: Path, fmt: str, warnings: tuple[str, ...]) -> Iterator[RawRecord | Reject]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Reject(path, "", RejectReason.INVALID_JSON,
                     f"line {exc.lineno} column {exc.colno}: {exc.msg}", snippet(text))
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield _record_or_reject(item, path, f"item:{i}", fmt, warnings)
    else:
        yield _record_or_reject(value, path, "", fmt, warnings)


def read_jsonl(lines: Iterable[bytes], *, path: Path, fmt: str) -> Iterator[RawRecord | Reject]:
    """One bad line is one reject; the other lines of the file still load."""
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        locator = f"line:{lineno}"
        try:
            line, warnings = decode(raw)
        except InputError as exc:
            yield Reject(path, locator, exc.reason, exc.detail, exc.snippet)
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(path, locator, RejectReason.INVALID_JSON, f"column {exc.colno}: {exc.msg}",
                         snippet(line))
            continue
        yield _record_or_reject(value, path, locator, fmt, warnings)
