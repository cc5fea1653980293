"""What the components find, as frozen records with character offsets into the doc text.

Components write these into Doc._ extensions; ingest.nlp.rows turns them into table rows
(ids, sentence indexes) once the article id is known.
"""

from __future__ import annotations

from dataclasses import dataclass

CharSpan = tuple[int, int]


@dataclass(frozen=True)
class ParagraphInfo:
    char_start: int
    char_end: int
    is_heading: bool


@dataclass(frozen=True)
class Mention:
    char_start: int
    char_end: int
    text: str
    label: str
    model_label: str | None
    source: str  # ner | ruler | corrected | coref
    antecedent: CharSpan | None = None  # the full-name mention this one refers to


@dataclass(frozen=True)
class Descriptor:
    char_start: int
    char_end: int
    name: CharSpan
    name_text: str
    role: str | None
    country_text: str | None
    is_former: bool
    pattern: str  # premodifier | apposition


@dataclass(frozen=True)
class Statement:
    char_start: int
    char_end: int
    text: str
    quote_type: str  # direct | indirect | partial
    cue: CharSpan | None
    cue_text: str | None
    cue_lemma: str | None
    speaker: CharSpan | None  # as written where the cue finds it (may be "he", "the source")
    speaker_text: str | None
    speaker_resolved: CharSpan | None  # the full-name mention after coreference
    speaker_resolved_text: str | None
    speaker_method: str
    confidence: float


@dataclass(frozen=True)
class PrepArg:
    prep: str
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class EventCandidate:
    char_start: int
    char_end: int
    trigger: CharSpan
    trigger_text: str
    trigger_lemma: str
    trigger_pos: str
    cameo_code: str
    subject: CharSpan | None
    subject_text: str | None
    object: CharSpan | None
    object_text: str | None
    prep_args: tuple[PrepArg, ...]
    is_negated: bool
    modality: str
    confidence: float
