"""A real ingest process killed with SIGKILL part-way leaves whole batches only; re-running
loads exactly the missing articles. Ingest writes no WAL (see ingest.load): what survives a kill
is the last checkpoint, taken here every few batches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.load import ingest
from tests.conftest import REPO
from tests.ingest.cases import write_jsonl

N = 1500
BATCH = 50
CHECKPOINT = 4 * BATCH  # records between checkpoints


def _start(src: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "ingest", str(src), "--db", str(db), "--batch-size", str(BATCH),
         "--no-annotate"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "NEWSWH_INGEST_CHECKPOINT_RECORDS": str(CHECKPOINT)},
    )


def test_sigkill_midway_then_rerun(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    src = write_jsonl(tmp_path / "in" / "big.jsonl", N) if (tmp_path / "in").mkdir() is None else None
    assert src is not None
    proc = _start(src, db_path)
    # The file grows at every checkpoint: kill once one has written articles, long before the end
    # (the file starts at under 1 MB; each checkpoint adds ≈ 2 MB, and the run ends at ≈ 16 MB).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db_path.exists() and db_path.stat().st_size > 6_000_000:
            break
        time.sleep(0.002)
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read() if proc.stderr else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    loaded, runs_loaded, status = query(
        "select (select count(*) from raw.articles), sum(loaded), any_value(status) from raw.ingest_runs")[0]
    assert 0 < loaded < N, "the kill must land part-way"
    assert loaded % BATCH == 0, "only whole batches are committed"
    wal = Path(f"{db_path}.wal")  # at most a checkpoint's marker, never batch data
    assert not wal.exists() or wal.stat().st_size < 1024
    assert runs_loaded == loaded, "run counters commit with the data they count"
    assert status == "running"  # the killed run could not mark itself

    summary = ingest([src], db_path, batch_size=BATCH)
    assert (summary.loaded, summary.already_present) == (N - loaded, loaded)
    assert query("select count(*), count(distinct content_sha256), count(distinct article_id) from raw.articles") == [
        (N, N, N)]
    assert query("select status from raw.ingest_runs order by started_at") == [("interrupted",), ("succeeded",)]
    assert query("select count(*) from raw.article_fingerprints")[0][0] == N
