"""A benchmark cleans up after itself unless it was given a place to keep its corpora."""

from __future__ import annotations

from pathlib import Path

from benchmarks.workdir import workdir


def test_a_temporary_workdir_is_removed_and_a_given_one_is_kept(tmp_path: Path) -> None:
    with workdir(None, "newswh-test-") as temporary:
        (temporary / "corpus.jsonl").write_text("{}\n")
    assert not temporary.exists()
    given = tmp_path / "bench"
    with workdir(given, "newswh-test-") as kept:
        (kept / "corpus.jsonl").write_text("{}\n")
    assert kept == given and (given / "corpus.jsonl").exists()
