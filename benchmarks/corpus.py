"""Build large, realistic JSONL corpora from the real corpora in ../shared (never committed).

Repeats the ~2,600 BBC, PolNeAR and Wikinews articles with variation: each copy gets a unique
id and URL, a different date, and its paragraphs rotated, so no two records are byte-identical."""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def base_articles() -> list[tuple[str, str, str]]:
    """(source, title, body) of every article in the shared corpora."""
    out: list[tuple[str, str, str]] = []
    for path in sorted((SHARED / "bbc").glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        out.append(("BBC", lines[0].strip(), "\n".join(lines[1:]).strip()))
    for path in sorted((SHARED / "polnear").glob("*/text/*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        out.append((path.name.split("_")[0], lines[0].strip(), "\n".join(lines[1:]).strip()))
    csv.field_size_limit(sys.maxsize)
    for path in sorted((SHARED / "wikinews").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["text"].strip():
                    out.append(("Wikinews", row["title"], row["text"]))
    return out


def write_corpus(path: Path, n: int, *, seed: int = 7, start: int = 0, edited: bool = False) -> Path:
    """n records. Rotation leaves articles of one or two paragraphs unchanged, so most copies
    are exact duplicates of an earlier body (≈ 75 % at 100k). With `edited` every copy also
    gets a closing line of its own, as syndicated copies do: no two bodies are equal, and the
    copies are near-duplicates instead."""
    rng = random.Random(seed + start)
    base = base_articles()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            source, title, body = base[i % len(base)]
            paragraphs = [p for p in body.split("\n") if p.strip()]
            if i >= len(base) and len(paragraphs) > 2:
                k = rng.randrange(1, len(paragraphs))
                paragraphs = paragraphs[k:] + paragraphs[:k]
            if edited and i >= len(base):
                paragraphs.append(f"Edited by the {source} desk; syndication reference {i}.")
            day = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 3000))
            fh.write(json.dumps({
                "id": f"bench-{i}",
                "url": f"https://bench.example/{source.lower()}/{i}",
                "title": title,
                "source": source,
                "published_at": day.isoformat(),
                "text": "\n".join(paragraphs),
            }) + "\n")
    return path
