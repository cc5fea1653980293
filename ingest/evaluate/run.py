"""`evaluate()`: run the annotate code path in memory on gold articles and score it."""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.annotate import annotate_batch
from ingest.evaluate.gold import read_gold
from ingest.evaluate.scorer import (
    EvaluationReport,
    score_actors,
    score_events,
    score_statements_spans,
    score_statements_strings,
)
from ingest.nlp.pipeline import extractor_version

log = logging.getLogger(__name__)


def evaluate(gold_path: Path, fmt: str = "auto", limit: int | None = None, batch_size: int = 16) -> EvaluationReport:
    """Score the pipeline against a gold file (JSONL) or a PolNeAR split folder."""
    docs = read_gold(gold_path, fmt, limit)
    fmt_used = "polnear" if docs and docs[0].has_spans else "jsonl"
    report = EvaluationReport(str(gold_path), fmt_used, len({d.doc_id for d in docs}))
    version = extractor_version()
    texts: dict[str, str] = {}
    for d in docs:
        texts.setdefault(d.doc_id, d.text)
    rows_by_doc: dict[str, dict[str, list[dict[str, object]]]] = {}
    ids = list(texts)
    for i in range(0, len(ids), batch_size):
        chunk = ids[i : i + batch_size]
        rows = annotate_batch([(doc_id, texts[doc_id], None) for doc_id in chunk], version, "evaluate")
        for doc_id in chunk:
            rows_by_doc[doc_id] = {t: [r for r in v if r.get("article_id") == doc_id] for t, v in rows.items()}
    for d in docs:
        rows = rows_by_doc[d.doc_id]
        if d.has_spans:
            score_statements_spans(d, rows["quotes"], report, rows["entity_mentions"])
            continue
        score_statements_strings(d, rows["quotes"], report)
        if d.actors:
            score_actors(d, rows["entity_mentions"], report)
        if d.events:
            score_events(d, rows["event_candidates"], report)
    sp = report.scores.get("speaker_on_matched")
    report.speaker_accuracy = sp.precision if sp else None
    return report
