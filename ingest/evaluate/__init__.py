"""Evaluation harness: gold readers (JSONL, brat/PolNeAR) and a scorer with a per-item diff."""

from ingest.evaluate.run import evaluate
from ingest.evaluate.scorer import EvaluationReport

__all__ = ["EvaluationReport", "evaluate"]
