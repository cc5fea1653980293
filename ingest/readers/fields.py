"""Map a loosely-named record (JSON object, CSV row, front matter) onto RawRecord fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ingest.errors import InputError, RejectReason
from ingest.records import RawRecord

# First key present wins; matched case-insensitively.
TEXT_KEYS = ("text", "body", "content", "article", "story", "full_text", "article_text")
TITLE_KEYS = ("title", "headline", "heading")
URL_KEYS = ("url", "link", "canonical_url", "canonical", "uri", "permalink")
DATE_KEYS = (
    "published_at", "published", "date", "pubdate", "publish_date", "date_published",
    "datetime", "timestamp", "published_time", "publication_date",
)
AUTHOR_KEYS = ("authors", "author", "byline", "creator", "writer")
SOURCE_KEYS = ("source", "publisher", "site_name", "sitename", "outlet", "agency")
LANG_KEYS = ("language", "lang", "locale")
ID_KEYS = ("id", "article_id", "guid", "external_id", "doc_id")


def _pick(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return value
    return None


def has_text_key(names: list[str]) -> bool:
    return any(n.strip().lower() in TEXT_KEYS for n in names)


def _as_str(value: Any) -> str | None:
    if isinstance(value, Mapping):  # {"source": {"name": "Reuters"}}
        value = _pick(value, ("name", "title", "id"))
    if value is None:
        return None
    return str(value).strip() or None


def _authors(value: Any) -> tuple[str, ...]:
    """A list of names, or one string with several names separated by ';' or '|'."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else re.split(r"\s*[;|]\s*", str(value))
    names = (_as_str(item) for item in items)
    return tuple(name for name in names if name)


def record_from_mapping(
    record: Any, *, path: Path, locator: str, fmt: str, warnings: tuple[str, ...] = ()
) -> RawRecord:
    if not isinstance(record, Mapping):
        raise InputError(
            RejectReason.INVALID_RECORD, f"expected a JSON object, got {type(record).__name__}", str(record)
        )
    text = _pick(record, TEXT_KEYS)
    if text is None:
        raise InputError(
            RejectReason.EMPTY_BODY if any(k.lower() in TEXT_KEYS for k in map(str, record)) else
            RejectReason.INVALID_RECORD,
            f"no text in any of the fields {', '.join(TEXT_KEYS)}",
            str(dict(record))[:300],
        )
    if not isinstance(text, str):
        raise InputError(
            RejectReason.INVALID_RECORD, f"text field is {type(text).__name__}, not a string", str(text)
        )
    published = _pick(record, DATE_KEYS)
    if published is not None and not isinstance(published, (str, int, float)):
        published = str(published)
    return RawRecord(
        text=text,
        path=path,
        locator=locator,
        fmt=fmt,
        title=_as_str(_pick(record, TITLE_KEYS)),
        url=_as_str(_pick(record, URL_KEYS)),
        published=published,
        authors=_authors(_pick(record, AUTHOR_KEYS)),
        source=_as_str(_pick(record, SOURCE_KEYS)),
        language=_as_str(_pick(record, LANG_KEYS)),
        external_id=_as_str(_pick(record, ID_KEYS)),
        warnings=warnings,
    )
