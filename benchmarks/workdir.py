"""Where a benchmark writes its corpora and warehouses."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def workdir(given: Path | None, prefix: str) -> Iterator[Path]:
    """The --workdir the user gave, kept (to look at, or for the scripts that reuse what they find
    there), or a temporary one that is removed at the end: a run_all to 100k leaves ≈ 4.4 GB of
    corpora and warehouses behind."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)
