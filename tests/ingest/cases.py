"""Shared test inputs: article texts built from the real corpora in ../shared (never copied)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import require_corpora


def bbc_texts(limit: int) -> list[tuple[str, str]]:
    """(title, body) pairs from the BBC corpus, in a stable order."""
    files = sorted((require_corpora() / "bbc").glob("*/*.txt"))[:limit]
    out = []
    for f in files:
        lines = f.read_text(encoding="utf-8", errors="replace").split("\n")
        out.append((lines[0].strip(), "\n".join(lines[1:]).strip()))
    return out


def write_jsonl(path: Path, n: int, *, start: int = 0) -> Path:
    """n unique articles (repeating the corpus with a unique id and lead sentence when n is large)."""
    texts = bbc_texts(min(n, 2000))
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            title, body = texts[i % len(texts)]
            fh.write(json.dumps({"id": f"bbc-{i}", "title": title, "url": f"https://bbc.example/{i}",
                                 "text": f"Story number {i}.\n{body}"}) + "\n")
    return path
