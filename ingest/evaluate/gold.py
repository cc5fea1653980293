"""Gold readers. JSONL (our format, see tests/gold/README.md) and brat standoff (PolNeAR).

JSONL: one object per line {"doc_id", "path"|"text", "locator"?, "actors", "statements",
"events"}; `path` is relative to the repository root that holds the gold file (or to the
gold file's folder). brat: <split>/text/<name>.txt + <split>/attributions/<name>_<annotator>.ann,
one GoldDoc per annotation file (an article annotated twice is scored twice, i.e. averaged).
"""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import NewsWarehouseError

log = logging.getLogger(__name__)

CharSpan = tuple[int, int]


class GoldFormatError(NewsWarehouseError):
    def __init__(self, path: Path, line: int, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        super().__init__(f"{path}:{line}: {detail}")


@dataclass(frozen=True)
class GoldActor:
    name: str
    type: str


@dataclass(frozen=True)
class GoldStatement:
    text: str
    speaker: str | None
    type: str  # direct | indirect | partial | according_to (brat: derived)
    cue: str | None
    content: tuple[CharSpan, ...] = ()  # brat only: offsets into the text
    source: tuple[CharSpan, ...] = ()


@dataclass(frozen=True)
class GoldEvent:
    trigger: str
    type: str
    source: str | None
    target: str | None
    place: str | None


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    text: str
    actors: tuple[GoldActor, ...]
    statements: tuple[GoldStatement, ...]
    events: tuple[GoldEvent, ...]
    annotator: str | None = None
    has_spans: bool = False  # brat gold: score by offsets, not by strings


def _repo_root(start: Path) -> Path:
    for parent in [start, *start.parents]:
        if (parent / "pyproject.toml").exists() or (parent / ".git").exists():
            return parent
    return start


def _text_at(path: Path, locator: str | None) -> str:
    raw = path.read_text(encoding="utf-8")
    if not locator:
        return raw
    kind, _, num = locator.partition(":")
    n = int(num)
    if kind == "line":  # 1-based line of a JSONL file
        obj = json.loads(raw.splitlines()[n - 1])
        return str(obj.get("text") or obj.get("body") or obj.get("content") or "")
    if kind == "row":  # 1-based data row of a CSV file
        rows = list(csv.DictReader(raw.splitlines(keepends=True)))
        row = rows[n - 1]
        return str(row.get("text") or row.get("body") or row.get("content") or "")
    if kind == "item":  # 0-based item of a JSON array
        obj = json.loads(raw)[n]
        return str(obj.get("text") or obj.get("body") or "")
    raise ValueError(f"unknown locator {locator!r}")


def read_jsonl(path: Path) -> list[GoldDoc]:
    root = _repo_root(path.resolve().parent)
    docs: list[GoldDoc] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(path, lineno, f"invalid JSON: {exc}") from exc
        text = obj.get("text")
        if text is None:
            rel = obj.get("path")
            if not rel:
                raise GoldFormatError(path, lineno, "needs a 'text' or a 'path'")
            candidates = [root / rel, path.parent / rel, Path(rel)]
            found = next((c for c in candidates if c.exists()), None)
            if found is None:
                raise GoldFormatError(path, lineno, f"text file {rel} not found under {root}")
            text = _text_at(found, obj.get("locator"))
        docs.append(GoldDoc(
            doc_id=str(obj.get("doc_id") or f"line{lineno}"),
            text=text,
            actors=tuple(GoldActor(a.get("name", ""), a.get("type", "")) for a in obj.get("actors", [])),
            statements=tuple(GoldStatement(s.get("text", ""), s.get("speaker"), s.get("type", ""), s.get("cue"))
                             for s in obj.get("statements", [])),
            events=tuple(GoldEvent(e.get("trigger", ""), str(e.get("type", "")), e.get("source"), e.get("target"),
                                   e.get("place")) for e in obj.get("events", [])),
        ))
    return docs


_SPAN = re.compile(r"(\d+) (\d+)")
_QUOTE_MARKS = ('"', "“", "”", "''")  # '' is a double mark in the NYT archive texts


def _spans(field: str) -> tuple[CharSpan, ...]:
    return tuple((int(a), int(b)) for a, b in _SPAN.findall(field))


def read_brat_dir(split_dir: Path, limit: int | None = None) -> list[GoldDoc]:
    """PolNeAR split folder -> one GoldDoc per (article, annotator) with Source/Cue/Content spans."""
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    docs: list[GoldDoc] = []
    texts = sorted(text_dir.glob("*.txt"))[:limit] if limit else sorted(text_dir.glob("*.txt"))
    for txt in texts:
        text = txt.read_text(encoding="utf-8")
        for ann in sorted(ann_dir.glob(f"{txt.stem}_*.ann")):
            docs.append(_read_ann(ann, txt.stem, text))
    return docs


def _read_ann(ann: Path, stem: str, text: str) -> GoldDoc:
    spans: dict[str, tuple[str, tuple[CharSpan, ...]]] = {}
    links: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            links.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    statements: list[GoldStatement] = []
    for link in links:
        content = spans.get(link.get("Content", ""), ("", ()))[1]
        if not content:
            continue
        source = spans.get(link.get("Source", ""), ("", ()))[1]
        cue = spans.get(link.get("Cue", ""), ("", ()))[1]
        content_text = " ".join(text[s:e] for s, e in content)
        cue_text = " ".join(text[s:e] for s, e in cue) or None
        if cue_text and "according" in cue_text.lower():
            kind = "according_to"
        elif any(m in content_text for m in _QUOTE_MARKS):
            kind = "direct"
        else:
            kind = "indirect"
        statements.append(GoldStatement(
            text=content_text, speaker=" ".join(text[s:e] for s, e in source) or None, type=kind, cue=cue_text,
            content=content, source=source,
        ))
    annotator = ann.stem[len(stem) + 1 :]
    return GoldDoc(stem, text, (), tuple(statements), (), annotator=annotator, has_spans=True)


def read_gold(path: Path, fmt: str = "auto", limit: int | None = None) -> list[GoldDoc]:
    if fmt == "auto":
        fmt = "polnear" if path.is_dir() else "jsonl"
    if fmt in {"polnear", "brat"}:
        docs = read_brat_dir(path, limit)
    elif fmt == "jsonl":
        docs = read_jsonl(path)[:limit] if limit else read_jsonl(path)
    else:
        raise ValueError(f"unknown gold format {fmt!r} (jsonl | polnear)")
    log.info("read %d gold documents from %s", len(docs), path)
    return docs
