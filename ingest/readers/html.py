"""HTML pages: main text and structure from trafilatura, metadata from the page head."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from ingest.errors import InputError, RejectReason
from ingest.readers.decode import snippet
from ingest.records import RawRecord

# Full timestamps beat trafilatura's day-precision date when the page states them.
_DATE_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='date']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='dc.date']/@content",
    "//time[@pubdate]/@datetime",
)
# Fewer words than this is navigation or a paywall stub, not an article.
_MIN_WORDS = 8
_LANG = ("/html/@lang", "//meta[@http-equiv='content-language']/@content")


def _first(tree: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    for xpath in xpaths:
        values = tree.xpath(xpath)
        if values and str(values[0]).strip():
            return str(values[0]).strip()
    return None


def read_html(text: str, *, path: Path, fmt: str, warnings: tuple[str, ...]) -> RawRecord:
    try:
        page = lxml.html.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(RejectReason.HTML_NO_CONTENT, f"not parseable as HTML: {exc}", snippet(text)) from exc
    import trafilatura  # ~0.2 s to import: only when a page is actually read

    extracted = trafilatura.extract(
        page,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_formatting=False,
        # Never guess a date from the body text: an unknown date stays unknown.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not extracted:
        raise InputError(RejectReason.HTML_NO_CONTENT, "no main text found in the page", snippet(text))
    doc = etree.fromstring(extracted.encode("utf-8"))
    title = doc.get("title")
    blocks: list[tuple[str, bool]] = []
    for element in doc.iter("head", "p", "item"):
        content = " ".join("".join(element.itertext()).split())
        if not content:
            continue
        blocks.append((content, element.tag == "head"))
    # The page's <h1> repeats the title; what stands before it (a kicker, a section name) is chrome.
    for i, (content, is_heading) in enumerate(blocks[:3]):
        if is_heading and title and content == title:
            blocks = blocks[i + 1 :]
            break
    if sum(len(text.split()) for text, heading in blocks if not heading) < _MIN_WORDS:
        raise InputError(RejectReason.HTML_NO_CONTENT, "the page's main text is only navigation or a stub",
                         snippet(text))
    canonical = _first(page, ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"))
    authors = tuple(a.strip() for a in (doc.get("author") or "").split(";") if a.strip())
    return RawRecord(
        text="\n".join(b[0] for b in blocks),
        path=path,
        locator="",
        fmt=fmt,
        title=title,
        url=canonical or doc.get("url"),
        published=_first(page, _DATE_META) or doc.get("date"),
        authors=authors,
        source=doc.get("sitename"),
        language=_first(page, _LANG),
        blocks=tuple(blocks),
        warnings=warnings,
    )
