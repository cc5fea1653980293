"""newswh_heading_guard: sentence starts at paragraph boundaries; a heading is one sentence.

Runs before the parser, which keeps boundaries that are already set. Paragraphs come with the
text (raw.articles.paragraphs) in doc._.newswh_paragraphs, so no sentence ever spans two
paragraphs and a sub-heading never merges into the next sentence.
"""

from __future__ import annotations

from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

from ingest.nlp.components._util import paragraphs


class HeadingGuard:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        paras = paragraphs(doc)
        p = 0
        seen_in_para = False
        # one from_array at the end: each token.is_sent_start assignment scans the whole doc for a
        # parse (has_annotation("DEP")), which made this quadratic in the number of paragraphs
        sent_starts = doc.to_array("SENT_START").astype("int64")
        changed = False
        for token in doc:
            while p + 1 < len(paras) and token.idx >= paras[p + 1].char_start:
                p += 1
                seen_in_para = False
            if token.is_space:
                continue
            if not seen_in_para:
                sent_starts[token.i] = 1
                seen_in_para = changed = True
            elif paras[p].is_heading and token.idx < paras[p].char_end:
                sent_starts[token.i] = -1
        if changed:
            if doc.has_annotation("DEP"):
                raise ValueError(Errors.E043)  # as token.is_sent_start = ... would on a parsed doc
            doc.from_array(["SENT_START"], sent_starts.astype("uint64"))  # type: ignore[arg-type]  # stub: Ints2d
        return doc


@Language.factory("newswh_heading_guard", assigns=["token.is_sent_start"], requires=[])
def make_heading_guard(nlp: Language, name: str) -> HeadingGuard:
    return HeadingGuard(name)
