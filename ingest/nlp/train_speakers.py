"""Train the speaker ranker (ingest/nlp/components/speaker_model.json) on PolNeAR `train`.

    .venv/bin/python -m ingest.nlp.train_speakers ../shared/corpora/polnear/train [--folds 5] [--out PATH]

Runs the annotate pipeline with the ranker switched off, collects for every direct or partial
quote that matches a gold attribution the ranker's candidates, labels a candidate right when its
span overlaps the gold Source (or "no speaker" when the gold has none), and fits a conditional
logistic regression (softmax over one quote's candidates, L2) with scipy's L-BFGS. Deterministic:
the same corpus and code give the same JSON. --folds N also prints N-fold cross-validated
accuracy (folds by article) next to the rules' accuracy on the same quotes. Tune on train only;
dev is for `newswh evaluate`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse
from spacy.language import Language
from spacy.tokens import Doc

from ingest.evaluate.gold import GoldDoc, read_brat_dir
from ingest.evaluate.scorer import _group_by_cue, _overlaps, _token_index, _tokens_in, match_statements
from ingest.nlp.components.speaker_ranker import MODEL_PATH, Candidate, SpeakerModel
from ingest.nlp.pipeline import build_nlp, pipe
from ingest.nlp.records import Statement
from ingest.nlp.rows import doc_rows

L2 = 1.0
DROP_L2 = 3.0
DROP_THRESHOLD = 0.45  # drop a quote group above this probability of matching no gold (5-fold CV on train)
MAX_ITER = 300


@dataclass
class Group:
    doc_id: str
    feats: list[dict[str, float]]
    labels: list[bool]
    spans: list[tuple[int, int] | None]  # candidate char spans (for error analysis)
    content: tuple[int, int]
    source: tuple[tuple[int, int], ...]


def collect(nlp: Language, golds: Sequence[GoldDoc], docs: Iterable[Doc] | None = None) -> list[Group]:
    """Candidate groups with labels for every ranked quote that matches a gold attribution.
    `docs`: already annotated docs in the order of the gold texts (the quote step is re-run on them)."""
    qa = nlp.get_pipe("newswh_quote_attributor")
    saved = qa.speaker_model  # type: ignore[attr-defined]
    seen: list[tuple[Doc, Statement, list[Candidate]]] = []
    qa.speaker_model = None  # type: ignore[attr-defined]
    qa.collect = lambda doc, st, cands: seen.append((doc, st, cands))  # type: ignore[attr-defined]
    texts: dict[str, str] = {}
    for g in golds:
        texts.setdefault(g.doc_id, g.text)
    by_doc: dict[str, list[GoldDoc]] = {}
    for g in golds:
        by_doc.setdefault(g.doc_id, []).append(g)
    groups: list[Group] = []
    try:
        stream = (qa(d) for d in docs) if docs is not None else pipe(nlp, ((t, None) for t in texts.values()))
        for doc_id, doc in zip(texts, stream, strict=True):
            mine: dict[tuple[object, ...], list[Candidate]] = {
                (st.char_start, st.char_end, st.quote_type, st.cue): cands for d, st, cands in seen if d is doc}
            seen.clear()
            rows = doc_rows(doc, doc_id, "train", "train")
            for gold in by_doc[doc_id]:
                groups.extend(_label(doc, doc_id, gold, rows["quotes"], mine))
    finally:
        qa.speaker_model = saved  # type: ignore[attr-defined]
        qa.collect = None  # type: ignore[attr-defined]
    return groups


@dataclass
class QuoteGroup:
    doc_id: str
    feats: dict[str, float]
    bad: bool  # matched no gold attribution (spurious)


def collect_quote_groups(nlp: Language, golds: Sequence[GoldDoc], docs: Sequence[Doc],
                         model: SpeakerModel) -> list[QuoteGroup]:
    """Keep/drop instances: every quote group the pipeline (with the speaker ranker, no dropping) outputs,
    bad when the scorer matches it to no gold attribution."""
    qa = nlp.get_pipe("newswh_quote_attributor")
    saved = qa.speaker_model  # type: ignore[attr-defined]
    seen: list[tuple[list[Statement], dict[str, float]]] = []
    qa.speaker_model = SpeakerModel(model.weights)  # type: ignore[attr-defined]
    qa.collect_groups = lambda doc, group, feats: seen.append((group, feats))  # type: ignore[attr-defined]
    by_doc: dict[str, list[GoldDoc]] = {}
    for g in golds:
        by_doc.setdefault(g.doc_id, []).append(g)
    out: list[QuoteGroup] = []
    try:
        for doc_id, doc in zip(by_doc, docs, strict=True):
            seen.clear()
            qa(doc)
            rows = doc_rows(doc, doc_id, "train", "train")
            index = _token_index(doc.text)
            sys_groups, sys_tokens = _system_groups(rows["quotes"], index)
            key_of = {(r["char_start"], r["char_end"], r["quote_type"]): si
                      for si, grp in enumerate(sys_groups) for r in grp}
            for gold in by_doc[doc_id]:
                matched = {si for _, si in _matches(gold, sys_tokens, index)}
                for group, feats in seen:
                    si = next((key_of[k] for k in ((st.char_start, st.char_end, st.quote_type) for st in group)
                               if k in key_of), None)
                    if si is not None:
                        out.append(QuoteGroup(doc_id, feats, si not in matched))
    finally:
        qa.speaker_model = saved  # type: ignore[attr-defined]
        qa.collect_groups = None  # type: ignore[attr-defined]
    return out


def _features(rows: Sequence[dict[str, float]], names: list[str]) -> sparse.csr_matrix:
    """One sparse row per feature dict, columns in `names` order; features not named are left out."""
    col = {n: i for i, n in enumerate(names)}
    row_ix, col_ix, vals = [], [], []
    for r, feats in enumerate(rows):
        for k, v in feats.items():
            j = col.get(k)
            if j is not None:
                row_ix.append(r)
                col_ix.append(j)
                vals.append(v)
    return sparse.csr_matrix((vals, (row_ix, col_ix)), shape=(len(rows), len(names)), dtype=np.float64)


def _minimise(loss: Callable[[np.ndarray], tuple[float, np.ndarray]], names: list[str]) -> dict[str, float]:
    """L-BFGS from zero weights; the non-zero weights, rounded as the model file stores them."""
    res = optimize.minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITER})
    return {k: round(float(v), 4) for k, v in zip(names, res.x, strict=True) if round(float(v), 4) != 0.0}


def fit_binary(groups: Sequence[QuoteGroup], l2: float = L2) -> dict[str, float]:
    names = sorted({k for g in groups for k in g.feats})
    X = _features([g.feats for g in groups], names)
    y = np.array([g.bad for g in groups], dtype=np.float64)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.asarray(X @ w)
        value = float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * float(w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        return value, np.asarray(X.T @ (p - y)) + l2 * w

    return _minimise(loss, names)


def _label(doc: Doc, doc_id: str, gold: GoldDoc, quotes: list[dict[str, object]],
           cands_by_key: dict[tuple[object, ...], list[Candidate]]) -> list[Group]:
    index = _token_index(gold.text)
    sys_groups, sys_tokens = _system_groups(quotes, index)
    out: list[Group] = []
    for gi, si in _matches(gold, sys_tokens, index):
        source = gold.statements[gi].source
        for r in sys_groups[si]:
            cue = (r["cue_char_start"], r["cue_char_end"]) if r.get("cue_char_start") is not None else None
            cands = cands_by_key.get((r["char_start"], r["char_end"], r["quote_type"], cue))
            if not cands:
                continue
            spans = [None if c.span is None else (doc[c.span[0]].idx, doc[c.span[1] - 1].idx + len(doc[c.span[1] - 1]))
                     for c in cands]
            labels = [(not source) if span is None else bool(source) and (
                _overlaps(span, source) or (c.resolved is not None and _overlaps(c.resolved, source)))
                for c, span in zip(cands, spans, strict=True)]
            out.append(Group(doc_id, [c.feats for c in cands], labels, spans,
                             (int(r["char_start"]), int(r["char_end"])), source))  # type: ignore[call-overload]
            break  # one instance per matched attribution
    return out


def _system_groups(quotes: list[dict[str, object]], index: list[tuple[int, int]]
                   ) -> tuple[list[list[dict[str, object]]], list[set[int]]]:
    """The statements grouped by cue as the scorer groups them, with each group's content tokens."""
    groups = _group_by_cue(quotes)  # type: ignore[arg-type]
    tokens = [_tokens_in([(int(r["char_start"]), int(r["char_end"])) for r in grp], index)  # type: ignore[call-overload]
              for grp in groups]
    return groups, tokens  # type: ignore[return-value]


def _matches(gold: GoldDoc, sys_tokens: list[set[int]], index: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(gold statement, system group) pairs the scorer would match."""
    return match_statements([_tokens_in(g.content, index) for g in gold.statements], sys_tokens)


class Design:
    """Stacked sparse candidate features, each row's group, and which rows are the gold speaker."""

    def __init__(self, groups: Sequence[Group], names: list[str]) -> None:
        self.X = _features([feats for g in groups for feats in g.feats], names)
        sizes = np.array([len(g.feats) for g in groups], dtype=np.int64)
        self.pos = np.array([lab for g in groups for _, lab in zip(g.feats, g.labels, strict=True)], dtype=bool)
        self.group_of = np.repeat(np.arange(len(groups)), sizes)

    def scores(self, w: np.ndarray) -> np.ndarray:
        return np.asarray(self.X @ w)


def _seg_logsumexp(s: np.ndarray, group_of: np.ndarray, n: int) -> np.ndarray:
    top = np.full(n, -np.inf)
    np.maximum.at(top, group_of, s)
    top = np.where(np.isfinite(top), top, 0.0)
    sums = np.zeros(n)
    np.add.at(sums, group_of, np.exp(s - top[group_of]))
    with np.errstate(divide="ignore"):
        return np.log(sums) + top


def fit(groups: Sequence[Group], l2: float = L2) -> dict[str, float]:
    groups = [g for g in groups if any(g.labels)]
    names = sorted({k for g in groups for f in g.feats for k in f})
    d = Design(groups, names)
    n = len(groups)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = d.scores(w)
        lse_all = _seg_logsumexp(s, d.group_of, n)
        s_pos = np.where(d.pos, s, -np.inf)
        lse_pos = _seg_logsumexp(s_pos, d.group_of, n)
        value = float(np.sum(lse_all - lse_pos)) + 0.5 * l2 * float(w @ w)
        p_all = np.exp(s - lse_all[d.group_of])
        p_pos = np.where(d.pos, np.exp(s_pos - lse_pos[d.group_of]), 0.0)
        grad = np.asarray(d.X.T @ (p_all - p_pos)) + l2 * w
        return value, grad

    return _minimise(loss, names)


def accuracy(groups: Sequence[Group], weights: dict[str, float] | None) -> float:
    """Share of quotes whose chosen candidate is labelled right (weights None: the rules' pick, first)."""
    right = 0
    for g in groups:
        if weights is None:
            k = 0
        else:
            scores = [sum(weights.get(f, 0.0) * v for f, v in feats.items()) for feats in g.feats]
            k = max(range(len(scores)), key=lambda i: (scores[i], -i))
        right += g.labels[k]
    return right / len(groups) if groups else 0.0


def cross_validate(groups: Sequence[Group], folds: int) -> list[tuple[float, float]]:
    """Per fold (articles split by sorted id, i mod folds): the rules' and the ranker's accuracy."""
    fold_of = _folds([g.doc_id for g in groups], folds)
    out = []
    for k in range(folds):
        train = [g for g in groups if fold_of[g.doc_id] != k]
        test = [g for g in groups if fold_of[g.doc_id] == k]
        out.append((accuracy(test, None), accuracy(test, fit(train))))
    return out


def cross_validate_drop(groups: Sequence[QuoteGroup], folds: int) -> tuple[int, int, int]:
    """Held-out drop decisions: (bad groups, bad dropped, good dropped)."""
    fold_of = _folds([g.doc_id for g in groups], folds)
    bad = dropped_bad = dropped_good = 0
    for k in range(folds):
        weights = fit_binary([g for g in groups if fold_of[g.doc_id] != k], DROP_L2)
        model = SpeakerModel({}, weights, DROP_THRESHOLD)
        for g in (g for g in groups if fold_of[g.doc_id] == k):
            bad += g.bad
            if model.drop_probability(g.feats) > DROP_THRESHOLD:
                dropped_bad += g.bad
                dropped_good += not g.bad
    return bad, dropped_bad, dropped_good


def _folds(doc_ids: Iterable[str], folds: int) -> dict[str, int]:
    return {doc_id: i % folds for i, doc_id in enumerate(sorted(set(doc_ids)))}


def write_model(weights: dict[str, float], drop: dict[str, float], path: Path, n_groups: int, n_quote_groups: int,
                n_docs: int) -> None:
    data = {"about": "speaker ranker and quote keep/drop weights, from: python -m ingest.nlp.train_speakers "
                     "<polnear/train> (PolNeAR train only)",
            "l2": L2, "quotes": n_groups, "articles": n_docs, "weights": dict(sorted(weights.items())),
            "drop": {"l2": DROP_L2, "threshold": DROP_THRESHOLD, "groups": n_quote_groups,
                     "weights": dict(sorted(drop.items()))}}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def train(train_dir: Path, out: Path, folds: int = 0, limit: int | None = None,
          nlp: Language | None = None) -> dict[str, object]:
    """Annotate `train_dir` once, fit the ranker, then the keep/drop model with the ranker on; write `out`."""
    golds = read_brat_dir(train_dir, limit)
    nlp = nlp or build_nlp()
    texts: dict[str, str] = {}
    for g in golds:
        texts.setdefault(g.doc_id, g.text)
    docs = list(pipe(nlp, ((t, None) for t in texts.values())))
    groups = collect(nlp, golds, docs)
    weights = fit(groups)
    quote_groups = collect_quote_groups(nlp, golds, docs, SpeakerModel(weights))
    drop = fit_binary(quote_groups, DROP_L2)
    write_model(weights, drop, out, len(groups), len(quote_groups), len(texts))
    report: dict[str, object] = {
        "articles": len(texts), "quotes": len(groups), "rules_accuracy": round(accuracy(groups, None), 4),
        "ranker_train_accuracy": round(accuracy(groups, weights), 4), "weights": len(weights),
        "quote_groups": len(quote_groups), "bad_groups": sum(g.bad for g in quote_groups)}
    if folds:
        report["cv_rules_ranker"] = [(round(a, 4), round(b, 4)) for a, b in cross_validate(groups, folds)]
        report["cv_drop_bad_droppedbad_droppedgood"] = cross_validate_drop(quote_groups, folds)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train_dir", type=Path, help="PolNeAR train split (text/, attributions/)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=int, default=0, help="also print N-fold cross-validated accuracy")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args(argv)
    report = train(args.train_dir, args.out, args.folds, args.limit)
    for key, value in report.items():
        print(f"{key}: {value}", file=sys.stderr)
    print(f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
