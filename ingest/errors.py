"""Errors that carry data. Bad input is never an exception that stops a run: readers turn it
into a `Reject`; these exceptions are for conditions the caller must act on."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class RejectReason(StrEnum):
    """Why a document was quarantined in raw.rejected_documents (reason_code column)."""

    UNDECODABLE = "undecodable"  # bytes that are not text in any encoding we accept
    BINARY = "binary"  # NUL bytes / known binary signature (PDF, ZIP, images)
    INVALID_JSON = "invalid_json"  # a JSON file or JSONL line that does not parse
    INVALID_RECORD = "invalid_record"  # parses, but is not an object with a text field
    EMPTY_BODY = "empty_body"  # no text left after normalisation
    NO_TEXT_COLUMN = "no_text_column"  # a CSV whose header has no text/body column
    CORRUPT_ARCHIVE = "corrupt_archive"  # a .gz that does not decompress
    UNSUPPORTED_FORMAT = "unsupported_format"  # an extension we have no reader for
    OVERSIZED = "oversized"  # body or file beyond the configured limit
    HTML_NO_CONTENT = "html_no_content"  # an HTML page with no extractable main text
    MALFORMED_CSV = "malformed_csv"  # a CSV row the parser cannot read
    READ_ERROR = "read_error"  # the OS refused the read (permissions, vanished file)


class NewsWarehouseError(Exception):
    """Base of everything this package raises on purpose."""


class InputError(NewsWarehouseError):
    """One document cannot be loaded; the reader converts it into a Reject."""

    def __init__(self, reason: RejectReason, message: str, snippet: str = "") -> None:
        self.reason = reason
        self.snippet = snippet
        super().__init__(f"{reason}: {message}")
        self.detail = message


class WarehouseLockedError(NewsWarehouseError):
    """Another process holds the DuckDB write lock."""

    def __init__(self, db_path: Path, detail: str) -> None:
        self.db_path = db_path
        self.detail = detail
        super().__init__(
            f"{db_path} is locked by another process (a BI tool or a second run?). "
            f"Close it or point NEWSWH_DB elsewhere. DuckDB said: {detail}"
        )


class NoInputError(NewsWarehouseError):
    """The paths given contain no files to ingest."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        super().__init__(f"no files found under: {', '.join(str(p) for p in paths)}")


class GateFailedError(NewsWarehouseError):
    """The quality gate's latest verdict on a warehouse file is not 'passed' (publish refuses it)."""

    def __init__(self, db_path: Path, detail: str) -> None:
        self.db_path = db_path
        self.detail = detail
        super().__init__(f"{db_path} did not pass the quality gate: {detail}. Run `newswh check --db {db_path}`.")


class MartsUnavailableError(NewsWarehouseError):
    """The warehouse an analyst command reads (export, report) is missing or lacks the marts asked for."""

    def __init__(self, db_path: Path, detail: str) -> None:
        self.db_path = db_path
        self.detail = detail
        super().__init__(f"{db_path}: {detail}")
