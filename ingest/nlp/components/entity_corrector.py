"""newswh_entity_corrector: fix what the small model gets wrong about actors.

- Names from seeds/reference/actor_aliases.csv keep their label wherever they occur
  ("Trump" is PERSON even where the model says ORG).
- A single name equal to the surname of a PERSON seen earlier in the article is PERSON.
- Nothing in a heading is a PERSON (sub-headings are Title Case and fool the model).
- Entities do not cross a newline (the model glues a heading to the next paragraph).
The model's own labels are kept in doc.spans["newswh_model_ents"] for the model_label column.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.nlp.components._util import in_heading
from ingest.nlp.reference import load_reference

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})


class EntityCorrector:
    def __init__(self, nlp: Language, name: str, *, use_reference: bool) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab)
        if use_reference:
            ref = load_reference()
            self.matcher.add("PERSON", [nlp.make_doc(a) for a in ref.person_aliases])
            self.matcher.add("ORG", [nlp.make_doc(a) for a in ref.org_aliases])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["newswh_model_ents"] = list(doc.ents)
        ents = [e for e in (self._split_at_newline(doc, e) for e in doc.ents) if e is not None]
        ruled = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.matcher(doc)]
        merged = filter_spans(ruled + ents)  # longest wins; a ruler span beats an equal model span
        merged = self._surnames(doc, merged)
        doc.ents = [e for e in merged if not (e.label_ == "PERSON" and in_heading(doc, e.start_char))]
        return doc

    @staticmethod
    def _split_at_newline(doc: Doc, ent: Span) -> Span | None:
        for tok in ent:
            if "\n" in tok.text:
                rest = [t for t in ent if t.i > tok.i and not t.is_space]
                if not rest:
                    return None
                return Span(doc, rest[0].i, ent.end, label=ent.label_)
        if ent.label_ in KEPT_LABELS and len(ent) and ent[-1].text in {"'s", "’s"}:
            return Span(doc, ent.start, ent.end - 1, label=ent.label_) if len(ent) > 1 else None
        return ent

    @staticmethod
    def _surnames(doc: Doc, ents: list[Span]) -> list[Span]:
        surnames: set[str] = set()
        covered = {i for e in ents for i in range(e.start, e.end)}
        out: list[Span] = []
        extra: list[Span] = []
        for ent in ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                surnames.add(ent[-1].text)
            elif len(ent) == 1 and ent.text in surnames and ent.label_ != "PERSON":
                ent = Span(doc, ent.start, ent.end, label="PERSON")
            out.append(ent)
        if surnames:
            first_seen: dict[str, int] = {}
            for ent in out:
                if ent.label_ == "PERSON" and len(ent) > 1:
                    first_seen.setdefault(ent[-1].text, ent.end)
            for tok in doc:
                if (tok.i not in covered and tok.pos_ == "PROPN" and tok.text in first_seen
                        and tok.i >= first_seen[tok.text]):
                    extra.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
        return sorted(filter_spans(out + extra), key=lambda s: s.start)


@Language.factory(
    "newswh_entity_corrector",
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents"],
    default_config={"use_reference": True},
)
def make_entity_corrector(nlp: Language, name: str, *, use_reference: bool) -> EntityCorrector:
    return EntityCorrector(nlp, name, use_reference=use_reference)
