"""Small helpers the components share: heading lookup, span trimming, subject finding."""

from __future__ import annotations

from bisect import bisect_right
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span, Token

from ingest.nlp.records import ParagraphInfo

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
PRONOUNS_PERSON = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
TRIM_CHARS = " \t\r\n,;:-—–"
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc. spaCy joins every token on each doc.text access, so reading it
    per sentence or per statement made annotation quadratic in article length (a Doc's text never
    changes; the entry goes when the doc does)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def paragraphs(doc: Doc) -> tuple[ParagraphInfo, ...]:
    paras = doc._.newswh_paragraphs
    return tuple(paras) if paras else (ParagraphInfo(0, len(doc.text), False),)


def heading_ranges(doc: Doc) -> list[tuple[int, int]]:
    return [(p.char_start, p.char_end) for p in paragraphs(doc) if p.is_heading]


def in_heading(doc: Doc, char: int) -> bool:
    return any(s <= char < e for s, e in heading_ranges(doc))


def paragraph_index(starts: list[int], char: int) -> int:
    return max(0, bisect_right(starts, char) - 1)


def trimmed(doc: Doc, start_char: int, end_char: int) -> tuple[int, int]:
    """Char span without surrounding whitespace/clause punctuation (content ends stay as written)."""
    text = doc_text(doc)
    while start_char < end_char and text[start_char] in TRIM_CHARS:
        start_char += 1
    while end_char > start_char and text[end_char - 1] in TRIM_CHARS:
        end_char -= 1
    return start_char, end_char


def token_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Char span of tokens first..last inclusive."""
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def subject_of(token: Token) -> Token | None:
    """Subject of a verb; climbs through participles/xcomp/conj that share their head's subject."""
    seen = 0
    current: Token | None = token
    while current is not None and seen < 4:
        for child in current.children:
            if child.dep_ == "agent":  # passive: "was told by X" (before the passive subject)
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        for child in current.children:
            if child.dep_ == "agent":  # passive: "was told by X"
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if current.dep_ in {"relcl", "acl"} and current.head.pos_ in {"PROPN", "NOUN", "PRON"}:
            return current.head  # "Trump, who said ..." / "voters saying ...": the noun the clause describes
        if current.dep_ in {"xcomp", "advcl", "conj", "acl"} and current.head is not current:
            current = current.head
            seen += 1
            continue
        if current.dep_ == "pcomp" and current.head.dep_ == "prep":
            current = current.head.head  # "X ended his speech by saying ...": X is the one saying
            seen += 1
            continue
        return None
    return None


def noun_phrase(token: Token) -> Span:
    """The noun phrase headed by token, without relative clauses, long PPs or appositions."""
    doc = token.doc
    left = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "prep"}:
            left = min(left, child.left_edge.i)
    right = token.i
    for child in token.rights:
        short_pp = child.dep_ == "prep" and child.lower_ in {"of", "for", "at"} and child.right_edge.i - token.i < 8
        if child.dep_ in {"compound", "flat"} or short_pp:
            right = max(right, child.right_edge.i)
    while left < token.i and doc[left].is_punct:
        left += 1
    return doc[left : right + 1]


def relative_antecedent(tok: Token) -> Token | None:
    """'Graham, who said ...': the noun a relative pronoun subject stands for."""
    if tok.tag_ in {"WP", "WDT"} and tok.head.dep_ == "relcl" and tok.head.head is not tok.head:
        return tok.head.head
    return None
