"""Every format reads, every bad input becomes a Reject with the right reason."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ingest.errors import RejectReason
from ingest.readers import iter_files, read_file
from ingest.records import RawRecord, Reject

BODY = (
    "PARIS (Reuters) - French President Emmanuel Macron said on Monday that “nothing can be ruled out”.\n"
    "Leaders agreed to form a coalition.\n"
)
HTML = """<html lang="en"><head><title>Leaders meet | Example Herald</title>
<meta property="og:title" content="Leaders meet in Paris">
<meta property="article:published_time" content="2024-02-27T09:30:00+01:00">
<meta name="author" content="Jane Doe"><meta property="og:site_name" content="Example Herald">
<link rel="canonical" href="https://example.org/news/leaders-meet?utm_source=feed"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><div class="cookie">We use cookies.</div>
<article><h1>Leaders meet in Paris</h1><p>European leaders met in Paris on Monday to discuss support for
Ukraine, in a meeting convened by French President Emmanuel Macron, officials said.</p>
<h2>Coalition agreed</h2><p>"We will do everything necessary," Macron said. German Chancellor Olaf Scholz
said Germany would keep supplying weapons to Kyiv for as long as it takes.</p>
<p>The talks ended with an agreement to form a new coalition that would supply long-range missiles.</p>
</article><footer>Copyright 2024 Example Herald. All rights reserved.</footer></body></html>"""


def _write(path: Path, data: str | bytes, *, gz: bool = False) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if gz:
        path = path.with_name(path.name + ".gz")
        raw = gzip.compress(raw)
    path.write_bytes(raw)
    return path


def _one(path: Path) -> RawRecord:
    items = list(read_file(path))
    assert len(items) == 1 and isinstance(items[0], RawRecord), items
    return items[0]


def _rejects(path: Path) -> list[Reject]:
    return [i for i in read_file(path) if isinstance(i, Reject)]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
class TestFormats:
    def test_txt_with_title_line(self, tmp_path: Path, gz: bool) -> None:
        rec = _one(_write(tmp_path / "a.txt", "Leaders meet in Paris\n\n" + BODY, gz=gz))
        assert rec.title == "Leaders meet in Paris"
        assert rec.text.strip().startswith("PARIS (Reuters)")
        assert rec.fmt == ("txt.gz" if gz else "txt")

    def test_txt_without_title_like_the_seed(self, tmp_path: Path, gz: bool) -> None:
        rec = _one(_write(tmp_path / "a.txt", "\n" + BODY, gz=gz))
        assert rec.title is None

    def test_markdown_front_matter_and_headings(self, tmp_path: Path, gz: bool) -> None:
        md = ("---\ntitle: Leaders meet\ndate: 2024-02-27\nurl: https://example.org/a\nauthor: Jane Doe\n"
              "source: Demo Daily\n---\n# Ignored H1 because front matter has a title\n" + BODY
              + "## A sub-heading\nMore text here.\n")
        rec = _one(_write(tmp_path / "a.md", md, gz=gz))
        assert (rec.title, rec.url, rec.published, rec.authors, rec.source) == (
            "Leaders meet", "https://example.org/a", "2024-02-27", ("Jane Doe",), "Demo Daily")
        assert rec.blocks is not None and ("A sub-heading", True) in rec.blocks

    def test_json_object_and_array(self, tmp_path: Path, gz: bool) -> None:
        obj = {"headline": "One", "body": BODY, "link": "https://x.org/1", "published": 1709022600,
               "author": ["A B", "C D"], "publisher": {"name": "Sample Wire"}, "lang": "en-GB", "id": 7}
        rec = _one(_write(tmp_path / "o.json", json.dumps(obj), gz=gz))
        assert (rec.title, rec.url, rec.published, rec.authors, rec.source, rec.language, rec.external_id) == (
            "One", "https://x.org/1", 1709022600, ("A B", "C D"), "Sample Wire", "en-GB", "7")
        items = list(read_file(_write(tmp_path / "arr.json", json.dumps([obj, obj, 3]), gz=gz)))
        assert [i.locator for i in items] == ["item:0", "item:1", "item:2"]
        assert isinstance(items[2], Reject) and items[2].reason is RejectReason.INVALID_RECORD

    def test_jsonl_bad_lines_do_not_stop_good_ones(self, tmp_path: Path, gz: bool) -> None:
        lines = [json.dumps({"text": BODY, "title": "ok 1"}), '{"text": "broken', json.dumps({"text": ""}),
                 json.dumps([1, 2]), "", json.dumps({"text": BODY + "x", "title": "ok 2"})]
        items = list(read_file(_write(tmp_path / "f.jsonl", "\n".join(lines), gz=gz)))
        good = [i for i in items if isinstance(i, RawRecord)]
        bad = {i.locator: i.reason for i in items if isinstance(i, Reject)}
        assert [g.title for g in good] == ["ok 1", "ok 2"]
        assert [g.locator for g in good] == ["line:1", "line:6"]
        assert bad == {"line:2": RejectReason.INVALID_JSON, "line:3": RejectReason.EMPTY_BODY,
                       "line:4": RejectReason.INVALID_RECORD}

    def test_csv_multiline_fields_and_aliases(self, tmp_path: Path, gz: bool) -> None:
        csv_text = ('link,published,headline,body,author,source\n'
                    'https://x.org/1,2024-02-27,First,"PARIS - Line one.\n\nLine ""two"".",Jane Doe; John Roe,Demo\n'
                    'https://x.org/2,,Second,Just one line of text.,,\n')
        items = list(read_file(_write(tmp_path / "f.csv", csv_text, gz=gz)))
        assert [(i.locator, i.title) for i in items if isinstance(i, RawRecord)] == [("row:1", "First"),
                                                                                  ("row:2", "Second")]
        first = items[0]
        assert isinstance(first, RawRecord) and 'Line "two".' in first.text
        assert first.authors == ("Jane Doe", "John Roe")

    def test_html_main_text_and_metadata(self, tmp_path: Path, gz: bool) -> None:
        rec = _one(_write(tmp_path / "p.html", HTML, gz=gz))
        assert rec.title == "Leaders meet in Paris"
        assert rec.published == "2024-02-27T09:30:00+01:00"  # full timestamp from the head, not a day
        assert rec.url == "https://example.org/news/leaders-meet?utm_source=feed"
        assert rec.authors == ("Jane Doe",) and rec.source == "Example Herald" and rec.language == "en"
        assert rec.blocks is not None
        assert ("Coalition agreed", True) in rec.blocks
        assert "cookies" not in rec.text and "Copyright" not in rec.text and "Home" not in rec.text


def _big_body() -> str:
    return "word " * 50


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("latin.txt", b"\x00\x01\x02 binary \x00 stuff", RejectReason.BINARY),
        ("doc.txt", b"%PDF-1.7 pretend pdf", RejectReason.BINARY),
        ("garbled.txt", bytes(range(0x80, 0xA0)) * 4 + b"\x81\x8d\x8f\x90\x9d", RejectReason.UNDECODABLE),
        ("bad.json", b'{"text": "unterminated', RejectReason.INVALID_JSON),
        ("scalar.json", b"42", RejectReason.INVALID_RECORD),
        ("notext.json", b'{"title": "no body"}', RejectReason.INVALID_RECORD),
        ("empty.txt", b"", RejectReason.EMPTY_BODY),
        ("blank.md", b"   \n\t\n", RejectReason.EMPTY_BODY),
        ("summary.csv", b"url,date,title,summary_id\nhttps://x,2024-01-01,T,5\n", RejectReason.NO_TEXT_COLUMN),
        ("broken.txt.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-not-deflate", RejectReason.CORRUPT_ARCHIVE),
        ("report.docx", b"PK\x03\x04 zip container", RejectReason.BINARY),
        ("notes.rtf", b"{\\rtf1 hello}", RejectReason.UNSUPPORTED_FORMAT),
        ("empty.html", b"<html><body><nav>Home</nav></body></html>", RejectReason.HTML_NO_CONTENT),
        ("ragged.csv", b"url,text\nhttps://x,hello,extra,fields\n", RejectReason.MALFORMED_CSV),
    ],
)
def test_every_reject_reason(tmp_path: Path, name: str, data: bytes, reason: RejectReason) -> None:
    rejects = _rejects(_write(tmp_path / name, data))
    assert [r.reason for r in rejects] == [reason], rejects
    assert rejects[0].message  # a reason a person can act on


def test_cp1252_is_decoded_with_a_warning_not_rejected(tmp_path: Path) -> None:
    rec = _one(_write(tmp_path / "fr.txt", "Macron a déclaré: « rien n’est exclu ».".encode("cp1252")))
    assert "déclaré" in rec.text and "n’est" in rec.text
    assert any("Windows-1252" in w for w in rec.warnings)


def test_read_error_is_a_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "a.txt", BODY)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert [r.reason for r in _rejects(path)] == [RejectReason.READ_ERROR]


def test_directories_are_walked_recursively_skipping_docs(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for rel in ("a/one.txt", "a/b/two.json", "README.md", "a/.hidden.txt", "_build/x.txt", "a/LICENSE.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path]))
    assert found == ["a/b/two.json", "a/one.txt"]
    assert list(iter_files([tmp_path / "README.md"])) == [tmp_path / "README.md"]  # named explicitly: read
