"""The records that flow between ingest stages: frozen, typed, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.errors import RejectReason


@dataclass(frozen=True)
class RawRecord:
    """One document as a reader found it: text plus whatever metadata the format carried."""

    text: str
    path: Path
    locator: str  # where in the file: "" for whole-file formats, "line:12", "row:3", "item:0"
    fmt: str  # txt, md, json, jsonl, csv, html (+ ".gz" when it came compressed)
    title: str | None = None
    url: str | None = None
    published: str | int | float | None = None  # as found; parsed by normalize
    authors: tuple[str, ...] = ()
    source: str | None = None
    language: str | None = None
    external_id: str | None = None
    # Paragraph texts when the format already knows its structure (HTML, Markdown):
    # (text, is_heading). None means "split the text on newlines".
    blocks: tuple[tuple[str, bool], ...] | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reject:
    """A document that cannot be loaded, with everything needed to find and fix it."""

    path: Path
    locator: str
    reason: RejectReason
    message: str
    snippet: str = ""


@dataclass(frozen=True)
class Paragraph:
    paragraph_index: int
    char_start: int
    char_end: int
    is_heading: bool


@dataclass(frozen=True)
class Article:
    """A normalised article, ready to load (article_id and dedupe fields are set by the loader)."""

    body: str
    paragraphs: tuple[Paragraph, ...]
    content_sha256: str
    title: str | None
    url: str | None
    canonical_url: str | None
    published_at: datetime | None
    published_at_raw: str | None
    authors: tuple[str, ...]
    byline: str | None
    dateline: str | None
    dateline_place: str | None
    source: str | None
    language: str
    raw_path: str
    record_locator: str
    fmt: str
    external_id: str | None
    warnings: tuple[str, ...] = ()


@dataclass
class IngestSummary:
    run_id: str
    db_path: Path
    files: int = 0
    records: int = 0
    loaded: int = 0
    already_present: int = 0
    duplicates: int = 0
    new_versions: int = 0
    near_duplicates: int = 0
    rejected: int = 0
    warnings: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    reject_ids: list[str] = field(default_factory=list)  # raw.rejected_documents rows of this run's rejects
    status: str = "running"
