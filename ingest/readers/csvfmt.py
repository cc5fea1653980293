"""CSV with a header naming at least a text/body column (RFC 4180, multi-line fields)."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from ingest.errors import InputError, RejectReason
from ingest.readers.fields import TEXT_KEYS, has_text_key, record_from_mapping
from ingest.records import RawRecord, Reject

csv.field_size_limit(sys.maxsize)


def read_csv(text: str, *, path: Path, fmt: str, warnings: tuple[str, ...]) -> Iterator[RawRecord | Reject]:
    sample = text[:8192]
    # Judge the delimiter on the header line only: multi-line quoted bodies fool csv.Sniffer.
    header_line = sample.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        yield Reject(path, "", RejectReason.EMPTY_BODY, "CSV file has no header row", text[:300])
        return
    if not has_text_key(header):
        yield Reject(path, "header", RejectReason.NO_TEXT_COLUMN,
                     f"header {header!r} has none of the columns {', '.join(TEXT_KEYS)}", sample[:300])
        return
    row_no = 0
    while True:
        row_no += 1
        locator = f"row:{row_no}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Reject(path, locator, RejectReason.MALFORMED_CSV, str(exc))
            return  # the reader cannot resynchronise after a parse error
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Reject(path, locator, RejectReason.MALFORMED_CSV,
                         f"{len(row)} fields, header has {len(header)}", ",".join(row)[:300])
            continue
        try:
            yield record_from_mapping(dict(zip(header, row, strict=True)), path=path, locator=locator,
                                      fmt=fmt, warnings=warnings)
        except InputError as exc:
            yield Reject(path, locator, exc.reason, exc.detail, exc.snippet)
