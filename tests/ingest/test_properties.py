"""Property-based: arbitrary bytes and malformed records never crash ingest, and every input
is accounted for — loaded, a duplicate of something loaded, or rejected with a reason."""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import RejectReason
from ingest.load import ingest

EXTENSIONS = [".txt", ".md", ".json", ".jsonl", ".csv", ".html", ".txt.gz", ".jsonl.gz", ".bin", ""]
_json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
_json_value = st.recursive(_json_scalar, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_record = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=300) | _json_value,
        "title": _json_value,
        "url": st.sampled_from(["https://x.org/a", "https://x.org/b", "nonsense", ""]) | _json_value,
        "date": st.sampled_from(["2024-02-27", "yesterday", "31/31/2031", "1709022600"]) | _json_value,
        "authors": _json_value,
    },
)
_line = st.one_of(_record.map(json.dumps), _json_value.map(json.dumps), st.text(max_size=80),
                  st.binary(max_size=80).map(lambda b: b.decode("latin-1")))
_file = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda t: t.encode("utf-8")),
    st.lists(_line, max_size=6).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(EXTENSIONS), _file), min_size=1, max_size=4))
def test_no_crash_and_every_input_accounted_for(files: list[tuple[str, bytes]]) -> None:
    workdir = Path(tempfile.mkdtemp())
    try:
        inputs = workdir / "in"
        inputs.mkdir()
        for i, (ext, data) in enumerate(files):
            payload = gzip.compress(data) if ext.endswith(".gz") else data
            (inputs / f"f{i}{ext}").write_bytes(payload)
        db = workdir / "w.duckdb"
        summary = ingest([inputs], db, batch_size=3)
        assert summary.status == "succeeded" and summary.files == len(files)
        assert summary.records == summary.loaded + summary.duplicates + summary.already_present + summary.rejected
        con = duckdb.connect(str(db), read_only=True)
        try:
            seen = {p for (p,) in con.execute(
                "select raw_path from raw.articles union select raw_path from raw.rejected_documents "
                "union select raw_path from raw.duplicate_documents").fetchall()}
            reasons = {r for (r,) in con.execute("select reason_code from raw.rejected_documents").fetchall()}
            messages = con.execute("select count(*) from raw.rejected_documents where message = ''").fetchall()
        finally:
            con.close()
        # A file that yields no record at all (e.g. a JSONL of blank lines, an empty JSON array) is the
        # only input allowed to leave no row behind.
        silent = {str(p.resolve()) for p in inputs.iterdir()} - seen
        for path in silent:
            raw = Path(path).read_bytes()
            text = gzip.decompress(raw) if path.endswith(".gz") else raw
            assert not text.strip() or text.strip() in (b"[]",) or path.endswith((".jsonl", ".jsonl.gz", ".csv")), path
        assert reasons <= {r.value for r in RejectReason}
        assert messages == [(0,)]
    finally:
        shutil.rmtree(workdir)
