"""The load stage against a real DuckDB file: idempotency, duplicates, versions, near-duplicates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from ingest import db as db_module
from ingest.db import connect
from ingest.dedupe import Fingerprints, RunIndex, band_keys
from ingest.errors import WarehouseLockedError
from ingest.load import _near_duplicates, ingest
from tests.conftest import SAMPLES, require_corpora, rows
from tests.ingest.cases import bbc_texts, write_jsonl

Query = object


def _article(title: str, body: str, url: str | None = None, **extra: object) -> str:
    return json.dumps({"title": title, "text": body, "url": url, **extra})


def test_rerun_is_idempotent(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    src = write_jsonl(tmp_path / "a.jsonl", 30)
    (tmp_path / "bad.json").write_text("{not json")
    first = ingest([tmp_path], db_path, batch_size=7)
    second = ingest([tmp_path], db_path, batch_size=7)
    assert (first.loaded, first.rejected, first.status) == (30, 1, "succeeded")
    assert (second.loaded, second.already_present, second.duplicates, second.rejected) == (0, 30, 0, 1)
    assert query("select count(*), count(distinct content_sha256) from raw.articles") == [(30, 30)]
    assert query("select count(*) from raw.rejected_documents") == [(1,)]  # not recorded twice
    assert query("select status, loaded, records from raw.ingest_runs order by started_at") == [
        ("succeeded", 30, 31), ("succeeded", 0, 31)]
    assert src.exists()


def test_exact_duplicates_are_counted_not_loaded(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    title, body = bbc_texts(1)[0]
    (tmp_path / "a.txt").write_text(f"{title}\n\n{body}")
    (tmp_path / "copy.jsonl").write_text(_article(title, body) + "\n")
    summary = ingest([tmp_path], db_path)
    assert (summary.loaded, summary.duplicates) == (1, 1)
    dup = query("select d.record_locator, d.duplicate_of = a.article_id from raw.duplicate_documents d, raw.articles a")
    assert dup == [("line:1", True)]


def test_same_url_changed_text_is_a_new_version(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    title, body = bbc_texts(1)[0]
    url = "https://news.example/story?utm_source=rss"
    (tmp_path / "v.jsonl").write_text(
        _article(title, body, url) + "\n" + _article(title, body + "\nCorrection: a name was misspelt.", url + "&")
        + "\n")
    summary = ingest([tmp_path], db_path)
    assert (summary.loaded, summary.new_versions) == (2, 1)
    rows = query("select version, previous_version_id is null, canonical_url from raw.articles order by version")
    assert rows == [(1, True, "https://news.example/story"), (2, False, "https://news.example/story")]
    linked = query("select count(*) from raw.articles a join raw.articles b on b.previous_version_id = a.article_id")
    assert linked == [(1,)]


def test_near_duplicates_are_flagged_across_runs(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    texts = bbc_texts(3)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "orig.jsonl").write_text("\n".join(_article(t, b) for t, b in texts) + "\n")
    title, body = texts[1]
    sentences = body.split(". ")
    syndicated = ". ".join(sentences[:-1]).replace(" the ", " the the ", 1)  # trimmed and lightly edited
    (tmp_path / "two" / "copy.txt").write_text(f"{title}\n\nLONDON (Example Herald) - {syndicated}")
    ingest([tmp_path / "one"], db_path)
    summary = ingest([tmp_path / "two"], db_path)
    assert summary.near_duplicates == 1
    rows = query("""select c.duplicate_similarity, o.title from raw.articles c
                    join raw.articles o on c.duplicate_of = o.article_id""")
    assert len(rows) == 1 and rows[0][1] == title and rows[0][0] >= 0.7
    # unrelated stories are not flagged
    assert query("select count(*) from raw.articles where duplicate_of is not null")[0][0] == 1


def test_sample_articles_load(db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    summary = ingest([SAMPLES], db_path)
    assert summary.loaded >= 30 and summary.status == "succeeded"
    assert summary.duplicates >= 1 and summary.near_duplicates >= 1 and summary.new_versions >= 1
    seed = query("select body, title, published_at, list_filter(paragraphs, lambda p: p.is_heading) "
                 "from raw.articles where raw_path like '%000_ad70f5b0aec4cc1d.txt'")
    body, title, published, headings = seed[0]
    assert title is None and published is None  # the seed has neither; nothing is invented
    assert [body[h["char_start"] : h["char_end"]] for h in headings] == [
        "A Stark Divide in Transatlantic Unity", "European Leaders Weigh Unprecedented Measures",
        "The Shadow of a Trump Presidency Looms Large"]
    reasons = {r for (r,) in query("select distinct reason_code from raw.rejected_documents")}
    assert {"binary", "undecodable", "invalid_json", "invalid_record", "empty_body", "no_text_column",
            "corrupt_archive"} <= reasons
    # loaded + rejected + duplicates account for every record read
    runs = query("select records, loaded + rejected + duplicates + already_present from raw.ingest_runs")
    assert runs[0][0] == runs[0][1]


def test_a_rerun_reports_the_rejects_it_met_again(db_path: Path) -> None:
    first = ingest([SAMPLES / "malformed"], db_path)
    again = ingest([SAMPLES / "malformed"], db_path)
    assert first.rejected == again.rejected > 0
    assert sorted(again.reject_ids) == sorted(first.reject_ids)  # the rows of the first run, shown again


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [("wikinews", 295), ("polnear/dev/text", 84), ("bbc/politics", 417)],
)
def test_real_corpora_load_as_they_are(corpus: str, expected: int, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    summary = ingest([require_corpora() / corpus], db_path)
    # Wikinews has one record that is only a date line: a genuine empty body.
    assert set(summary.reject_reasons) <= {"empty_body"} and summary.rejected <= 1
    assert summary.loaded + summary.duplicates + summary.rejected == expected
    assert query("select count(*) from raw.articles where language = 'en'")[0][0] == summary.loaded
    if corpus == "wikinews":
        assert query("select count(*) from raw.articles where published_at is null")[0][0] == 0


def test_oversized_documents_are_rejected(tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          query) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from ingest import normalize as normalize_module

    monkeypatch.setattr(normalize_module, "settings",
                        dataclasses.replace(normalize_module.settings, max_document_chars=500))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text("A sentence that goes on. " * 40)
    (tmp_path / "in" / "small.txt").write_text("A short story about a summit in Paris.")
    summary = ingest([tmp_path / "in"], db_path)
    assert (summary.loaded, summary.reject_reasons) == (1, {"oversized": 1})
    assert query("select reason_code, message like '%limit is 500%' from raw.rejected_documents") == [
        ("oversized", True)]


def test_fingerprints_of_another_version_are_recomputed(tmp_path: Path, db_path: Path, query) -> None:  # type: ignore[no-untyped-def]
    texts = bbc_texts(2)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "orig.jsonl").write_text("\n".join(_article(t, b) for t, b in texts) + "\n")
    ingest([tmp_path / "a"], db_path)
    # Simulate signatures written by an older fingerprint implementation.
    con = duckdb.connect(str(db_path))
    con.execute("update raw.article_fingerprints set fingerprint_version = 'old', "
                "minhash = list_transform(minhash, lambda x: x + 1)").fetchall()
    con.execute("update raw.article_lsh_bands set band_hash = band_hash + 1").fetchall()
    con.close()
    title, body = texts[0]
    (tmp_path / "b" / "copy.txt").write_text(f"{title}\n\nLONDON (Example Herald) - {body}\nOne more line.")
    summary = ingest([tmp_path / "b"], db_path)
    assert summary.near_duplicates == 1  # found only because the old signatures were recomputed
    assert query("select distinct fingerprint_version <> 'old' from raw.article_fingerprints") == [(True,)]


def _syndicated_feed(n_stories: int = 40) -> list[str]:
    """Each story three times, interleaved: as written, with paragraphs rotated and a closing
    line added, and with its last sentence dropped: near-duplicates, none of them exact."""
    stories = bbc_texts(n_stories)
    lines = []
    for copy in range(3):
        for i, (title, body) in enumerate(stories):
            paragraphs = [p for p in body.split("\n") if p.strip()]
            if copy == 1:
                paragraphs = paragraphs[1:] + paragraphs[:1] + [f"Syndicated by desk {i}."]
            elif copy == 2:
                paragraphs[-1] = ". ".join(paragraphs[-1].split(". ")[:-1]) or paragraphs[-1] + " More to come."
            lines.append(_article(title, "\n".join(paragraphs), f"https://wire.example/{copy}/{i}"))
    return lines


def test_near_duplicates_are_the_same_found_in_memory_or_in_the_warehouse(tmp_path: Path) -> None:
    """Candidates among this run's articles come from memory (RunIndex), earlier runs' from the
    warehouse: one run, or the same lines over five runs (batches aligned), flag the same."""
    lines = _syndicated_feed()
    batch = 12
    one_run = tmp_path / "one.duckdb"
    (tmp_path / "all.jsonl").write_text("\n".join(lines) + "\n")
    ingest([tmp_path / "all.jsonl"], one_run, batch_size=batch)
    runs = tmp_path / "runs.duckdb"
    for k in range(5):
        part = tmp_path / f"part{k}.jsonl"
        part.write_text("\n".join(lines[k * 24:(k + 1) * 24]) + "\n")
        ingest([part], runs, batch_size=batch)

    def flags(db: Path) -> list[tuple[object, ...]]:
        return rows(db, "select url, duplicate_of, duplicate_similarity from raw.articles order by url")

    got, want = flags(one_run), flags(runs)
    assert len(got) == len(lines) == 120
    assert got == want
    assert sum(row[1] is not None for row in got) >= 60  # the copies are found, not only agreed on


def test_bodies_are_stored_compressed_in_row_groups_of_the_ingest_size(
        tmp_path: Path, db_path: Path, query, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """News bodies average fewer than the 4,096 characters DuckDB wants before it tries zstd on a
    row group's strings; ingest's connection lowers that bar, and writes row groups of its own
    size (smaller here, so a small fixture fills several), which are compressed in parallel."""
    monkeypatch.setattr(db_module, "INGEST_ROW_GROUP_ROWS", 2_048)
    texts = bbc_texts(300)
    # every copy a body of its own, as syndicated copies have
    lines = [_article(title, f"{body} Copy {i}.", f"https://bbc.example/{i}")
             for i, (title, body) in enumerate(texts * 8)]
    (tmp_path / "bbc.jsonl").write_text("\n".join(lines) + "\n")
    summary = ingest([tmp_path / "bbc.jsonl"], db_path)
    assert summary.loaded == len(lines) == 2_400
    [(mean_chars,)] = query("select avg(length(body)) from raw.articles")
    assert 1_024 <= mean_chars < 4_096
    storage = query("select row_group_id, compression from pragma_storage_info('raw.articles') "
                    "where column_name = 'body' and segment_type = 'VARCHAR'")
    assert {compression for _, compression in storage} == {"ZSTD"}
    assert len({group for group, _ in storage}) == 2  # 2,400 rows in groups of 2,048


@pytest.mark.parametrize("seed", range(20))
def test_of_equally_similar_earlier_articles_in_a_batch_the_first_is_the_root(seed: int) -> None:
    """C is as similar to A as to B (39 of 64 MinHash values each, above the threshold), and A and
    B are not near-duplicates of each other: C points at A, the earlier one, every time. Which
    anchor came first used to depend on a hash table's order (9 of these 20 seeds failed)."""
    a, b, c = (np.random.default_rng(seed * 3 + k).integers(1, 2**62, 64, dtype=np.uint64) for k in range(3))
    minhash = np.stack([a, np.concatenate([b[:25], a[25:39], c[39:]]), np.concatenate([a[:39], c[39:]])])
    fps = Fingerprints(minhash, band_keys(minhash), np.ones(3, dtype=bool))
    planned = pl.DataFrame({"article_id": ["A", "B", "C"], "canonical_url": [None, None, None]},
                           schema={"article_id": pl.String, "canonical_url": pl.String})
    duplicate_of, similarity, flagged = _near_duplicates(None, planned, fps, RunIndex(0, "run"))  # type: ignore[arg-type]
    assert (duplicate_of, similarity, flagged) == ([None, None, "A"], [None, None, 39 / 64], 1)


def test_a_log_left_by_another_writer_is_replayed_and_any_file_name_opens(tmp_path: Path) -> None:
    """Ingest opens the warehouse without a WAL of its own (see ingest.load); what another
    writer logged and never checkpointed is still there, and the file's name is never taken as
    a catalog name ("memory" is DuckDB's own)."""
    db = tmp_path / "memory.duckdb"
    ingest([write_jsonl(tmp_path / "a.jsonl", 5)], db)
    # a writer that commits to its log and dies before any checkpoint
    subprocess.run([sys.executable, "-c", (
        "import duckdb, os, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"set checkpoint_threshold = '1TB'\").fetchall(); "
        "con.execute(\"update raw.articles set title = 'logged only' where article_id = "
        "(select min(article_id) from raw.articles)\").fetchall(); os._exit(0)"), str(db)], check=True)
    assert Path(f"{db}.wal").stat().st_size > 0
    summary = ingest([write_jsonl(tmp_path / "b.jsonl", 8)], db)  # the first 5 again, and 3 more
    assert (summary.loaded, summary.duplicates) == (3, 5)
    assert rows(db, "select count(*) filter (title = 'logged only'), count(*) from raw.articles") == [(1, 8)]
    assert not Path(f"{db}.wal").exists()


@pytest.mark.parametrize("wal", [True, False])
def test_a_warehouse_another_process_holds_is_a_clear_error(tmp_path: Path, wal: bool) -> None:
    """Ingest opens the file without a WAL of its own, other stages with one: either way another
    writer's lock is WarehouseLockedError, not a DuckDB traceback."""
    db = tmp_path / "warehouse.duckdb"
    connect(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        with pytest.raises(WarehouseLockedError):
            connect(db, wal=wal)
    finally:
        holder.kill()
        holder.wait()
