"""newswh_event_extractor: clauses where one actor does something to another.

Triggers are restricted to event_triggers.csv lemmas (+ cue verbs with also_event_code), so
every candidate maps to a CAMEO code downstream. Arguments come from the parse: subject,
object, prepositional phrases ("in Paris", "against Russia"); modality from auxiliaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.nlp.components._util import heading_ranges, noun_phrase, relative_antecedent, subject_of
from ingest.nlp.records import EventCandidate, PrepArg
from ingest.nlp.reference import load_reference

HYPOTHETICAL = frozenset({"could", "might", "may", "would", "should", "can", "must"})
FUTURE = frozenset({"will", "shall", "'ll", "wo"})
INTENT_HEADS = frozenset({"plan", "want", "intend", "aim", "seek", "hope", "try", "threaten", "vow", "pledge",
                          "promise", "agree", "decide", "prepare", "propose", "offer"})


class EventExtractor:
    def __init__(self, name: str, *, use_reference: bool) -> None:
        self.name = name
        self.triggers = load_reference().trigger_map if use_reference else {}

    def __call__(self, doc: Doc) -> Doc:
        headings = heading_ranges(doc)
        found: list[EventCandidate] = []
        for tok in doc:
            pos = tok.pos_
            if pos not in {"VERB", "NOUN"}:
                continue
            code = self.triggers.get((tok.lemma_.lower(), pos))
            if code is None or any(s <= tok.idx < e for s, e in headings):
                continue
            found.append(self._candidate(doc, tok, code))
        doc._.newswh_events = found
        return doc

    def _candidate(self, doc: Doc, tok: Token, code: str) -> EventCandidate:
        subj = obj = None
        if tok.pos_ == "VERB":
            s = subject_of(tok)
            if s is not None:
                s = relative_antecedent(s) or s
            if s is not None and s.dep_ == "nsubjpass":
                obj = noun_phrase(s)
                s = None
            subj = noun_phrase(s) if s is not None else None
            for child in tok.children:
                if child.dep_ in {"dobj", "dative"} and obj is None:
                    obj = noun_phrase(child)
        else:
            for child in tok.children:
                if child.dep_ in {"poss", "compound"} and child.pos_ in {"PROPN", "NOUN"}:
                    subj = noun_phrase(child)
                    break
        preps: list[PrepArg] = []
        for child in tok.children:
            if child.dep_ in {"prep", "agent"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        np = noun_phrase(pobj)
                        preps.append(PrepArg(child.lower_, np.text, np.start_char, np.end_char))
        negated = any(c.dep_ == "neg" for c in tok.children)
        span = doc[tok.left_edge.i : tok.right_edge.i + 1] if tok.pos_ == "VERB" else tok.sent
        return EventCandidate(
            char_start=span.start_char, char_end=span.end_char,
            trigger=(tok.idx, tok.idx + len(tok.text)), trigger_text=tok.text,
            trigger_lemma=tok.lemma_.lower(), trigger_pos=tok.pos_, cameo_code=code,
            subject=(subj.start_char, subj.end_char) if subj is not None else None,
            subject_text=subj.text if subj is not None else None,
            object=(obj.start_char, obj.end_char) if obj is not None else None,
            object_text=obj.text if obj is not None else None,
            prep_args=tuple(preps), is_negated=negated, modality=_modality(tok),
            confidence=0.7 if subj is not None else 0.5,
        )


def _modality(tok: Token) -> str:
    node: Token | None = tok
    for _ in range(3):
        if node is None:
            break
        auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        if auxes & HYPOTHETICAL:
            return "hypothetical"
        if auxes & FUTURE or "going" in auxes:
            return "future"
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in INTENT_HEADS:
            return "intended"
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in node.children):
            return "hypothetical"
        node = node.head if node.dep_ in {"xcomp", "conj"} and node.head is not node else None
    return "actual"


@Language.factory(
    "newswh_event_extractor",
    assigns=["doc._.newswh_events"],
    requires=["token.dep", "token.lemma", "token.pos"],
    default_config={"use_reference": True},
)
def make_event_extractor(nlp: Language, name: str, *, use_reference: bool) -> EventExtractor:
    return EventExtractor(name, use_reference=use_reference)
