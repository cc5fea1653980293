"""newswh_descriptors: titles and roles attached to PERSON names.

Pre-modifier ("former US President Donald Trump") is read token by token leftwards from the
name; apposition ("Olaf Scholz, the German chancellor,") from the dependency parse (appos).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.nlp.components._util import in_heading
from ingest.nlp.patterns.roles import FORMER_WORDS, ROLE_HEADS, ROLE_MODIFIERS
from ingest.nlp.records import Descriptor
from ingest.nlp.reference import load_reference


class Descriptors:
    def __init__(self, name: str, *, use_reference: bool, max_premodifiers: int) -> None:
        self.name = name
        self.max_premodifiers = max_premodifiers
        terms = load_reference().country_terms if use_reference else ()
        self.country_terms = frozenset(t[0].lower() for t in terms if t[2] in {"demonym", "name", "alias",
                                                                            "abbreviation"})

    def _is_country(self, tok: Token) -> bool:
        return tok.lower_ in self.country_terms or tok.ent_type_ in {"GPE", "NORP"}

    def __call__(self, doc: Doc) -> Doc:
        found: list[Descriptor] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or in_heading(doc, ent.start_char):
                continue
            d = self._premodifier(doc, ent) or self._apposition(doc, ent)
            if d is not None:
                found.append(d)
        doc._.newswh_descriptors = found
        return doc

    def _premodifier(self, doc: Doc, ent: Span) -> Descriptor | None:
        i = ent.start - 1
        words: list[Token] = []
        while i >= 0 and len(words) < self.max_premodifiers:
            tok = doc[i]
            low = tok.lower_
            if low in ROLE_HEADS or low in ROLE_MODIFIERS or low in FORMER_WORDS or self._is_country(tok):
                words.append(tok)
                i -= 1
                continue
            if low == "-" and words:
                i -= 1
                continue
            break
        words.reverse()
        return self._build(doc, ent, words, "premodifier", doc[words[0].i : ent.end] if words else None)

    def _apposition(self, doc: Doc, ent: Span) -> Descriptor | None:
        root = ent.root
        for child in root.children:
            if child.dep_ == "appos" and child.lower_ in ROLE_HEADS:
                words = [t for t in child.subtree if t.dep_ not in {"det", "punct"} and t.i <= child.i]
                span = doc[ent.start : child.right_edge.i + 1]
                return self._build(doc, ent, words, "apposition", span)
        if root.dep_ == "appos" and root.head.lower_ in ROLE_HEADS and root.head.i < ent.start:
            head = root.head
            words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in {"det", "punct"}]
            return self._build(doc, ent, words, "apposition", doc[head.left_edge.i : ent.end])
        return None

    def _build(self, doc: Doc, ent: Span, words: list[Token], pattern: str, span: Span | None) -> Descriptor | None:
        roles = [t for t in words if t.lower_ in ROLE_HEADS]
        if span is None or not roles:
            return None
        role_words = [t.text for t in words if t.lower_ in ROLE_HEADS or (t.lower_ in ROLE_MODIFIERS
                      and t.lower_ not in FORMER_WORDS and t.i >= roles[0].i - 2 and not self._is_country(t))]
        countries = [t.text for t in words if self._is_country(t) and t.lower_ not in ROLE_HEADS]
        role = " ".join(role_words)
        return Descriptor(
            char_start=span.start_char,
            char_end=span.end_char,
            name=(ent.start_char, ent.end_char),
            name_text=ent.text,
            role=role[:1].upper() + role[1:] if role else None,
            country_text=" ".join(countries) or None,
            is_former=any(t.lower_ in FORMER_WORDS for t in words),
            pattern=pattern,
        )


@Language.factory(
    "newswh_descriptors",
    assigns=["doc._.newswh_descriptors"],
    requires=["doc.ents", "token.dep"],
    default_config={"use_reference": True, "max_premodifiers": 5},
)
def make_descriptors(nlp: Language, name: str, *, use_reference: bool, max_premodifiers: int) -> Descriptors:
    return Descriptors(name, use_reference=use_reference, max_premodifiers=max_premodifiers)
