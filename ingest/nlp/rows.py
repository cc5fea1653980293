"""Doc -> table rows: ids, sentence indexes and mention links, in plain dicts.

Workers return these (plain Python, cheap to pickle); the parent turns them into polars
frames and is the only DuckDB writer. Ids are hashes of (article, offsets, kind), so the same
text gives the same ids in any process or run.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from typing import Any

from spacy.tokens import Doc

from ingest.nlp.components._util import doc_text, paragraph_index, paragraphs
from ingest.nlp.records import CharSpan, Mention

Row = dict[str, Any]
TABLES = ("sentences", "entity_mentions", "actor_descriptors", "quotes", "event_candidates")


def _id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:20]


class _Index:
    def __init__(self, doc: Doc, article_id: str) -> None:
        self.article_id = article_id
        self.sent_starts = [s.start_char for s in doc.sents]
        self.mentions: list[Mention] = doc._.newswh_mentions or []
        self.ids = {(m.char_start, m.char_end): self.mention_id(m) for m in self.mentions}

    def mention_id(self, m: Mention) -> str:
        return _id(self.article_id, "m", m.char_start, m.char_end)

    def sentence(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)

    def mention_in(self, span: CharSpan | None) -> str | None:
        """The mention a span denotes: exact match, else the last actor mention inside it."""
        if span is None:
            return None
        if span in self.ids:
            return self.ids[span]
        inside = [m for m in self.mentions if m.char_start >= span[0] and m.char_end <= span[1]]
        persons = [m for m in inside if m.label == "PERSON"]
        chosen = (persons or inside)
        return self.ids[(chosen[-1].char_start, chosen[-1].char_end)] if chosen else None


def doc_rows(doc: Doc, article_id: str, version: str, run_id: str) -> dict[str, list[Row]]:
    ix = _Index(doc, article_id)
    base = {"article_id": article_id, "extractor_version": version, "annotation_run_id": run_id}
    out: dict[str, list[Row]] = {t: [] for t in TABLES}
    paras = paragraphs(doc)
    starts = [p.char_start for p in paras]
    text = doc_text(doc)  # once: doc.text joins every token on each access
    for i, sent in enumerate(doc.sents):
        s, e = sent.start_char, sent.end_char
        while e > s and text[e - 1].isspace():
            e -= 1
        if e == s:  # a bare newline token the parser split off (e.g. before a "." paragraph)
            continue
        p = paragraph_index(starts, s)
        out["sentences"].append({**base, "sentence_index": i, "paragraph_index": p, "char_start": s,
                                 "char_end": e, "is_heading": paras[p].is_heading, "text": text[s:e]})
    for m in ix.mentions:
        out["entity_mentions"].append({
            **base, "mention_id": ix.mention_id(m), "sentence_index": ix.sentence(m.char_start),
            "char_start": m.char_start, "char_end": m.char_end, "text": m.text, "label": m.label,
            "model_label": m.model_label, "mention_source": m.source,
            "antecedent_mention_id": ix.ids.get(m.antecedent) if m.antecedent else None,
        })
    for d in doc._.newswh_descriptors or []:
        out["actor_descriptors"].append({
            **base, "descriptor_id": _id(article_id, "d", d.char_start, d.char_end),
            "sentence_index": ix.sentence(d.char_start), "char_start": d.char_start, "char_end": d.char_end,
            "mention_id": ix.ids.get(d.name), "name_text": d.name_text, "role": d.role,
            "country_text": d.country_text, "is_former": d.is_former, "pattern": d.pattern,
        })
    for q in doc._.newswh_statements or []:
        out["quotes"].append({
            **base, "quote_id": _id(article_id, "q", q.char_start, q.char_end, q.quote_type, q.cue),
            "sentence_index": ix.sentence(q.char_start), "sentence_index_end": ix.sentence(max(q.char_start,
                                                                                               q.char_end - 1)),
            "char_start": q.char_start, "char_end": q.char_end, "text": q.text, "quote_type": q.quote_type,
            "cue_text": q.cue_text, "cue_lemma": q.cue_lemma,
            "cue_char_start": q.cue[0] if q.cue else None, "cue_char_end": q.cue[1] if q.cue else None,
            "speaker_text": q.speaker_text, "speaker_mention_id": ix.mention_in(q.speaker),
            "speaker_char_start": q.speaker[0] if q.speaker else None,
            "speaker_char_end": q.speaker[1] if q.speaker else None,
            "speaker_resolved_mention_id": ix.ids.get(q.speaker_resolved) if q.speaker_resolved else None,
            "speaker_resolved_text": q.speaker_resolved_text,
            "speaker_method": q.speaker_method, "confidence": q.confidence,
        })
    for ev in doc._.newswh_events or []:
        out["event_candidates"].append({
            **base, "event_candidate_id": _id(article_id, "e", ev.trigger[0], ev.trigger[1]),
            "sentence_index": ix.sentence(ev.trigger[0]), "char_start": ev.char_start, "char_end": ev.char_end,
            "trigger_text": ev.trigger_text, "trigger_lemma": ev.trigger_lemma, "trigger_pos": ev.trigger_pos,
            "trigger_char_start": ev.trigger[0], "trigger_char_end": ev.trigger[1], "cameo_code": ev.cameo_code,
            "subject_text": ev.subject_text, "subject_char_start": ev.subject[0] if ev.subject else None,
            "subject_char_end": ev.subject[1] if ev.subject else None, "subject_mention_id": ix.mention_in(ev.subject),
            "object_text": ev.object_text, "object_char_start": ev.object[0] if ev.object else None,
            "object_char_end": ev.object[1] if ev.object else None, "object_mention_id": ix.mention_in(ev.object),
            "prep_args": [{"prep": a.prep, "text": a.text, "char_start": a.char_start, "char_end": a.char_end,
                           "mention_id": ix.mention_in((a.char_start, a.char_end))} for a in ev.prep_args],
            "is_negated": ev.is_negated, "modality": ev.modality, "confidence": ev.confidence,
        })
    for table, key in _KEYS.items():
        seen: set[object] = set()
        # one row per key: two rules finding the same thing must not break the primary key
        out[table] = [r for r in out[table] if not (r[key] in seen or seen.add(r[key]))]  # type: ignore[func-returns-value]
    return out


_KEYS = {"entity_mentions": "mention_id", "actor_descriptors": "descriptor_id", "quotes": "quote_id",
         "event_candidates": "event_candidate_id"}
