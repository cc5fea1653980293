"""newswh_coref: the mention list of an article, with in-document coreference.

Rules, not a model: a surname ("Macron") or a third-person pronoun (he/she/his/her) refers to
the nearest earlier compatible full-name PERSON mention. Cheap (one pass) and transparent;
dbt follows antecedent_mention_id to name the actor.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.nlp.components._util import PRONOUNS_PERSON, in_heading
from ingest.nlp.records import CharSpan, Mention

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE = frozenset({"he", "him", "his", "himself"})


class Coref:
    def __init__(self, name: str, *, max_pronoun_distance: int) -> None:
        self.name = name
        self.max_pronoun_distance = max_pronoun_distance

    def __call__(self, doc: Doc) -> Doc:
        model = {(e.start_char, e.end_char): e.label_ for e in doc.spans.get("newswh_model_ents", [])}
        mentions: list[Mention] = []
        full_by_surname: dict[str, CharSpan] = {}
        last_person: CharSpan | None = None  # most recent PERSON, resolved to its full name
        last_person_char = -10**9
        gender: dict[CharSpan, str] = {}
        ent_iter = iter(sorted(doc.ents, key=lambda e: e.start))
        ent = next(ent_iter, None)
        for tok in doc:
            while ent is not None and ent.end <= tok.i:
                ent = next(ent_iter, None)
            if ent is not None and tok.i == ent.start and ent.label_ in KEPT_LABELS:
                span = (ent.start_char, ent.end_char)
                label = model.get(span)
                source = "ner" if label == ent.label_ else ("corrected" if label else "ruler")
                antecedent: CharSpan | None = None
                if ent.label_ == "PERSON":
                    if len(ent) > 1:
                        full_by_surname.setdefault(ent[-1].text, span)
                        resolved = span
                    else:
                        antecedent = full_by_surname.get(ent.text)
                        resolved = antecedent or span
                    last_person, last_person_char = resolved, ent.end_char
                mentions.append(Mention(span[0], span[1], ent.text, ent.label_, label, source, antecedent))
                if antecedent is not None:
                    mentions[-1] = Mention(span[0], span[1], ent.text, ent.label_, label, "coref", antecedent)
                continue
            low = tok.lower_
            if (low in PRONOUNS_PERSON and tok.pos_ == "PRON" and last_person is not None
                    and tok.idx - last_person_char <= self.max_pronoun_distance
                    and not in_heading(doc, tok.idx)):
                want = "f" if low in _FEMALE else "m"
                if gender.setdefault(last_person, want) != want:
                    continue  # "she" after a man: leave unresolved rather than guess
                span = (tok.idx, tok.idx + len(tok.text))
                mentions.append(Mention(span[0], span[1], tok.text, "PERSON", None, "coref", last_person))
        doc._.newswh_mentions = mentions
        return doc


@Language.factory(
    "newswh_coref",
    assigns=["doc._.newswh_mentions"],
    requires=["doc.ents"],
    default_config={"max_pronoun_distance": 1500},
)
def make_coref(nlp: Language, name: str, *, max_pronoun_distance: int) -> Coref:
    return Coref(name, max_pronoun_distance=max_pronoun_distance)
