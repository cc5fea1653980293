"""RawRecord -> Article: Unicode and whitespace normalisation, paragraphs and headings,
datelines and bylines as metadata, dates to UTC, canonical URLs, language."""

from __future__ import annotations

import email.utils
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil import parser as dateparser

from ingest.errors import InputError, RejectReason
from ingest.records import Article, Paragraph, RawRecord
from ingest.settings import settings

# Spaces that are not U+0020 and control characters become a space; invisible characters that
# break token matching (zero-width, BOM, soft hyphen) are dropped. "\r" alone is a line break.
_CLEAN: dict[int, str | None] = {
    **{c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]},
    **{c: " " for c in [0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]},
    **{c: None for c in [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD]},
    0x0D: "\n",
}
_CLEAN_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CLEAN)) + "]")


def _clean_char(match: re.Match[str]) -> str:
    return _CLEAN[ord(match.group())] or ""
_MULTISPACE = re.compile(r" {2,}")

# "PARIS (Reuters) -", "WARSAW, March 3 (Sample Wire) —", "NEW YORK —", "KYIV, Ukraine -"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})"
    r"(?:, (?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
    r"(?:,? (?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?))?"
    r"\s*(?:\((?P<agency>[^()]{2,40})\))?\s*(?:-{1,2}|–|—)\s+"
)
# "By Jane Doe", "By Jane Doe and John Roe, Sample Wire", "By JANE DOE | Reuters"
_NAME = r"[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3}"
_BYLINE = re.compile(
    rf"^(?:By|BY|by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:[,|–—\-]\s*(?P<org>.+))?$"
)
_WEEKDAY_DATE = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$"
)
_HEADING_MAX_WORDS = 14
_TERMINAL = ".!?…:;,\"'”’)]"
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref", "smid")
_LINE_EDGES = re.compile(r" *\n[ \n]*")


def nfc(text: str) -> str:
    """The text in NFC; the check is cheaper than the conversion, and most text is NFC already."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normalize_text(text: str) -> str:
    """NFC, one space between words, one newline between paragraphs; quote characters untouched."""
    text = nfc(text.replace("\r\n", "\n"))
    # One regex scan finds odd spaces, control and invisible characters; clean text has none.
    text = _CLEAN_RE.sub(_clean_char, text)
    return _LINE_EDGES.sub("\n", _MULTISPACE.sub(" ", text)).strip(" \n")


def is_heading(line: str) -> bool:
    """Sub-headings are short lines without final punctuation (the seed article's shape)."""
    # Cheapest test first: most paragraphs end with punctuation. Lines are normalised, so words
    # are separated by single spaces.
    return (
        bool(line)
        and line[-1] not in _TERMINAL
        and line.count(" ") < _HEADING_MAX_WORDS
        and (line[0].isupper() or line[0].isdigit())
        and not line.isupper()  # an all-caps line is a dateline or a shout, not a heading
    )


_ORG_WORDS = frozenset(
    "wire news press agency reuters ap afp staff desk herald daily times post correspondent reporters service "
    "bureau".split()
)


def _split_byline(names: str) -> tuple[tuple[str, ...], str | None]:
    """"Jane Doe and John Roe, Sample Wire" -> ((Jane Doe, John Roe), Sample Wire)."""
    parts = [p.strip() for p in names.split(",") if p.strip()]
    org = None
    if len(parts) > 1 and (" and " in " ".join(parts[:-1]) or _ORG_WORDS & set(parts[-1].lower().split())):
        org = parts.pop()
    people = (n.strip() for p in parts for n in re.split(r"\s+(?:and|&)\s+", p))
    return tuple(n for n in people if n), org


def parse_published(value: str | int | float | None) -> tuple[datetime | None, str | None]:
    """-> (UTC datetime or None, warning). A date missing its year, month or day is unknown,
    not "this year": dateutil fills gaps from a default, so we parse with two defaults and
    refuse when they disagree."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    parsed: datetime | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds
        try:
            parsed = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None, f"published date {value!r} is not a valid epoch timestamp"
    else:
        raw = str(value).strip()
        if raw.isdigit() and len(raw) in (10, 13):
            return parse_published(int(raw))
        parsed = _parse_date_string(raw)
        if parsed is None:
            return None, f"published date {raw!r} could not be parsed; stored as NULL"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if not datetime(1900, 1, 1, tzinfo=UTC) <= parsed <= datetime.now(UTC) + timedelta(days=2):
        return None, f"published date {value!r} is implausible ({parsed.date()}); stored as NULL"
    return parsed, None


def _parse_date_string(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = raw.replace("Sept.", "Sep.").replace(" at ", " ")
    try:
        a = dateparser.parse(cleaned, default=datetime(2001, 1, 1, 0, 0))
        b = dateparser.parse(cleaned, default=datetime(2002, 2, 2, 0, 0))
    except (ValueError, OverflowError, dateparser.ParserError):
        return None
    if a is None or b is None or (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    return a


def canonical_url(url: str | None) -> str | None:
    """Scheme and host lower-cased, no fragment, no tracking parameters, no trailing slash."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.hostname or ""
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if not k.lower().startswith(_TRACKING_PARAMS))
    )
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path, query, ""))


# The most frequent English function words, spaced: their share of the words at the start of a
# text tells English from other languages (English prose: ~15 %; German, French, Spanish: < 3 %).
# Counting fixed substrings, rather than tokenising, lets ingest/columnar.py do the same on
# columns at memory speed.
EN_MARKERS = (" the ", " of ", " and ", " to ", " in ", " is ", " that ", " for ", " was ", " with ")
LANGUAGE_PREFIX = 800
EN_MIN_SHARE = 0.08


def language_head(text: str) -> str:
    """The first characters, lower-cased, with every separator doubled so that neighbouring
    markers cannot share a space."""
    return "  " + text[:LANGUAGE_PREFIX].lower().replace(" ", "  ").replace("\n", "  ") + "  "


def declared_language(declared: str) -> str:
    """"en_GB", "EN-us", " en " -> "en"."""
    return declared.strip().lower().replace("_", "-").split("-")[0][:3]


def detect_language(body: str, declared: str | None) -> str:
    if declared:
        return declared_language(declared)
    words = body[:LANGUAGE_PREFIX].count(" ") + body[:LANGUAGE_PREFIX].count("\n") + 1
    if words < 5:
        return "und"
    head = language_head(body)
    share = sum(head.count(marker) for marker in EN_MARKERS) / words
    return "en" if share >= EN_MIN_SHARE else "und"


_MOJIBAKE_LEADS = ("Ã", "Â", "â€", "Å")
MOJIBAKE_REPAIRED = "mojibake (UTF-8 decoded as Windows-1252 upstream) repaired"


# Windows-1252 has no character for bytes 0x90 and 0x9D, so a UTF-8 "‐" (E2 80 90) or "”"
# (E2 80 9D) that went through it loses its last byte and leaves a bare "â€" that no decoder can
# undo: a word character after it means a hyphen, anything else a closing quote.
_LOST_HYPHEN = re.compile(r"â€(?=\w)")
_LOST_CLOSING_QUOTE = re.compile(r"â€(?=[\s.,;:!?)]|$)")


def has_mojibake_lead(text: str) -> bool:
    return any(lead in text for lead in _MOJIBAKE_LEADS)


@lru_cache(maxsize=4096)
def _fix_encoding(line: str) -> str:
    """ftfy on one line. Cached: copies of a story repeat its broken lines (in the 50k benchmark
    corpus, 868 such lines are 62 distinct ones, and ftfy takes ≈ 0.1 ms a line)."""
    import ftfy  # only for the rare text that needs it

    return ftfy.fix_encoding(line)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """UTF-8 read as Windows-1252 somewhere upstream ("naÃ¯vetÃ©", "donâ€™t"): undo it with ftfy,
    line by line (an article can mix clean and broken paragraphs, and ftfy declines to change a
    text it cannot fix consistently). The substring test keeps the common, clean case to one scan."""
    text = nfc(text)  # "Ã" can arrive decomposed (A + U+0303), and only the composed form is recognisable
    if not has_mojibake_lead(text):
        return text, False
    lines = [_fix_encoding(line) if has_mojibake_lead(line) else line for line in text.split("\n")]
    fixed = _LOST_CLOSING_QUOTE.sub("”", _LOST_HYPHEN.sub("‐", "\n".join(lines)))
    return fixed, fixed != text


def repair_record_mojibake(text: str, title: str | None) -> tuple[str, str | None, bool]:
    """(text, title, repaired): repair_mojibake() of a record's text, and of its title only when
    the text was repaired. Both paths (normalize() and the columnar one) decide with this, so
    they decide alike."""
    fixed, repaired = repair_mojibake(text)
    if not repaired:
        return fixed, title, False
    return fixed, repair_mojibake(title)[0] if title else title, True


def _blocks(record: RawRecord) -> list[tuple[str, bool]]:
    if record.blocks is not None:
        raw = [(normalize_text(text), heading) for text, heading in record.blocks]
        return [(t, h) for t, h in raw if t]
    return [(line, is_heading(line)) for line in normalize_text(record.text).split("\n") if line]


@lru_cache(maxsize=4096)
def resolved(path: Path) -> str:
    """Absolute path as stored in raw_path (cached: one file holds many records)."""
    return str(path.resolve())


@dataclass(frozen=True)
class FrontMatter:
    """What the first paragraphs say about the article rather than in it."""

    blocks: list[tuple[str, bool]]  # (paragraph, is heading) with the metadata lines taken out
    byline: str | None
    authors: tuple[str, ...]
    source: str | None
    dateline: str | None
    dateline_place: str | None
    published_hint: str | None  # a date line, used when the record has no date


def front_matter(blocks: list[tuple[str, bool]], authors: tuple[str, ...], source: str | None) -> FrontMatter:
    """Bylines and datelines live in the first few paragraphs; they are metadata, not text. Only
    the first three blocks are ever read or changed (the columnar path relies on it)."""
    byline = dateline = dateline_place = published_hint = None
    for i in range(min(3, len(blocks))):
        text = blocks[i][0]
        match = _BYLINE.match(text)
        if match and len(text.split()) <= 16:
            byline = text
            people, org = _split_byline(match.group("names"))
            authors = authors or people
            source = source or org or (match.group("org") or "").strip() or None
            blocks = blocks[:i] + blocks[i + 1 :]
            break
    for i in range(min(2, len(blocks))):
        text, _heading = blocks[i]
        if _WEEKDAY_DATE.match(text):  # Wikinews: "Friday, January 4, 2019" on its own line
            dateline, published_hint = text, text
            blocks = blocks[:i] + blocks[i + 1 :]
            break
        match = _DATELINE.match(text)
        if match and not match.group("place").isdigit():
            dateline = match.group(0).strip()
            dateline_place = match.group("place").title()
            if match.group("region"):
                dateline_place = f"{dateline_place}, {match.group('region')}"
            source = source or match.group("agency")
            rest = text[match.end() :].strip()
            blocks = blocks[:i] + ([(rest, False)] if rest else []) + blocks[i + 1 :]
            break
    return FrontMatter(blocks, byline, authors, source, dateline, dateline_place, published_hint)


def normalize(record: RawRecord) -> Article:
    """Raises InputError(EMPTY_BODY | OVERSIZED); everything else becomes a warning."""
    warnings = list(record.warnings)
    text, title, repaired = repair_record_mojibake(record.text, record.title)
    if repaired:
        blocks_fixed = tuple((repair_mojibake(b)[0], h) for b, h in record.blocks) if record.blocks else None
        record = replace(record, text=text, blocks=blocks_fixed, title=title)
        warnings.append(MOJIBAKE_REPAIRED)
    blocks = _blocks(record)
    title = normalize_text(record.title).replace("\n", " ") if record.title else None
    if title and blocks and blocks[0][0] == title:
        blocks = blocks[1:]

    front = front_matter(blocks, record.authors, record.source)
    blocks = front.blocks
    if not any(not heading for _, heading in blocks):
        raise InputError(RejectReason.EMPTY_BODY, "no body text (only headings or nothing) after normalisation",
                         record.text[: settings.raw_snippet_chars])
    paragraphs: list[Paragraph] = []
    pieces: list[str] = []
    offset = 0
    for index, (text, heading) in enumerate(blocks):
        paragraphs.append(Paragraph(index, offset, offset + len(text), heading))
        pieces.append(text)
        offset += len(text) + 1
    body = "\n".join(pieces)
    if len(body) > settings.max_document_chars:
        raise InputError(RejectReason.OVERSIZED,
                         f"body has {len(body)} characters; the limit is {settings.max_document_chars}",
                         body[: settings.raw_snippet_chars])

    published_at, date_warning = parse_published(record.published)
    if published_at is None and front.published_hint and record.published is None:
        published_at, date_warning = parse_published(front.published_hint)
    if date_warning:
        warnings.append(date_warning)
    url = record.url.strip() if record.url else None
    return Article(
        body=body,
        paragraphs=tuple(paragraphs),
        content_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        title=title,
        url=url,
        canonical_url=canonical_url(url),
        published_at=published_at,
        published_at_raw=None if record.published is None else str(record.published),
        authors=front.authors,
        byline=front.byline,
        dateline=front.dateline,
        dateline_place=front.dateline_place,
        source=front.source,
        language=detect_language(body, record.language),
        raw_path=resolved(record.path),
        record_locator=record.locator,
        fmt=record.fmt,
        external_id=record.external_id,
        warnings=tuple(warnings),
    )
