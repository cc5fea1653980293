from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.errors import InputError, RejectReason
from ingest.normalize import canonical_url, is_heading, normalize, normalize_text, parse_published
from ingest.records import RawRecord


def _article(text: str, **kw: object):  # type: ignore[no-untyped-def]
    return normalize(RawRecord(text=text, path=Path("x.txt"), locator="", fmt="txt", **kw))  # type: ignore[arg-type]


def test_text_is_nfc_with_tidy_whitespace_and_quotes_kept() -> None:
    decomposed = "Macron said: \u201cCafe\u0301\u00a0 culture\u201d \u2018ok\u2019 \"x\" 'y'\u200b\r\n\r\n\tNext  para "
    expected = "Macron said: \u201cCaf\u00e9 culture\u201d \u2018ok\u2019 \"x\" 'y'\nNext para"
    assert normalize_text(decomposed) == expected


def test_paragraph_offsets_and_headings_match_the_body() -> None:
    art = _article("\nFirst paragraph here.\nA Stark Divide in Transatlantic Unity\nSecond paragraph.\n")
    assert art.title is None
    assert [(p.is_heading, art.body[p.char_start : p.char_end]) for p in art.paragraphs] == [
        (False, "First paragraph here."), (True, "A Stark Divide in Transatlantic Unity"), (False, "Second paragraph.")]


@pytest.mark.parametrize("line", ["Macron said so.", "WASHINGTON", "“We will win,” he said", "a lower case line"])
def test_not_headings(line: str) -> None:
    assert not is_heading(line)


@pytest.mark.parametrize(
    ("first", "place", "source"),
    [
        ("PARIS (Reuters) - Leaders met.", "Paris", "Reuters"),
        ("WARSAW, March 3 (Sample Wire) — Leaders met.", "Warsaw", "Sample Wire"),
        ("NEW YORK — Leaders met.", "New York", None),
        ("KYIV, Ukraine -- Leaders met.", "Kyiv, Ukraine", None),
    ],
)
def test_datelines_become_metadata(first: str, place: str, source: str | None) -> None:
    art = _article(first + "\nMore text.")
    assert art.body.startswith("Leaders met.")
    assert (art.dateline_place, art.source) == (place, source)
    assert art.dateline and art.dateline not in art.body


def test_bylines_become_metadata() -> None:
    art = _article("Headline Here\nBy Jane Doe and John Roe, Sample Wire\nBRUSSELS — Text of the story.",
                   title="Headline Here")
    assert (art.title, art.authors, art.source, art.byline) == (
        "Headline Here", ("Jane Doe", "John Roe"), "Sample Wire", "By Jane Doe and John Roe, Sample Wire")
    assert art.body == "Text of the story."


def test_wikinews_date_line_is_the_date_when_no_other() -> None:
    art = _article("Friday, January 4, 2019\nAn apartment building collapsed on Monday.")
    assert art.published_at == datetime(2019, 1, 4, tzinfo=UTC)
    assert art.body == "An apartment building collapsed on Monday."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-27T09:30:00+01:00", datetime(2024, 2, 27, 8, 30, tzinfo=UTC)),
        ("2024-02-27T08:30:00Z", datetime(2024, 2, 27, 8, 30, tzinfo=UTC)),
        ("Tue, 27 Feb 2024 09:30:00 GMT", datetime(2024, 2, 27, 9, 30, tzinfo=UTC)),
        ("27 February 2024", datetime(2024, 2, 27, tzinfo=UTC)),
        ("Feb. 27, 2024", datetime(2024, 2, 27, tzinfo=UTC)),
        ("Sept. 12, 2016", datetime(2016, 9, 12, tzinfo=UTC)),
        (1709022600, datetime(2024, 2, 27, 8, 30, tzinfo=UTC)),
        ("1709022600000", datetime(2024, 2, 27, 8, 30, tzinfo=UTC)),
        ("sometime last spring", None),
        ("March 3", None),  # no year: unknown, never "this year"
        ("1850-01-01", None),
        ("2999-01-01", None),
        (None, None),
    ],
)
def test_dates(value: str | int | None, expected: datetime | None) -> None:
    parsed, warning = parse_published(value)
    assert parsed == expected
    assert (warning is not None) == (expected is None and value is not None)


def test_unparseable_date_is_null_with_warning_not_a_reject() -> None:
    art = _article("Some text of an article.", published="sometime last spring")
    assert art.published_at is None and art.published_at_raw == "sometime last spring"
    assert any("could not be parsed" in w for w in art.warnings)


def test_canonical_url() -> None:
    assert canonical_url("HTTP://WWW.Example.org:80//news/a/?utm_source=x&b=2&a=1#frag") == (
        "https://example.org/news/a?a=1&b=2")
    assert canonical_url("not a url") is None


def test_only_headings_is_an_empty_body() -> None:
    with pytest.raises(InputError) as err:
        _article("Just A Heading\nAnother Heading")
    assert err.value.reason is RejectReason.EMPTY_BODY


def test_mojibake_from_upstream_is_repaired_with_a_warning() -> None:
    art = _article("Critics called the plan naÃ¯vetÃ©, but he said we donâ€™t agree.", title="PapÃ¡ speaks")
    assert art.body == "Critics called the plan naïveté, but he said we don’t agree."
    assert art.title == "Papá speaks"
    assert any("mojibake" in w for w in art.warnings)
    clean = _article("Café and naïveté are fine as they are.")
    assert clean.warnings == () and clean.body == "Café and naïveté are fine as they are."


def test_mojibake_with_lost_bytes_and_mixed_lines() -> None:
    """Seen in PolNeAR: clean paragraphs beside broken ones, and 0x90/0x9D bytes lost entirely."""
    art = _article("He said “no” to ’em.\nAs Pe\u00c3\u00b1a Nieto put it, real\u00e2\u20acworld worries "
                   "matter, he said \u00e2\u20acnow\u00e2\u20ac")
    assert art.body == "He said “no” to ’em.\nAs Peña Nieto put it, real‐world worries matter, he said ‐now”"


def test_decomposed_mojibake_is_repaired() -> None:
    """PolNeAR stores some mojibake decomposed: "A" + combining tilde + "±" for "ñ"."""
    art = _article("as PeA\u0303\u00b1a Nieto said.")
    assert art.body == "as Peña Nieto said."
