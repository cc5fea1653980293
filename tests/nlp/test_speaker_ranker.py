"""The learnt speaker ranker and quote keep/drop model (speaker_model.json) and the rules around them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from ingest.nlp.components.speaker_ranker import MODEL_PATH, Candidate, SpeakerModel
from ingest.nlp.train_speakers import train
from ingest.settings import REPO_ROOT

POLNEAR_TRAIN = REPO_ROOT.parent / "shared" / "corpora" / "polnear" / "train"


def _statement(doc: Doc, fragment: str) -> object:
    hits = [s for s in doc._.newswh_statements if fragment in s.text]
    assert hits, [s.text for s in doc._.newswh_statements]
    return hits[0]


def test_committed_model_loads_and_scores_deterministically() -> None:
    model = SpeakerModel.load(MODEL_PATH)
    assert model is not None and len(model.weights) > 50 and model.drop_weights
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["articles"] == 840 and 0.0 < data["drop"]["threshold"] < 1.0
    feats = {"rule": 1.0, "dep:nsubj": 1.0, "ent:PERSON": 1.0}
    expected = sum(model.weights.get(k, 0.0) for k in feats)
    assert model.score(feats) == pytest.approx(expected)
    assert model.score(feats) == model.score(dict(feats))  # same features, same order: same bits
    # ties keep the first candidate (the rule's pick)
    a, b = Candidate((0, 1), dict(feats)), Candidate((2, 3), dict(feats))
    assert model.best([a, b]) is a
    assert 0.0 < model.drop_probability({"bias": 1.0}) < 1.0


def test_ranker_fixes_a_speaker_the_rules_get_wrong(annotate_text: Callable[[str], Doc], nlp: Language) -> None:
    # the rules take "what" (subject of "happened", the verb next to the colon); the ranker the apologizer
    text = ("The inquiry is over.\n\nAnna Berg has since apologized for what happened: \"Yes, I should have "
            "used two accounts. I'm sorry about it, and I take full responsibility.\"\n")
    qa = nlp.get_pipe("newswh_quote_attributor")
    saved = qa.speaker_model  # type: ignore[attr-defined]
    try:
        qa.speaker_model = None  # type: ignore[attr-defined]
        rules = _statement(annotate_text(text), "full responsibility")
    finally:
        qa.speaker_model = saved  # type: ignore[attr-defined]
    ranked = _statement(annotate_text(text), "full responsibility")
    assert rules.speaker_text == "what"  # type: ignore[attr-defined]
    assert ranked.speaker_text == "Anna Berg"  # type: ignore[attr-defined]
    assert ranked.speaker_method == "subject"  # type: ignore[attr-defined]


def test_candidates_cover_the_sentence_and_score_the_same_twice(annotate_text: Callable[[str], Doc],
                                                               nlp: Language) -> None:
    doc = annotate_text("The mayor spoke first.\n\n\u201cWe will rebuild,\u201d said Anna Berg, the city's mayor.\n")
    qa = nlp.get_pipe("newswh_quote_attributor")
    seen: list[list[Candidate]] = []
    qa.collect = lambda d, st, cands: seen.append(cands)  # type: ignore[attr-defined]
    try:
        qa(doc)
        qa(doc)
    finally:
        qa.collect = None  # type: ignore[attr-defined]
    first, second = seen
    assert [c.span for c in first] == [c.span for c in second]
    assert [c.feats for c in first] == [c.feats for c in second]
    spans = {doc[c.span[0] : c.span[1]].text for c in first if c.span is not None}
    assert "Anna Berg" in spans and any(c.span is None for c in first)  # 'no speaker' is a candidate


def test_quote_continued_in_the_next_paragraph_shares_the_cue(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("\u201cWe are going to win this state,\u201d Jane Miller said.\n\n"
                        "\u201cAnd then we will win the next one.\u201d\n")
    first, second = _statement(doc, "win this state"), _statement(doc, "the next one")
    assert second.speaker_text == "Jane Miller" and second.cue == first.cue  # type: ignore[attr-defined]


def test_parenthetical_cue_inside_a_clause_reports_both_parts(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Sharing a long border, the two nations, Xi said, now have a \"golden opportunity\" "
                        "to deepen their friendship.\n")
    parts = [s for s in doc._.newswh_statements if s.cue_text == "said" and s.quote_type == "indirect"]
    texts = " | ".join(s.text for s in parts)
    assert len(parts) == 2 and texts.startswith("Sharing a long border") and "now have" in texts, texts
    assert all(s.speaker_text == "Xi" for s in parts)


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/corpora/polnear not available")
def test_training_is_deterministic_on_a_slice(tmp_path: Path, nlp: Language) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    train(POLNEAR_TRAIN, a, limit=12, nlp=nlp)
    train(POLNEAR_TRAIN, b, limit=12, nlp=nlp)
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text(encoding="utf-8"))["weights"]


@pytest.mark.slow
@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/corpora/polnear not available")
def test_training_reproduces_the_committed_weights(tmp_path: Path, nlp: Language) -> None:
    out = tmp_path / "model.json"
    train(POLNEAR_TRAIN, out, nlp=nlp)  # all 840 articles: a few minutes
    assert out.read_text(encoding="utf-8") == MODEL_PATH.read_text(encoding="utf-8")
