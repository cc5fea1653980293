"""The columnar JSON Lines path loads exactly what the per-record path loads, row for row.

Both paths ingest the same file into their own DuckDB file; every column of raw.articles and
raw.rejected_documents must agree except the run id and timestamps."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
import sys
import tempfile
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest import columnar
from ingest.columnar import chunk_from_bytes
from ingest.load import ingest
from ingest.unicode_tables import NFC_UNSAFE, UNIDATA_VERSION, compute_nfc_unsafe
from tests.conftest import require_corpora, rows

ARTICLE_COLUMNS = """article_id, version, previous_version_id, content_sha256, source, url, canonical_url,
    external_id, title, authors, byline, dateline, dateline_place, published_at, published_at_raw, language,
    body, paragraphs, char_count, word_count, duplicate_of, duplicate_similarity, format, record_locator,
    warnings"""
REJECT_COLUMNS = "reject_id, record_locator, reason_code, message, raw_snippet"


def _tables(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(sql).fetchall() for sql in (
            f"select {ARTICLE_COLUMNS} from raw.articles order by record_locator",
            f"select {REJECT_COLUMNS} from raw.rejected_documents order by record_locator, reject_id",
            "select record_locator, content_sha256, duplicate_of from raw.duplicate_documents order by 1",
            "select records, loaded, duplicates, near_duplicates, rejected, warnings from raw.ingest_runs",
        ))
    finally:
        con.close()


def _both_paths(src: Path, workdir: Path, batch_size: int | None = None) -> None:
    ingest([src], workdir / "columnar.duckdb", columnar=True, batch_size=batch_size)
    ingest([src], workdir / "per_record.duckdb", columnar=False, batch_size=batch_size)
    columnar, per_record = _tables(workdir / "columnar.duckdb"), _tables(workdir / "per_record.duckdb")
    for got, want in zip(columnar, per_record, strict=True):
        assert len(got) == len(want)
        for got_row, want_row in zip(got, want, strict=True):
            assert got_row == want_row


def test_the_nfc_table_matches_this_python() -> None:
    assert unicodedata.unidata_version == UNIDATA_VERSION, "regenerate: python -m ingest.unicode_tables"
    assert compute_nfc_unsafe() == NFC_UNSAFE


# Text made of the pieces that send a row one way or the other: clean prose, odd spaces and
# invisible characters (tidied on columns), decomposed letters, mojibake, carriage returns,
# datelines, bylines, weekday lines (on columns, with the per-record code for the first lines), headings.
_PIECES = st.sampled_from([
    "The minister said the talks would continue.", "Officials declined to comment on the report",
    "“We will not back down,” she said.", "PARIS (Reuters) - ", "WASHINGTON — ", "By Jane Doe",
    "By Jane Doe and John Roe, Sample Wire", "Friday, January 4, 2019", "Key points", "US officials said:",
    "A\u00a0non-breaking space.", "zero\u200bwidth", "soft\u00adhyphen", "two  spaces", "tab\there", " ",
    "\n", "\n\n", " \n ", "\r\n", "e\u0301te\u0301", "naÃ¯ve", "donâ€™t", "\u2028", "\x0c", "3", "true", "",
    # decomposed mojibake, and repairs that leave a no-break space or a zero-width space to tidy
    "maA\u0303\u00b1ana", "Â\u00a0", "â€\u2039x", "â€",
    "Le président a déclaré que la France continuerait.", "der Kanzler sagte, dass die Regierung handeln werde.",
])
_CLEAN_PIECES = st.sampled_from([
    "The minister said the talks would continue.", "Officials declined to comment on the report",
    "“We will not back down,” she said.", "Key points", "A\u00a0non-breaking space.", "two  spaces", "\n",
    "\n\n", " \n ", "tab\there", "zero\u200bwidth", "US officials said: the plan is dead.", "- ",
    "Le président a déclaré que la France continuerait, dit-il.",
])
_TEXT = (st.lists(_PIECES, max_size=14).map(" ".join) | st.lists(_PIECES, max_size=14).map("".join)
         | st.lists(_CLEAN_PIECES, min_size=1, max_size=14).map(" ".join))
_SCALAR = st.none() | st.booleans() | st.integers(-10, 2_000_000_000_000) | st.floats(allow_nan=False, width=32)
_META = st.sampled_from(["Sample Wire", " padded ", "", "Reuters", "x\u00a0y", "12", "true"]) | _SCALAR
_URL = st.sampled_from([
    "https://www.example.org/world/story-1/", "http://example.org", "https://Example.org/A//b/",
    "https://example.org/a?utm_source=x&b=2", "https://example.org:8080/a", "example.org/a", " https://e.org/x ",
    "https://e.org/x#frag", "HTTPS://E.ORG/", "https://e.org/%7Euser/",
]) | _SCALAR
_DATE = st.sampled_from([
    "2024-03-03", "2024-03-03T18:20:00+01:00", "2024-03-03T17:20:00Z", "Sun, 03 Mar 2024 17:20:00 GMT",
    "March 3, 2024", "March 3", "yesterday", "1709486400", "1709486400000", "2024-02-30", "1800-01-01", "",
]) | _SCALAR
_RECORD = st.fixed_dictionaries(
    {"text": _TEXT},
    optional={
        "title": st.sampled_from(["The minister said", "Key points", "Title\nwith break", " Title ",
                                  "CafÃ© talks", "Ã"]) | _META,
        "url": _URL, "published_at": _DATE, "Date": _DATE, "source": _META, "language": st.sampled_from(
            ["en", "EN_gb", "fr-FR", " de "]) | _META,
        "authors": st.lists(st.sampled_from(["Jane Doe", " ", "A; B"]), max_size=2) | _META,
        "body": _TEXT, "Headline": _META, "id": _META,
    },
)
# Mostly records the columnar path can take, so the comparison is about something.
_CLEAN_RECORD = st.fixed_dictionaries(
    {"text": st.lists(_CLEAN_PIECES, min_size=1, max_size=14).map(" ".join)},
    optional={"title": st.sampled_from(["Talks go on", "Key points", " Padded title ", "Title\nwith break"]),
              "url": _URL.filter(lambda u: isinstance(u, str)), "published_at": st.sampled_from(
                  ["2024-03-03", "2024-03-03T18:20:00+01:00", "March 3", "2024-02-30", ""]),
              "source": st.sampled_from(["Sample Wire", "Reuters"]), "authors": st.sampled_from(
                  ["Jane Doe", "Jane Doe; John Roe"])},
)
_LINE = st.one_of(_CLEAN_RECORD.map(json.dumps), _CLEAN_RECORD.map(json.dumps), _RECORD.map(json.dumps),
                  _RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)),
                  st.sampled_from(["", "   ", "[1, 2]", "3", "{\"text\": ", "{\"title\": \"no text\"}"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, min_size=1, max_size=12), batch_size=st.sampled_from([None, 2]),
       piece_bytes=st.sampled_from([None, 256]), twice=st.booleans())
# a dateline whose remainder looks like a heading is body text; a weekday line dates an undated record
@example(lines=[json.dumps({"text": "PARIS (Reuters) - Key points\nThe minister said the talks would continue."}),
                json.dumps({"text": "By Jane Doe, Sample Wire\nFriday, January 4, 2019\nOfficials declined."})],
         batch_size=None, piece_bytes=None, twice=False)
# polars refuses NUL, a line-leading byte-order mark and invalid UTF-8 (the columnar path relies on
# it); combining marks in NFC text stay on columns, decomposed text does not; an untidy copy of a
# later tidy body is the original, the tidy one the duplicate
@example(lines=[json.dumps({"text": "The talks went on.\u0000 Late"}),
                '\ufeff{"text": "A byte-order mark opens this line."}',
                json.dumps({"text": "Officials in S\u00e3o Tom\u00e9 met x\u0303 delegates."}, ensure_ascii=False),
                json.dumps({"text": "The cafe\u0301 closed early today."}, ensure_ascii=False),
                json.dumps({"text": "The minister  said the talks would go on. "}),
                json.dumps({"text": "The minister said the talks would go on."})],
         batch_size=None, piece_bytes=None, twice=False)
# the same text under two titles, one of them its first line (which the body then drops), in
# pieces of their own, twice: a raw repeat is the same text *and* title
@example(lines=[json.dumps({"title": "Talks go on", "text": "Key points\nThe minister said the talks would continue."}),
                json.dumps({"title": "Key points", "text": "Key points\nThe minister said the talks would continue."})],
         batch_size=None, piece_bytes=256, twice=True)
def test_columnar_and_per_record_paths_load_the_same(lines: list[str], batch_size: int | None,
                                                     piece_bytes: int | None, twice: bool) -> None:
    """`piece_bytes`: pieces of about a line each, read in this process (no pool), so rows that
    repeat an earlier piece's text and title, or body, are only hashed (SeenBodies); `twice`: the
    feed again after itself, so they do."""
    workdir = Path(tempfile.mkdtemp())
    smallest, columnar._SMALLEST_PART = columnar._SMALLEST_PART, 1  # bisect down to single bad lines
    chunk_bytes = columnar.CHUNK_BYTES
    columnar.CHUNK_BYTES = piece_bytes or chunk_bytes  # ingest.load's own copy still decides on the pool
    try:
        src = workdir / "feed.jsonl"
        src.write_text("\n".join(lines * (1 + twice)) + "\n", encoding="utf-8")
        _both_paths(src, workdir, batch_size)
    finally:
        columnar._SMALLEST_PART, columnar.CHUNK_BYTES = smallest, chunk_bytes
        shutil.rmtree(workdir, ignore_errors=True)


def _corpus_jsonl(path: Path, limit: int = 300) -> Path:
    """A slice of the real corpora as JSON Lines, the shape feeds arrive in."""
    lines = []
    corpora = require_corpora()
    for text_file in sorted((corpora / "polnear").glob("*/text/*.txt"))[: limit // 2]:
        title, _, body = text_file.read_text(encoding="utf-8").partition("\n")
        lines.append({"id": text_file.stem, "title": title.strip(), "text": body, "source": "PolNeAR"})
    for text_file in sorted((corpora / "bbc").glob("*/*.txt"))[: limit // 2]:
        title, _, body = text_file.read_text(encoding="utf-8", errors="replace").partition("\n")
        lines.append({"url": f"https://bbc.example/{text_file.parent.name}/{text_file.stem}", "title": title,
                      "text": body, "published_at": "2005-03-01", "source": "BBC"})
    # Wikinews opens with a weekday date line: metadata, and the date when a record has none
    csv.field_size_limit(sys.maxsize)
    with (corpora / "wikinews" / "wikinews_2019.csv").open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(itertools.islice(csv.DictReader(fh), limit // 2)):
            lines.append({"url": row["url"], "title": row["title"], "text": row["text"], "source": "Wikinews",
                          **({"date": row["date"]} if i % 2 else {})})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_real_corpora_mostly_take_the_columnar_path_and_load_the_same(tmp_path: Path) -> None:
    src = _corpus_jsonl(tmp_path / "corpus.jsonl")
    chunk = chunk_from_bytes(src.read_bytes(), 1, src, "jsonl")
    # The per-record path is for the rows columns cannot do (datelines, decomposed text, ...).
    assert chunk.frame.height >= 0.6 * (chunk.frame.height + len(chunk.slow))
    _both_paths(src, tmp_path)


_REPEATED = [
    # untidy: the same body as the next record, which comes later in the file and is its duplicate
    {"text": "The minister said  the talks would continue into the night. Officials declined to comment. "},
    {"text": "The minister said the talks would continue into the night. Officials declined to comment."},
    # front_matter() changes this text: its copies are normalised in full
    {"text": "PARIS (Reuters) - The summit ended without a deal. Leaders will meet again in May."},
    # only headings: rejected as EMPTY_BODY, and so is every copy
    {"text": "Key points\nWhat comes next"},
    {"text": "A short story about the vote, in one line, with enough words to be fingerprinted at all."},
]


def test_repeated_bodies_are_only_hashed_and_still_load_as_the_per_record_path_does(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A body a process has already done earlier in the file is only hashed (SeenBodies): across
    pieces, within one, in two worker threads; the load matches the per-record path."""
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps({**_REPEATED[i % 5], "url": f"https://wire.example/{i}", "title": f"T{i}"})
                           + "\n" for i in range(240)), encoding="utf-8")
    seen = columnar.SeenBodies("test")
    # ≈ 15 lines a piece: 16 pieces, so a worker pool is used
    chunks = [chunk_from_bytes(piece, line, src, "jsonl", seen)
              for piece, line in _small_pieces(src, 2_000, monkeypatch)]
    skipped = sum(chunk.frame["body"].null_count() for chunk in chunks)
    # two bodies can be skipped (the dateline one and the empty one cannot): 3 rows of every 5, one
    # original of each body
    assert skipped == 3 * 48 - 2
    assert {item.locator for chunk in chunks for _, item in chunk.slow} >= {f"line:{i}" for i in range(4, 241, 5)}
    _both_paths(src, tmp_path)
    assert _loaded_duplicates_rejected(tmp_path / "columnar.duckdb") == (3, 189, 48)


def test_each_worker_thread_remembers_only_the_bodies_it_read_itself() -> None:
    """Pool threads take pieces out of file order: one thread's bodies may come from later in the
    file than another's piece, and skipping a row on them would leave it without an original."""
    def remember(sha: str) -> columnar.SeenBodies:
        seen = columnar.SeenBodies.of("file")
        seen.add([sha], [False])
        return seen

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="test") as pool:
        barrier = threading.Barrier(2)  # both threads alive at once, so they are two threads

        def job(sha: str) -> tuple[columnar.SeenBodies, list[bool]]:
            seen = remember(sha)
            barrier.wait()
            return seen, columnar.SeenBodies.of("file").known(["a", "b"])

        (seen_a, known_a), (seen_b, known_b) = pool.map(job, ["a", "b"])
    assert seen_a is not seen_b
    assert (known_a, known_b) == ([True, False], [False, True])
    assert columnar.SeenBodies.of("file").known(["a", "b"]) == [False, False]  # this thread's own, empty
    columnar.SeenBodies.release("file")


def _small_pieces(src: Path, size: int, monkeypatch) -> list[tuple[bytes, int]]:  # type: ignore[no-untyped-def]
    """The file in pieces of about `size` bytes, and ingest set to cut it so too."""
    monkeypatch.setattr(columnar, "CHUNK_BYTES", size)
    monkeypatch.setattr("ingest.load.CHUNK_BYTES", size)
    with src.open("rb") as fh:
        return list(columnar._pieces(fh))


def _loaded_duplicates_rejected(db: Path) -> tuple[object, ...]:
    return rows(db, "select loaded, duplicates, rejected from raw.ingest_runs")[0]


_SAME_RAW = [
    # tidied on columns
    {"title": "Talks", "text": "The minister said  the talks would continue into the night. Officials declined. "},
    # front_matter() moves the dateline: same text, same front matter, same body
    {"title": "Summit", "text": "PARIS (Reuters) - The summit ended without a deal. Leaders meet again in May."},
    # mojibake, repaired row by row; the per-record path: a carriage return, a first line that
    # repeats the title
    {"title": "Cafe", "text": "The cafÃ© closed early today, and the owners donâ€™t know when it will reopen."},
    {"title": "Vote", "text": "The vote was close.\r\nThe count went on past midnight in every district."},
    {"title": "Storm warning", "text": "Storm warning\nThe storm reached the coast this morning, officials said."},
    # the same text under another title: the body keeps its first line this time
    {"title": "Coast", "text": "Storm warning\nThe storm reached the coast this morning, officials said."},
    # only headings: rejected, every time
    {"title": "Empty", "text": "Key points\nWhat comes next"},
]


def test_a_text_and_title_seen_earlier_are_only_hashed_whichever_path_did_them(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Once a process has normalised a text with its title, in one piece, every later row with
    both the same is only hashed (SeenBodies.raw_repeats), whether columns or the per-record path
    made its body, and whether front matter was moved; the load matches the per-record path."""
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps({**_SAME_RAW[i % 7], "url": f"https://wire.example/{i}"}) + "\n"
                           for i in range(210)), encoding="utf-8")
    seen = columnar.SeenBodies("test")
    # ≈ 9 lines a piece, so the first piece has every variant
    batches = [columnar.to_batch(chunk_from_bytes(piece, line, src, "jsonl", seen), seen)
               for piece, line in _small_pieces(src, 1_500, monkeypatch)]
    assert len(batches) > 10 and batches[0].frame.height >= 6 and batches[0].rejects  # every variant
    for batch in batches[1:]:
        assert batch.frame["body"].null_count() == batch.frame.height > 0
    _both_paths(src, tmp_path)
    assert _loaded_duplicates_rejected(tmp_path / "columnar.duckdb") == (6, 174, 30)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
       trailing_newline=st.booleans(), step=st.integers(min_value=1, max_value=64))
def test_byte_ranges_give_every_line_once(lines: list[bytes], trailing_newline: bool, step: int) -> None:
    """Workers read their own ranges of a file (columnar.read_range): cut anywhere, blank lines,
    lines longer than a range, no final newline: the ranges put back together are the file."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "feed.jsonl"
        data = b"\n".join(lines) + (b"\n" if trailing_newline and lines else b"")
        src.write_bytes(data)
        ranges = [columnar.read_range(src, start, min(len(data), start + step)) for start in range(0, len(data), step)]
        assert b"".join(ranges) == data
        # each range is whole lines: only the file's last may lack its newline
        filled = [r for r in ranges if r]
        assert all(r.endswith(b"\n") for r in filled[:-1])
