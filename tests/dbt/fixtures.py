"""A small, hand-annotated warehouse for developing and testing the dbt project.

Until `newswh annotate` lands, this module plays both ingest and annotate for a handful of
sample articles: it creates the raw schema through `ingest.db.connect` and inserts rows shaped
like the real stages write them (polars frames, one bulk insert per table).

What the fixture exercises on purpose:
- the seed article, annotated by two extractor versions (only the later run must count);
- a near-duplicate (syndicated) copy of the seed article from another publisher, with a date;
- a corrected second version of the Duda article under the same URL (only v2 must count);
- a rejected document, an exact duplicate and the ingest/annotation run rows.

`add_incremental_article` adds one more annotated article (the Scholz/Taurus story), which the
incremental tests use: a second `dbt build` must add exactly its rows.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ingest.db import connect, transaction

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "seeds" / "articles"

SEED_ARTICLE_ID = "ad70f5b0aec4cc1d"
SEED_COPY_ARTICLE_ID = "5eedc0b7e1aa0a01"
DUDA_V1_ARTICLE_ID = "d0da000000000001"
DUDA_V2_ARTICLE_ID = "d0da000000000002"
DUDA_V3_ARTICLE_ID = "d0da000000000003"
SCHOLZ_ARTICLE_ID = "5c401200000000a5"

OLD_EXTRACTOR = "newswh-0.1.0+nlp.aaaa1111"
EXTRACTOR = "newswh-0.1.0+nlp.bbbb2222"

INGEST_RUN_1 = "ingest-run-0001"
INGEST_RUN_2 = "ingest-run-0002"
INGEST_RUN_3 = "ingest-run-0003"
INGEST_RUN_4 = "ingest-run-0004"
ANNOTATION_RUN_OLD = "annotate-run-0001"
ANNOTATION_RUN_1 = "annotate-run-0002"
ANNOTATION_RUN_2 = "annotate-run-0003"
ANNOTATION_RUN_3 = "annotate-run-0004"


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# Annotation specs: text spans are located in the body by (text, occurrence), so the same spec
# annotates the original and its syndicated copy at their own offsets.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class M:
    """An entity mention: key (local to the spec), text, label, occurrence, antecedent key."""

    key: str
    text: str
    label: str
    occurrence: int = 1
    antecedent: str | None = None
    source: str = "ner"


@dataclass(frozen=True)
class D:
    """An actor descriptor: the whole span, the described mention, role, country text."""

    span: str
    mention: str
    role: str | None
    country_text: str | None
    is_former: bool = False
    pattern: str = "premodifier"


@dataclass(frozen=True)
class Q:
    """A quote: content text, type, cue, speaker mention key (or None), method, confidence."""

    text: str
    quote_type: str
    cue: str | None
    cue_lemma: str | None
    speaker: str | None
    method: str
    confidence: float
    occurrence: int = 1


@dataclass(frozen=True)
class E:
    """An event candidate: clause, trigger, subject/object (text, mention key), prep args."""

    clause: str
    trigger: str
    lemma: str
    subject: tuple[str, str | None] | None
    obj: tuple[str, str | None] | None = None
    preps: tuple[tuple[str, str, str | None], ...] = ()
    pos: str = "VERB"
    is_negated: bool = False
    modality: str = "actual"
    confidence: float = 0.8


@dataclass
class Spec:
    mentions: list[M] = field(default_factory=list)
    descriptors: list[D] = field(default_factory=list)
    quotes: list[Q] = field(default_factory=list)
    events: list[E] = field(default_factory=list)


SEED_SPEC = Spec(
    mentions=[
        M("nato1", "NATO", "ORG", 1),
        M("french1", "French", "NORP", 1),
        M("macron1", "Emmanuel Macron", "PERSON", 1),
        M("western1", "Western", "NORP", 1),
        M("ukraine1", "Ukraine", "GPE", 1),
        M("european1", "European", "NORP", 1),
        M("paris1", "Paris", "GPE", 1),
        M("paris2", "Paris", "GPE", 2),
        M("us1", "US", "GPE", 1),
        M("trump1", "Donald Trump", "PERSON", 1),
        M("russian1", "Russian", "NORP", 1),
        M("nato2", "NATO", "ORG", 2),
        M("macron2", "Macron", "PERSON", 2, antecedent="macron1"),
        M("macron3", "Macron", "PERSON", 3, antecedent="macron1"),
        M("russia1", "Russia", "GPE", 1),
        M("macron4", "Macron", "PERSON", 4, antecedent="macron1"),
        M("usa1", "the United States", "GPE", 1),
        M("trump2", "Donald Trump", "PERSON", 2),
        M("republican1", "Republican", "NORP", 1),
        M("trump3", "Trump", "PERSON", 3, antecedent="trump1"),
        M("russia2", "Russia", "GPE", 2),
        M("nato3", "NATO", "ORG", 3),
        M("paris3", "Paris", "GPE", 3),
        M("europe1", "Europe", "LOC", 1),
        M("german1", "German", "NORP", 1),
        M("scholz1", "Olaf Scholz", "PERSON", 1),
        M("polish1", "Polish", "NORP", 1),
        M("duda1", "Andrzej Duda", "PERSON", 1),
        M("ukraine3", "Ukraine", "GPE", 2),
        M("macron5", "Macron", "PERSON", 5, antecedent="macron1"),
        M("russia_quote", "Russia", "GPE", 4),
        M("macron6", "Macron", "PERSON", 6, antecedent="macron1"),
        # No antecedent link here on purpose: same-article surname matching must resolve it.
        M("trump5", "Trump", "PERSON", 5),
        M("france1", "France", "GPE", 1),
        M("kremlin1", "the Kremlin", "ORG", 1),
        M("nato6", "NATO", "ORG", 5),
        M("russia_clash", "Russia", "GPE", 6),
    ],
    descriptors=[
        D("French President Emmanuel Macron", "macron1", "President", "French"),
        D("former US President Donald Trump", "trump1", "President", "US", is_former=True),
        D("German Chancellor Olaf Scholz", "scholz1", "Chancellor", "German"),
        D("Polish President Andrzej Duda", "duda1", "President", "Polish"),
    ],
    quotes=[
        Q(
            "sending Western ground troops to Ukraine can no longer be ruled out",
            "indirect",
            "declared",
            "declare",
            "macron1",
            "subject",
            0.8,
        ),
        Q(
            "he would encourage Russian aggression against NATO allies",
            "indirect",
            "suggestions",
            "suggestion",
            "trump1",
            "possessive",
            0.55,
        ),
        Q(
            "all options were now on the table to ensure Russia cannot win its war of aggression",
            "indirect",
            "emphasised",
            "emphasise",
            "macron3",
            "subject",
            0.8,
        ),
        Q("whatever the hell they want", "partial", "comment", "comment", "trump3", "possessive", 0.7),
        Q(
            "We will do everything necessary to ensure that Russia cannot win this war",
            "direct",
            "stated",
            "state",
            "macron6",
            "subject",
            0.95,
        ),
        Q(
            "There is no consensus today to send ground troops in an official, accepted and endorsed "
            "manner. But in terms of dynamics, nothing can be ruled out.",
            "direct",
            "adding",
            "add",
            "macron6",
            "subject",
            0.9,
        ),
        Q(
            "any deployment of NATO troops would inevitably lead to a direct clash between Russia and the alliance",
            "indirect",
            "warned",
            "warn",
            "kremlin1",
            "subject",
            0.75,
        ),
    ],
    events=[
        E(
            "The emergency summit, convened by Macron",
            "convened",
            "convene",
            ("Macron", "macron2"),
            ("The emergency summit", None),
        ),
        E(
            "a consensus on deploying troops was not reached",
            "reached",
            "reach",
            ("a consensus on deploying troops", None),
            is_negated=True,
        ),
        E(
            "The meeting in Paris saw leaders from across Europe, including German Chancellor Olaf Scholz "
            "and Polish President Andrzej Duda, agree to form a new coalition to supply medium and "
            "long-range missiles to Ukraine",
            "agree",
            "agree",
            (
                "leaders from across Europe, including German Chancellor Olaf Scholz and Polish President Andrzej Duda",
                None,
            ),
            ("a new coalition to supply medium and long-range missiles to Ukraine", None),
            preps=(("in", "Paris", "paris3"), ("to", "Ukraine", "ukraine3")),
        ),
        E(
            "Trump threatening to abandon allies",
            "threatening",
            "threaten",
            ("Trump", "trump5"),
            ("allies", None),
        ),
        E(
            "the Kremlin has warned that any deployment of NATO troops would inevitably lead to a direct clash",
            "warned",
            "warn",
            ("the Kremlin", "kremlin1"),
            ("NATO troops", "nato6"),
        ),
    ],
)

# What an older extractor version found in the seed article: fewer, differently keyed rows.
SEED_SPEC_OLD = Spec(
    mentions=[
        M("macron1", "Emmanuel Macron", "PERSON", 1),
        M("macron6", "Macron", "PERSON", 6),
        M("kremlin1", "Kremlin", "ORG", 1),
    ],
    quotes=[
        Q(
            "We will do everything necessary to ensure that Russia cannot win this war",
            "direct",
            "stated",
            "state",
            "macron6",
            "subject",
            0.9,
        ),
    ],
    events=[
        E(
            "The emergency summit, convened by Macron",
            "convened",
            "convene",
            ("Macron", None),
            ("The emergency summit", None),
        ),
    ],
)

DUDA_SPEC = Spec(
    mentions=[
        M("warsaw1", "WARSAW", "GPE", 1),
        M("polish1", "Polish", "NORP", 1),
        M("duda1", "Andrzej Duda", "PERSON", 1),
        M("nato2", "NATO", "ORG", 2),
        M("russia1", "Russia", "GPE", 1),
        M("ukraine1", "Ukraine", "GPE", 1),
        M("warsaw2", "Warsaw", "GPE", 1),
        M("nato3", "NATO", "ORG", 3),
        M("stoltenberg1", "Jens Stoltenberg", "PERSON", 1),
        M("duda2", "Duda", "PERSON", 3, antecedent="duda1"),
        M("poland1", "Poland", "GPE", 1),
        M("duda3", "Duda", "PERSON", 4, antecedent="duda1"),
        M("stoltenberg2", "Stoltenberg", "PERSON", 2, antecedent="stoltenberg1"),
        M("us1", "US", "GPE", 1),
        M("trump1", "Donald Trump", "PERSON", 1),
        M("stoltenberg3", "Stoltenberg", "PERSON", 3, antecedent="stoltenberg1"),
        M("usa1", "the United States", "GPE", 1),
        M("duda4", "Duda", "PERSON", 5, antecedent="duda1"),
        M("trump2", "Trump", "PERSON", 2, antecedent="trump1"),
        M("newyork1", "New York", "GPE", 1),
        M("trump3", "Trump", "PERSON", 3, antecedent="trump1"),
        M("europe3", "Europe", "LOC", 2),
        M("kremlin1", "The Kremlin", "ORG", 1),
        M("peskov1", "Dmitry Peskov", "PERSON", 1),
        M("moscow1", "Moscow", "GPE", 1),
    ],
    descriptors=[
        D("Polish President Andrzej Duda", "duda1", "President", "Polish"),
        D("NATO Secretary General Jens Stoltenberg", "stoltenberg1", "Secretary General", "NATO"),
        D("former US President Donald Trump", "trump1", "President", "US", is_former=True),
        D("Kremlin spokesman Dmitry Peskov", "peskov1", "spokesman", "Kremlin"),
    ],
    quotes=[
        Q(
            "Poland would spend more than 4% of its economic output on defence this year, the highest "
            "share of any member of the alliance",
            "indirect",
            "said",
            "say",
            "duda2",
            "subject",
            0.85,
        ),
        Q(
            "If we do not match that effort now, we will pay a far higher price later. Three percent is "
            "not a luxury, it is the price of peace",
            "direct",
            "told",
            "tell",
            "duda3",
            "subject",
            0.9,
        ),
        Q("Two percent must be a floor, not a ceiling", "direct", "said", "say", "stoltenberg2", "coref_pronoun", 0.8),
        Q(
            "Allies are moving in the right direction, and Poland is leading by example.",
            "direct",
            None,
            None,
            None,
            "none",
            0.3,
        ),
        Q(
            "he would not defend allies who failed to pay their way",
            "indirect",
            "remarks",
            "remark",
            "trump1",
            "possessive",
            0.6,
        ),
        Q(
            "any suggestion that allies would not defend each other undermined the security of all of "
            "them, including the United States",
            "indirect",
            "said",
            "say",
            "stoltenberg3",
            "subject",
            0.85,
        ),
        Q(
            "a wake-up call that Europe should have heard a decade ago",
            "partial",
            "called",
            "call",
            "duda4",
            "coref_pronoun",
            0.7,
        ),
        Q("appropriate measures", "partial", "said", "say", "peskov1", "subject", 0.8),
    ],
    events=[
        E(
            "Polish President Andrzej Duda on Sunday urged NATO allies to raise the alliance's defence spending target",
            "urged",
            "urge",
            ("Polish President Andrzej Duda", "duda1"),
            ("NATO allies", "nato2"),
        ),
        E(
            "Duda, who met Trump in New York last year",
            "met",
            "meet",
            ("Duda", "duda4"),
            ("Trump", "trump2"),
            preps=(("in", "New York", "newyork1"),),
        ),
        E(
            "The Kremlin has warned that the build-up on its western border will not go unanswered",
            "warned",
            "warn",
            ("The Kremlin", "kremlin1"),
            None,
        ),
    ],
)

SCHOLZ_SPEC = Spec(
    mentions=[
        M("berlin1", "BERLIN", "GPE", 1),
        M("german1", "German", "NORP", 1),
        M("scholz1", "Olaf Scholz", "PERSON", 1),
        M("ukraine1", "Ukraine", "GPE", 1),
        M("london1", "London", "GPE", 1),
        M("paris1", "Paris", "GPE", 1),
        M("scholz2", "Scholz", "PERSON", 2, antecedent="scholz1"),
        M("kuleba_country", "Ukrainian", "NORP", 1),
        M("kuleba1", "Dmytro Kuleba", "PERSON", 1),
        M("cameron_country", "British", "NORP", 1),
        M("cameron1", "David Cameron", "PERSON", 1),
        M("kremlin1", "the Kremlin", "ORG", 1),
        M("peskov1", "Dmitry Peskov", "PERSON", 1),
    ],
    descriptors=[
        D("German Chancellor Olaf Scholz", "scholz1", "Chancellor", "German"),
        D("Ukrainian Foreign Minister Dmytro Kuleba", "kuleba1", "Foreign Minister", "Ukrainian"),
        D("British Foreign Secretary David Cameron", "cameron1", "Foreign Secretary", "British"),
        D("Kremlin spokesman Dmitry Peskov", "peskov1", "spokesman", "Kremlin"),
    ],
    quotes=[
        Q(
            "German soldiers must at no point and in no place be linked to the targets that this system "
            "reaches. That is a line I will not cross.",
            "direct",
            "said",
            "say",
            "scholz2",
            "subject",
            0.95,
        ),
        Q(
            "We are not asking Germany to fight this war for us. We are asking for the tools to defend our cities,",
            "direct",
            "told",
            "tell",
            "kuleba1",
            "subject",
            0.9,
        ),
        Q("a dangerous escalation", "partial", "described", "describe", "peskov1", "subject", 0.75),
    ],
    events=[
        E(
            "German Chancellor Olaf Scholz on Monday again ruled out sending Taurus cruise missiles to Ukraine",
            "ruled out",
            "rule out",
            ("German Chancellor Olaf Scholz", "scholz1"),
            ("sending Taurus cruise missiles", None),
            preps=(("to", "Ukraine", "ukraine1"),),
        ),
        E(
            "Olaf Scholz on Monday again ruled out sending Taurus cruise missiles to Ukraine, rejecting "
            "mounting pressure from his coalition partners and from allies in London and Paris",
            "rejecting",
            "reject",
            ("Olaf Scholz", "scholz1"),
            ("mounting pressure from his coalition partners and from allies in London and Paris", None),
        ),
    ],
)


# --------------------------------------------------------------------------------------------
# Text helpers: paragraphs, sentences, spans.
# --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])['\"’”]?\s+(?=['\"‘“]?[A-Z])")


def _is_heading(line: str) -> bool:
    return len(line) < 90 and not re.search(r"[.!?'\"’”:]$", line)


def _paragraphs(body: str) -> list[dict[str, Any]]:
    paragraphs, offset = [], 0
    for line in body.split("\n"):
        if line.strip():
            paragraphs.append(
                {
                    "paragraph_index": len(paragraphs),
                    "char_start": offset,
                    "char_end": offset + len(line),
                    "is_heading": _is_heading(line),
                }
            )
        offset += len(line) + 1
    return paragraphs


def _sentences(body: str) -> list[dict[str, Any]]:
    sentences: list[dict[str, Any]] = []
    for paragraph in _paragraphs(body):
        start, end = paragraph["char_start"], paragraph["char_end"]
        text = body[start:end]
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        for a, b in itertools.pairwise(cuts):
            chunk = text[a:b].rstrip()
            if not chunk:
                continue
            sentences.append(
                {
                    "sentence_index": len(sentences),
                    "paragraph_index": paragraph["paragraph_index"],
                    "char_start": start + a,
                    "char_end": start + a + len(chunk),
                    "is_heading": paragraph["is_heading"],
                    "text": chunk,
                }
            )
    return sentences


def _find(body: str, text: str, occurrence: int = 1) -> tuple[int, int]:
    """The n-th whole-word occurrence of text in body ("Russia" does not match "Russian")."""
    matches = list(re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body))
    if len(matches) < occurrence:
        raise ValueError(f"{text!r} (occurrence {occurrence}) not in body")
    return matches[occurrence - 1].start(), matches[occurrence - 1].end()


def _sentence_of(sentences: Sequence[dict[str, Any]], offset: int) -> int:
    for sentence in sentences:
        if sentence["char_start"] <= offset < sentence["char_end"] + 1:
            return int(sentence["sentence_index"])
    raise ValueError(f"offset {offset} outside every sentence")


def _within(body: str, outer: tuple[int, int], text: str) -> tuple[int, int]:
    pos = body.find(text, outer[0], outer[1] + 1)
    if pos < 0:
        raise ValueError(f"{text!r} not inside {body[outer[0] : outer[1]]!r}")
    return pos, pos + len(text)


# --------------------------------------------------------------------------------------------
# Row builders.
# --------------------------------------------------------------------------------------------


def _annotation_rows(
    article_id: str, body: str, spec: Spec, extractor_version: str, run_id: str
) -> dict[str, list[dict[str, Any]]]:
    sentences = _sentences(body)
    base = {"article_id": article_id, "extractor_version": extractor_version, "annotation_run_id": run_id}
    spans: dict[str, tuple[int, int]] = {}
    ids: dict[str, str] = {}
    mentions = []
    for m in spec.mentions:
        start, end = _find(body, m.text, m.occurrence)
        spans[m.key] = (start, end)
        ids[m.key] = _hash(article_id, extractor_version, "mention", start, end)
    for m in spec.mentions:
        start, end = spans[m.key]
        mentions.append(
            base
            | {
                "mention_id": ids[m.key],
                "sentence_index": _sentence_of(sentences, start),
                "char_start": start,
                "char_end": end,
                "text": m.text,
                "label": m.label,
                "model_label": m.label if m.source == "ner" else None,
                "mention_source": m.source,
                "antecedent_mention_id": ids[m.antecedent] if m.antecedent else None,
            }
        )
    descriptors = []
    for d in spec.descriptors:
        start, end = _find(body, d.span)
        descriptors.append(
            base
            | {
                "descriptor_id": _hash(article_id, extractor_version, "descriptor", start, end),
                "sentence_index": _sentence_of(sentences, start),
                "char_start": start,
                "char_end": end,
                "mention_id": ids[d.mention],
                "name_text": body[spans[d.mention][0] : spans[d.mention][1]],
                "role": d.role,
                "country_text": d.country_text,
                "is_former": d.is_former,
                "pattern": d.pattern,
            }
        )
    quotes = []
    for q in spec.quotes:
        start, end = _find(body, q.text, q.occurrence)
        cue = _find(body, q.cue, 1) if q.cue else None
        if q.cue:
            # the cue nearest to the content
            positions = [m.start() for m in re.finditer(re.escape(q.cue), body)]
            best = min(positions, key=lambda p: min(abs(p - start), abs(p - end)))
            cue = (best, best + len(q.cue))
        speaker = spans.get(q.speaker) if q.speaker else None
        quotes.append(
            base
            | {
                "quote_id": _hash(article_id, extractor_version, "quote", start, end),
                "sentence_index": _sentence_of(sentences, start),
                "sentence_index_end": _sentence_of(sentences, end - 1),
                "char_start": start,
                "char_end": end,
                "text": q.text,
                "quote_type": q.quote_type,
                "cue_text": q.cue,
                "cue_lemma": q.cue_lemma,
                "cue_char_start": cue[0] if cue else None,
                "cue_char_end": cue[1] if cue else None,
                "speaker_text": body[speaker[0] : speaker[1]] if speaker else None,
                "speaker_mention_id": ids[q.speaker] if q.speaker else None,
                "speaker_char_start": speaker[0] if speaker else None,
                "speaker_char_end": speaker[1] if speaker else None,
                "speaker_method": q.method,
                "confidence": q.confidence,
            }
        )
    events = []
    for e in spec.events:
        clause = _find(body, e.clause)
        trigger = _within(body, clause, e.trigger)
        subject = _within(body, clause, e.subject[0]) if e.subject else None
        obj = _within(body, clause, e.obj[0]) if e.obj else None
        preps = []
        for prep, text, key in e.preps:
            span = spans[key] if key else _within(body, clause, text)
            preps.append(
                {
                    "prep": prep,
                    "text": text,
                    "char_start": span[0],
                    "char_end": span[1],
                    "mention_id": ids[key] if key else None,
                }
            )
        events.append(
            base
            | {
                "event_candidate_id": _hash(article_id, extractor_version, "event", trigger[0]),
                "sentence_index": _sentence_of(sentences, clause[0]),
                "char_start": clause[0],
                "char_end": clause[1],
                "trigger_text": e.trigger,
                "trigger_lemma": e.lemma,
                "trigger_pos": e.pos,
                "trigger_char_start": trigger[0],
                "trigger_char_end": trigger[1],
                "subject_text": e.subject[0] if e.subject else None,
                "subject_char_start": subject[0] if subject else None,
                "subject_char_end": subject[1] if subject else None,
                "subject_mention_id": ids[e.subject[1]] if e.subject and e.subject[1] else None,
                "object_text": e.obj[0] if e.obj else None,
                "object_char_start": obj[0] if obj else None,
                "object_char_end": obj[1] if obj else None,
                "object_mention_id": ids[e.obj[1]] if e.obj and e.obj[1] else None,
                "prep_args": preps,
                "is_negated": e.is_negated,
                "modality": e.modality,
                "confidence": e.confidence,
            }
        )
    return {
        "sentences": [base | s for s in sentences],
        "entity_mentions": mentions,
        "actor_descriptors": descriptors,
        "quotes": quotes,
        "event_candidates": events,
    }


def _read_body(path: Path) -> str:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = [line.strip() for line in text.strip().split("\n")]
    return "\n".join(lines)


def _article_row(
    article_id: str,
    body: str,
    *,
    raw_path: Path,
    run_id: str,
    ingested_at: str,
    source: str | None,
    url: str | None,
    title: str | None,
    published_at: str | None,
    dateline_place: str | None = None,
    version: int = 1,
    previous_version_id: str | None = None,
    duplicate_of: str | None = None,
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "version": version,
        "previous_version_id": previous_version_id,
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "source": source,
        "url": url,
        "canonical_url": url,
        "external_id": None,
        "title": title,
        "authors": [],
        "byline": None,
        "dateline": None,
        "dateline_place": dateline_place,
        "published_at": _ts(published_at) if published_at else None,
        "published_at_raw": published_at,
        "language": "en",
        "body": body,
        "paragraphs": _paragraphs(body),
        "char_count": len(body),
        "word_count": len(body.split()),
        "duplicate_of": duplicate_of,
        "duplicate_similarity": 0.93 if duplicate_of else None,
        "format": raw_path.suffix.lstrip("."),
        "raw_path": str(raw_path.relative_to(REPO_ROOT)),
        "record_locator": "",
        "warnings": [],
        "ingest_run_id": run_id,
        "ingested_at": _ts(ingested_at),
    }


_TABLES = ("sentences", "entity_mentions", "actor_descriptors", "quotes", "event_candidates")


def _insert(con: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    frame = pl.DataFrame(rows, infer_schema_length=None)  # noqa: F841  (scanned by DuckDB)
    con.execute(f"insert into raw.{table} by name select * from frame").fetchall()


def _annotation_run(run_id: str, version: str, started: str, articles: int) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "extractor_version": version,
        "started_at": _ts(started),
        "ended_at": _ts(started),
        "status": "succeeded",
        "workers": 1,
        "articles": articles,
    }


def _annotate(
    tables: dict[str, list[dict[str, Any]]],
    annotated: list[dict[str, Any]],
    article: dict[str, Any],
    spec: Spec,
    version: str,
    run_id: str,
    annotated_at: str,
) -> None:
    rows = _annotation_rows(article["article_id"], article["body"], spec, version, run_id)
    for table in _TABLES:
        tables.setdefault(table, []).extend(rows[table])
    annotated.append(
        {
            "article_id": article["article_id"],
            "extractor_version": version,
            "annotation_run_id": run_id,
            "annotated_at": _ts(annotated_at),
        }
    )


def build_fixture(db_path: Path) -> Path:
    """Create (or extend) a warehouse at db_path with four annotated sample articles."""
    seed_path = SAMPLE_DIR / "seed" / "000_ad70f5b0aec4cc1d.txt"
    duda_path = SAMPLE_DIR / "txt" / "001_duda_nato_spending.txt"
    seed_body = _read_body(seed_path)
    copy_body = "PARIS (Euro Wire) - " + seed_body.replace("seismic shift", "dramatic shift")
    duda_v1 = _read_body(duda_path)
    duda_v2 = duda_v1.replace("300,000 soldiers", "300,000 troops")
    duda_url = "https://samplewire.example/2024/03/03/duda-nato-spending"

    seed = _article_row(
        SEED_ARTICLE_ID,
        seed_body,
        raw_path=seed_path,
        run_id=INGEST_RUN_1,
        ingested_at="2024-02-28 08:00:00",
        source=None,
        url=None,
        title=None,
        published_at=None,
    )
    copy = _article_row(
        SEED_COPY_ARTICLE_ID,
        copy_body,
        raw_path=SAMPLE_DIR / "jsonl" / "euro_wire.jsonl",
        run_id=INGEST_RUN_1,
        ingested_at="2024-02-28 08:00:00",
        source="Euro Wire",
        url="https://eurowire.example/2024/02/27/macron-troops",
        title="Macron refuses to rule out troops",
        published_at="2024-02-27 06:30:00",
        dateline_place="Paris",
        duplicate_of=SEED_ARTICLE_ID,
    )
    duda1 = _article_row(
        DUDA_V1_ARTICLE_ID,
        duda_v1,
        raw_path=duda_path,
        run_id=INGEST_RUN_1,
        ingested_at="2024-03-03 13:00:00",
        source="Sample Wire",
        url=duda_url,
        title="Duda urges NATO allies to lift defence spending to 3% of GDP",
        published_at="2024-03-03 12:00:00",
        dateline_place="Warsaw",
    )
    duda2 = _article_row(
        DUDA_V2_ARTICLE_ID,
        duda_v2,
        raw_path=SAMPLE_DIR / "html" / "duda_corrected.html",
        run_id=INGEST_RUN_2,
        ingested_at="2024-03-04 09:00:00",
        source="Sample Wire",
        url=duda_url,
        title="Duda urges NATO allies to lift defence spending to 3% of GDP",
        published_at="2024-03-03 12:00:00",
        dateline_place="Warsaw",
        version=2,
        previous_version_id=DUDA_V1_ARTICLE_ID,
    )
    articles = [seed, copy, duda1, duda2]

    tables: dict[str, list[dict[str, Any]]] = {}
    annotated: list[dict[str, Any]] = []
    _annotate(tables, annotated, seed, SEED_SPEC_OLD, OLD_EXTRACTOR, ANNOTATION_RUN_OLD, "2024-02-28 09:00:00")
    for article, spec in ((seed, SEED_SPEC), (copy, SEED_SPEC), (duda1, DUDA_SPEC), (duda2, DUDA_SPEC)):
        _annotate(tables, annotated, article, spec, EXTRACTOR, ANNOTATION_RUN_1, "2024-03-04 10:00:00")

    ingest_runs = [
        {
            "run_id": INGEST_RUN_1,
            "started_at": _ts("2024-02-28 08:00:00"),
            "ended_at": _ts("2024-02-28 08:01:00"),
            "status": "succeeded",
            "inputs": ["seeds/articles"],
            "files": 4,
            "records": 5,
            "loaded": 3,
            "already_present": 0,
            "duplicates": 1,
            "new_versions": 0,
            "near_duplicates": 1,
            "rejected": 1,
            "warnings": 0,
            "tool_version": "0.1.0",
        },
        {
            "run_id": INGEST_RUN_2,
            "started_at": _ts("2024-03-04 09:00:00"),
            "ended_at": _ts("2024-03-04 09:00:05"),
            "status": "succeeded",
            "inputs": ["seeds/articles/html"],
            "files": 1,
            "records": 1,
            "loaded": 1,
            "already_present": 0,
            "duplicates": 0,
            "new_versions": 1,
            "near_duplicates": 0,
            "rejected": 0,
            "warnings": 0,
            "tool_version": "0.1.0",
        },
    ]
    rejected = [
        {
            "reject_id": _hash("reject", "malformed/broken.json"),
            "raw_path": "seeds/articles/malformed/broken.json",
            "record_locator": "",
            "reason_code": "invalid_json",
            "message": "Expecting ',' delimiter: line 3",
            "raw_snippet": '{"title": "Broken" "text":',
            "ingest_run_id": INGEST_RUN_1,
            "rejected_at": _ts("2024-02-28 08:00:30"),
        },
    ]
    duplicates = [
        {
            "raw_path": "seeds/articles/txt/000_copy.txt",
            "record_locator": "",
            "content_sha256": seed["content_sha256"],
            "duplicate_of": SEED_ARTICLE_ID,
            "ingest_run_id": INGEST_RUN_1,
            "seen_at": _ts("2024-02-28 08:00:40"),
        },
    ]
    annotation_runs = [
        _annotation_run(ANNOTATION_RUN_OLD, OLD_EXTRACTOR, "2024-02-28 09:00:00", 1),
        _annotation_run(ANNOTATION_RUN_1, EXTRACTOR, "2024-03-04 10:00:00", 4),
    ]

    con = connect(db_path)
    try:
        with transaction(con):
            _insert(con, "ingest_runs", ingest_runs)
            _insert(con, "articles", articles)
            _insert(con, "rejected_documents", rejected)
            _insert(con, "duplicate_documents", duplicates)
            _insert(con, "annotation_runs", annotation_runs)
            _insert(con, "annotated_articles", annotated)
            for table in _TABLES:
                _insert(con, table, tables.get(table, []))
    finally:
        con.close()
    return db_path


def add_incremental_article(db_path: Path) -> str:
    """Ingest and annotate one more article (Scholz rules out Taurus); return its article_id."""
    path = SAMPLE_DIR / "txt" / "002_scholz_taurus.txt"
    body = _read_body(path)
    article = _article_row(
        SCHOLZ_ARTICLE_ID,
        body,
        raw_path=path,
        run_id=INGEST_RUN_3,
        ingested_at="2024-03-05 08:00:00",
        source="Sample Wire",
        url="https://samplewire.example/2024/03/04/scholz-taurus",
        title=None,
        published_at="2024-03-04 15:00:00",
        dateline_place="Berlin",
    )
    tables: dict[str, list[dict[str, Any]]] = {}
    annotated: list[dict[str, Any]] = []
    _annotate(tables, annotated, article, SCHOLZ_SPEC, EXTRACTOR, ANNOTATION_RUN_2, "2024-03-05 09:00:00")
    con = connect(db_path)
    try:
        with transaction(con):
            _insert(
                con,
                "ingest_runs",
                [
                    {
                        "run_id": INGEST_RUN_3,
                        "started_at": _ts("2024-03-05 08:00:00"),
                        "ended_at": _ts("2024-03-05 08:00:02"),
                        "status": "succeeded",
                        "inputs": [str(path)],
                        "files": 1,
                        "records": 1,
                        "loaded": 1,
                        "tool_version": "0.1.0",
                    },
                ],
            )
            _insert(con, "articles", [article])
            _insert(con, "annotation_runs", [_annotation_run(ANNOTATION_RUN_2, EXTRACTOR, "2024-03-05 09:00:00", 1)])
            _insert(con, "annotated_articles", annotated)
            for table in _TABLES:
                _insert(con, table, tables.get(table, []))
    finally:
        con.close()
    return SCHOLZ_ARTICLE_ID


def add_corrected_version(db_path: Path) -> str:
    """Ingest and annotate a third version of the Duda article (a correction); return its id.

    After the next dbt run the facts must hold its rows and none of version 2 any more.
    """
    duda_path = SAMPLE_DIR / "txt" / "001_duda_nato_spending.txt"
    body = (
        _read_body(duda_path)
        .replace("300,000 soldiers", "300,000 troops")
        .replace("By Jane Doe", "By Jane Doe and John Roe")
    )
    article = _article_row(
        DUDA_V3_ARTICLE_ID,
        body,
        raw_path=SAMPLE_DIR / "html" / "duda_corrected_again.html",
        run_id=INGEST_RUN_4,
        ingested_at="2024-03-05 10:00:00",
        source="Sample Wire",
        url="https://samplewire.example/2024/03/03/duda-nato-spending",
        title="Duda urges NATO allies to lift defence spending to 3% of GDP",
        published_at="2024-03-03 12:00:00",
        dateline_place="Warsaw",
        version=3,
        previous_version_id=DUDA_V2_ARTICLE_ID,
    )
    tables: dict[str, list[dict[str, Any]]] = {}
    annotated: list[dict[str, Any]] = []
    _annotate(tables, annotated, article, DUDA_SPEC, EXTRACTOR, ANNOTATION_RUN_3, "2024-03-05 11:00:00")
    con = connect(db_path)
    try:
        with transaction(con):
            _insert(
                con,
                "ingest_runs",
                [
                    {
                        "run_id": INGEST_RUN_4,
                        "started_at": _ts("2024-03-05 10:00:00"),
                        "ended_at": _ts("2024-03-05 10:00:01"),
                        "status": "succeeded",
                        "inputs": [article["raw_path"]],
                        "files": 1,
                        "records": 1,
                        "loaded": 1,
                        "new_versions": 1,
                        "tool_version": "0.1.0",
                    },
                ],
            )
            _insert(con, "articles", [article])
            _insert(con, "annotation_runs", [_annotation_run(ANNOTATION_RUN_3, EXTRACTOR, "2024-03-05 11:00:00", 1)])
            _insert(con, "annotated_articles", annotated)
            for table in _TABLES:
                _insert(con, table, tables.get(table, []))
    finally:
        con.close()
    return DUDA_V3_ARTICLE_ID


if __name__ == "__main__":  # pragma: no cover - developer convenience
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb")
    if target.exists():
        target.unlink()
    build_fixture(target)
    print(target)
