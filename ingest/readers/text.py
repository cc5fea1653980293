"""Plain text and Markdown: one article per file, optional front matter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ingest.readers.fields import record_from_mapping
from ingest.records import RawRecord

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TITLE_MAX_WORDS = 25


def _front_matter(text: str) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, ()
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return {}, text, (f"front matter is not valid YAML ({exc.__class__.__name__}); kept as text",)
    if not isinstance(meta, dict):
        return {}, text, ("front matter is not a key: value block; kept as text",)
    return meta, text[match.end() :], ()


def _looks_like_title(line: str, next_line: str | None) -> bool:
    words = line.split()
    if not words or len(words) > _TITLE_MAX_WORDS:
        return False
    # A headline followed by a blank line (BBC, PolNeAR), or a short unpunctuated first line.
    return next_line is not None and (not next_line.strip() or line.rstrip()[-1] not in ".!?:;,\"'”’")


def read_text(text: str, *, path: Path, fmt: str, warnings: tuple[str, ...]) -> RawRecord:
    meta, body, fm_warnings = _front_matter(text)
    meta = {**meta, "text": body}
    warnings = warnings + fm_warnings
    blocks: tuple[tuple[str, bool], ...] | None = None
    lines = body.split("\n")
    if fmt.startswith("md"):
        parsed: list[tuple[str, bool]] = []
        for line in lines:
            heading = _MD_HEADING.match(line)
            if heading:
                if heading.group(1) == "#" and "title" not in meta and not parsed:
                    meta["title"] = heading.group(2)
                    continue
                parsed.append((heading.group(2), True))
            elif line.strip():
                parsed.append((line, False))
        blocks = tuple(parsed)
    elif "title" not in meta and _looks_like_title(lines[0], lines[1] if len(lines) > 1 else None):
        meta["title"] = lines[0].strip()
        meta["text"] = "\n".join(lines[1:])
    record = record_from_mapping(meta, path=path, locator="", fmt=fmt, warnings=warnings)
    if blocks is not None:
        return RawRecord(**{**record.__dict__, "blocks": blocks})
    return record
