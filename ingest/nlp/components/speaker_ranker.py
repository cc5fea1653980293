"""Speaker ranker for direct and partial quotes: a log-linear model over candidate mentions.

The rules in quotes.py pick a speaker from the cue they found; when that cue is the wrong one (a verb
in a relative clause, a participle of another speaker, a quote that continues an earlier one) the
speaker is another person in the same sentence. The ranker looks at every noun-phrase head around the
quote (the sentence(s) of the quote and the one before it), the rule's pick, the speakers of the two
statements before it and "no speaker", describes each with cheap parse features (dependency, entity
label, position and distance to the quote, subject of a cue, the rule's method...) and picks the
candidate with the highest score. Weights are learnt on PolNeAR `train` by ingest.nlp.train_speakers
(conditional logistic regression, L2, deterministic) and stored in speaker_model.json beside this file.
No extra model pass: only the parse the pipeline already has.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ingest.nlp.components._util import PRONOUNS_PERSON, SUBJECT_DEPS, noun_phrase
from ingest.nlp.records import Mention, Statement

MODEL_PATH = Path(__file__).with_name("speaker_model.json")

_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "poss", "attr", "compound",
                   "npadvmod", "ROOT", "dative"})
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "pcomp", "xcomp", "csubj"})
_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our"})
_METHODS = ("subject", "appositive", "possessive", "according_to", "coref_pronoun", "coref_description",
            "previous_speaker", "none")
# features crossed pairwise (the model is linear; these are the ones whose combinations matter)
_CORE = ("rule", "subj_of_cue", "governs_quote", "after", "before", "same_sent", "prev_sent", "ent:PERSON",
         "pos:PRON", "dep:nsubj", "head_is_rule_cue", "prev1", "in_clause", "near")
_MAX_CANDIDATES = 40

Features = dict[str, float]


@dataclass
class Candidate:
    span: tuple[int, int] | None  # token start, end (exclusive); None: no speaker
    feats: Features = field(default_factory=dict)
    resolved: tuple[int, int] | None = None  # char span of the mention it resolves to (set for training only)


@dataclass(frozen=True)
class QuoteContext:
    """What the ranker needs about one statement: its quote tokens and the rule's decision."""

    statement: Statement
    first: int  # first content token
    last: int  # last content token (inclusive)
    rule_span: tuple[int, int] | None
    prev_spans: tuple[tuple[int, int], ...]  # speakers of the statements before it, latest first


class SpeakerModel:
    def __init__(self, weights: dict[str, float], drop_weights: dict[str, float] | None = None,
                 drop_threshold: float = 1.0) -> None:
        self.weights = weights
        self.drop_weights = drop_weights or {}
        self.drop_threshold = drop_threshold

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpeakerModel | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        drop = data.get("drop") or {}
        return cls({str(k): float(v) for k, v in data["weights"].items()},
                   {str(k): float(v) for k, v in drop.get("weights", {}).items()},
                   float(drop.get("threshold", 1.0)))

    def drop_probability(self, feats: Features) -> float:
        w = self.drop_weights
        return sigmoid(sum(w.get(k, 0.0) * v for k, v in feats.items()))

    def score(self, feats: Features) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def best(self, candidates: list[Candidate]) -> Candidate:
        """The highest-scoring candidate; ties keep the earlier one (the rule's pick comes first)."""
        best, best_score = candidates[0], self.score(candidates[0].feats)
        for c in candidates[1:]:
            s = self.score(c.feats)
            if s > best_score:
                best, best_score = c, s
        return best


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> SpeakerModel | None:
    return SpeakerModel.load(path)


def _dist_bin(d: int) -> str:
    return "1" if d <= 1 else "3" if d <= 3 else "6" if d <= 6 else "12" if d <= 12 else "25" if d <= 25 else "far"


def _cross(feats: Features) -> None:
    core = [k for k in _CORE if k in feats]
    for i, a in enumerate(core):
        for b in core[i + 1 :]:
            feats[f"{a}&{b}"] = 1.0


def token_frequencies(doc: Doc, mentions: list[Mention]) -> dict[int, int]:
    """Token index -> how often the entity its mention resolves to is mentioned in the doc."""
    counts: Counter[tuple[int, int]] = Counter()
    for m in mentions:
        counts[m.antecedent or (m.char_start, m.char_end)] += 1
    out: dict[int, int] = {}
    for m in mentions:
        span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
        if span is not None:
            n = counts[m.antecedent or (m.char_start, m.char_end)]
            for i in range(span.start, span.end):
                out[i] = max(out.get(i, 0), n)
    return out


def candidates(doc: Doc, qc: QuoteContext, in_quote: list[bool], is_cue: Callable[[Token], bool],
               freq: dict[int, int], rule_method: str, rule_cue: Token | None,
               para_of: Callable[[int], int]) -> list[Candidate]:
    """The rule's pick first, then 'no speaker', the previous speakers and the noun heads around the quote."""
    first_sent = doc[qc.first].sent
    last_sent = doc[qc.last].sent
    lo = doc[first_sent.start - 1].sent.start if first_sent.start > 0 else 0
    after = min(len(doc) - 1, qc.last + 3)
    hi = max(last_sent.end, doc[after].sent.end)
    quote_para = para_of(doc[qc.first].idx)
    tops = _tops(doc, qc.first, qc.last)
    governors: set[int] = set()
    for top in tops[:2]:
        node = top.head
        for _ in range(2):
            governors.add(node.i)
            if node.head is node:
                break
            node = node.head
    spans: dict[tuple[int, int], Candidate] = {}
    order: list[tuple[int, int]] = []

    def add(span: tuple[int, int], head: Token, extra: Features) -> None:
        c = spans.get(span)
        if c is None:
            c = spans[span] = Candidate(span, _token_features(doc, head, qc, in_quote, is_cue, freq, rule_cue,
                                                               governors, first_sent, last_sent, quote_para,
                                                               para_of))
            order.append(span)
        c.feats.update(extra)

    if qc.rule_span is not None:
        rs, re_ = qc.rule_span
        add(qc.rule_span, doc[rs:re_].root, {"rule": 1.0, f"rule:{rule_method}": 1.0})
    for n, ps in enumerate(qc.prev_spans[:2]):
        add(ps, doc[ps[0] : ps[1]].root, {f"prev{n + 1}": 1.0})
    for tok in doc[lo:hi]:
        if len(spans) >= _MAX_CANDIDATES:
            break
        if in_quote[tok.i] or qc.first <= tok.i <= qc.last or tok.pos_ not in {"PROPN", "NOUN", "PRON"}:
            continue
        if tok.dep_ in {"compound", "flat"} and tok.head.i != tok.i and tok.head.pos_ in {"PROPN", "NOUN"}:
            continue  # part of a longer name: its head is the candidate
        if tok.pos_ == "PRON" and tok.lower_ not in PRONOUNS_PERSON | _PLURAL_PRONOUNS | {"i", "who"}:
            continue
        np = noun_phrase(tok)
        add((np.start, np.end), tok, {})
    for span, c in spans.items():
        if qc.rule_span is not None and span != qc.rule_span and _overlap(span, qc.rule_span):
            c.feats["overlaps_rule"] = 1.0
        for n, ps in enumerate(qc.prev_spans[:2]):
            if span != ps and _overlap(span, ps):
                c.feats[f"overlaps_prev{n + 1}"] = 1.0
    out = [spans[s] for s in order]
    _ranks(out)
    if rule_cue is not None and qc.rule_span is not None:
        rule = spans[qc.rule_span].feats
        cue_dep = rule_cue.dep_ if rule_cue.dep_ in {"ROOT", "ccomp", "conj", "advcl", "relcl", "acl", "xcomp",
                                                     "parataxis", "pcomp"} else "other"
        rule[f"rule&cue_dep:{cue_dep}"] = 1.0
        if rule_cue.i in governors:
            rule["rule&cue_governs"] = 1.0
        if _adjacent(doc, rule_cue.i, qc, in_quote):
            rule["rule&cue_adjacent"] = 1.0
        if rule_cue.lemma_ == "say":
            rule["rule&cue_say"] = 1.0
    quote = _quote_features(doc, qc, in_quote, rule_method, para_of)
    for c in out:
        _cross(c.feats)
        for q in quote:
            for k in _QUOTE_CROSS:
                if k in c.feats:
                    c.feats[f"{q}|{k}"] = 1.0
    none = Candidate(None, {"none": 1.0, f"none&rule:{rule_method}": 1.0, **{f"none|{q}": 1.0 for q in quote}})
    if not tops:
        none.feats["none&no_tops"] = 1.0
    # the rule's pick keeps first place (ties go to it); 'no speaker' leads when the rule found none
    return [none, *out] if qc.rule_span is None else [out[0], none, *out[1:]]


def _quote_features(doc: Doc, qc: QuoteContext, in_quote: list[bool], rule_method: str,
                    para_of: Callable[[int], int]) -> list[str]:
    """What the quote's surroundings look like: how it opens and closes, where it sits in its paragraph."""
    out = [f"q_rule:{rule_method}"]
    before = next((t for t in reversed(doc[max(0, qc.first - 4) : qc.first]) if not t.is_space
                   and t.text not in {'"', "“", "''", "'", "‘", "``"}), None)
    after = next((t for t in doc[qc.last + 1 : qc.last + 5] if not t.is_space
                  and t.text not in {'"', "”", "''", "'", "’"}), None)
    last = doc[qc.last]
    if before is None or para_of(before.idx) != para_of(doc[qc.first].idx):
        out.append("q_opens_para")
    elif before.text == ":":
        out.append("q_after_colon")
    elif before.text == ",":
        out.append("q_after_comma")
    if after is None or para_of(after.idx) != para_of(doc[qc.first].idx):
        out.append("q_closes_para")
    elif last.text == "," or after.text == ",":
        out.append("q_comma_close")
    elif after.pos_ in {"VERB", "PROPN", "PRON", "DET", "NOUN"}:
        out.append("q_word_after")
    if qc.statement.quote_type == "partial":
        out.append("q_partial")
    return out


_QUOTE_CROSS = ("rule", "prev1", "subj_of_cue", "after", "before", "prev_sent", "pron_person", "near",
                "same_sent", "ent:PERSON", "governs_quote", "other_para")


def _ranks(cands: list[Candidate]) -> None:
    """Nearest first, on each side of the quote: among all candidates, subjects, persons."""
    for side in ("before", "after"):
        mine = [c for c in cands if side in c.feats and "_dist" in c.feats]
        mine.sort(key=lambda c: c.feats["_dist"])
        for kind, test in (("any", None), ("subj", "dep:nsubj"), ("person", "ent:PERSON"), ("pron", "pron_person")):
            n = 0
            for c in mine:
                if test is None or test in c.feats:
                    n += 1
                    c.feats[f"rank_{side}_{kind}{min(n, 3)}"] = 1.0
    for c in cands:
        c.feats.pop("_dist", None)


def _adjacent(doc: Doc, i: int, qc: QuoteContext, in_quote: list[bool]) -> bool:
    """Token i is within three words of the quote (nothing but punctuation and those words between)."""
    lo, hi = (i, qc.first) if i < qc.first else (qc.last + 1, i)
    return _words_between(doc, lo, hi, in_quote) <= 3


def _words_between(doc: Doc, lo: int, hi: int, in_quote: list[bool]) -> int:
    """Words (not punctuation, not quoted) among tokens lo..hi-1: the distance features count these."""
    return sum(1 for t in doc[lo:hi] if not t.is_punct and not t.is_space and not in_quote[t.i])


def _tops(doc: Doc, first: int, last: int) -> list[Token]:
    """The quote's tokens (first..last) whose head lies outside it: where it attaches to the sentence."""
    return [t for t in doc[first : last + 1] if not (first <= t.head.i <= last) and t.head is not t]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _token_features(doc: Doc, tok: Token, qc: QuoteContext, in_quote: list[bool], is_cue: Callable[[Token], bool],
                    freq: dict[int, int], rule_cue: Token | None, governors: set[int],
                    first_sent: Span, last_sent: Span, quote_para: int, para_of: Callable[[int], int]) -> Features:
    f: Features = {}
    dep = tok.dep_ if tok.dep_ in _DEPS else "other"
    f[f"dep:{dep}"] = 1.0
    f[f"pos:{tok.pos_ if tok.pos_ in {'PROPN', 'NOUN', 'PRON'} else 'other'}"] = 1.0
    ent = tok.ent_type_ if tok.ent_type_ in _ENTS else "none"
    f[f"ent:{ent}"] = 1.0
    low = tok.lower_
    if low in PRONOUNS_PERSON:
        f["pron_person"] = 1.0
    elif low in _PLURAL_PRONOUNS:
        f["pron_plural"] = 1.0
    elif low == "who":
        f["pron_who"] = 1.0
    head = tok.head
    if tok.dep_ in SUBJECT_DEPS and is_cue(head):
        f["subj_of_cue"] = 1.0
        if head.lemma_ == "say":
            f["subj_of_say"] = 1.0
    elif tok.dep_ in {"dobj", "attr", "npadvmod", "dative"} and is_cue(head):
        f["obj_of_cue"] = 1.0
    elif tok.dep_ == "pobj" and head.dep_ in {"agent", "prep"} and is_cue(head.head):
        f["pobj_of_cue"] = 1.0
    if rule_cue is not None and head.i == rule_cue.i:
        f["head_is_rule_cue"] = 1.0
    if head.i in governors and tok.dep_ in SUBJECT_DEPS:
        f["governs_quote"] = 1.0
    if any(c.dep_ == "appos" for c in tok.children):
        f["has_appos"] = 1.0
    if tok.pos_ == "NOUN" and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children):
        f["titled_noun"] = 1.0
    depth = 0
    node = tok
    for _ in range(8):
        if node.head is node:
            break
        if node.dep_ in _CLAUSE_DEPS:
            depth += 1
        node = node.head
    if depth:
        f["in_clause"] = 1.0
        if depth > 1:
            f["in_clause2"] = 1.0
    if tok.i < qc.first:
        f["before"] = 1.0
        d = _words_between(doc, tok.i, qc.first, in_quote)
        f[f"before_d{_dist_bin(d)}"] = 1.0
    else:
        f["after"] = 1.0
        d = _words_between(doc, qc.last + 1, tok.i, in_quote)
        f[f"after_d{_dist_bin(d)}"] = 1.0
    if d <= 3:
        f["near"] = 1.0
    f["_dist"] = float(d)
    if tok.dep_ in SUBJECT_DEPS and head.pos_ in {"VERB", "AUX"}:
        if _adjacent(doc, head.i, qc, in_quote):
            f["subj_of_adjacent_verb"] = 1.0
        if is_cue(head) and head.i in governors:
            f["subj_of_governing_cue"] = 1.0
    sent = tok.sent
    if sent.start == first_sent.start or sent.start == last_sent.start:
        f["same_sent"] = 1.0
    elif sent.end <= first_sent.start:
        f["prev_sent"] = 1.0
    else:
        f["next_sent"] = 1.0
    if para_of(tok.idx) != quote_para:
        f["other_para"] = 1.0
    first_subj = next((t for t in sent if t.dep_ in SUBJECT_DEPS and not in_quote[t.i]), None)
    if first_subj is not None and first_subj.i == tok.i:
        f["first_subj"] = 1.0
    n = freq.get(tok.i, 0)
    f[f"freq{0 if n == 0 else 1 if n == 1 else 3 if n <= 3 else 9}"] = 1.0
    return f


def softmax_probs(model: SpeakerModel, cands: list[Candidate]) -> list[float]:
    scores = [model.score(c.feats) for c in cands]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


# ---- keep or drop a direct/partial quote statement ------------------------------------------------
# A second small logistic model in the same file: the probability that a quote statement (with the
# statements sharing its cue) is not an attribution PolNeAR would mark (scare quotes, titles, a cue
# that belongs to another clause). Statements above the threshold are dropped.

_Q_DEPS = frozenset({"dobj", "oprd", "ccomp", "pobj", "appos", "attr", "nsubj", "xcomp", "conj", "advcl", "ROOT"})


def _len_bin(n: int) -> str:
    return "1" if n <= 1 else "2" if n <= 2 else "5" if n <= 5 else "10" if n <= 10 else "20" if n <= 20 else "more"


def group_features(doc: Doc, group: list[Statement], first: int, last: int, cue: Token | None,
                   in_quote: list[bool], para_of: Callable[[int], int]) -> Features:
    """Features of one cue group; `first`..`last`: content tokens of its first direct/partial quote."""
    f: Features = {"bias": 1.0}
    kinds = {st.quote_type for st in group}
    for k in sorted(kinds):
        f[f"has_{k}"] = 1.0
    f[f"n{min(len(group), 3)}"] = 1.0
    quote = next(st for st in group if st.quote_type in {"direct", "partial"})
    f[f"method:{quote.speaker_method}"] = 1.0
    f[f"conf:{quote.confidence}"] = 1.0
    if quote.speaker is None:
        f["speaker:none"] = 1.0
    else:
        sp = doc.char_span(quote.speaker[0], quote.speaker[1], alignment_mode="expand")
        root = sp.root if sp is not None and len(sp) else None
        if root is not None:
            f[f"speaker_ent:{root.ent_type_ if root.ent_type_ in _ENTS else 'none'}"] = 1.0
            f[f"speaker_pos:{root.pos_ if root.pos_ in {'PROPN', 'NOUN', 'PRON'} else 'other'}"] = 1.0
    words = [t for t in doc[first : last + 1] if not t.is_punct and not t.is_space]
    f[f"len{_len_bin(len(words))}"] = 1.0
    if any(t.pos_ in {"VERB", "AUX"} for t in words):
        f["q_verb"] = 1.0
    if words and sum(t.is_title or t.is_upper for t in words) >= 0.6 * len(words):
        f["q_title"] = 1.0
    if words and words[0].is_title:
        f["q_upper_start"] = 1.0
    lowers = {t.lower_ for t in words}
    if lowers & {"i", "me", "my", "we", "us", "our", "i'm", "'m"}:
        f["q_first_person"] = 1.0  # spoken words, not a name or a scare quote
    if lowers & {"you", "your"}:
        f["q_second_person"] = 1.0
    if sum(1 for t in doc[first : last + 1] if t.text in {".", "?", "!"}) > 1:
        f["q_sentences"] = 1.0
    if doc[last].text in {".", ",", "?", "!"}:
        f["q_ends_punct"] = 1.0
    starts = para_of(doc[first].idx)
    prev = doc[first - 2] if first >= 2 else None
    nxt = doc[last + 2] if last + 2 < len(doc) else None
    if (prev is None or para_of(prev.idx) != starts) and (nxt is None or para_of(nxt.idx) != starts):
        f["q_whole_para"] = 1.0
    tops = _tops(doc, first, last)
    if tops:
        dep = tops[0].dep_ if tops[0].dep_ in _Q_DEPS else "other"
        f[f"q_dep:{dep}"] = 1.0
    if len(tops) > 2:
        f["q_many_tops"] = 1.0
    if cue is None:
        f["cue:none"] = 1.0
        return f
    f[f"cue:{quote.cue_lemma}"] = 1.0
    f[f"cue_pos:{cue.pos_ if cue.pos_ in {'VERB', 'NOUN', 'ADJ'} else 'other'}"] = 1.0
    side = "before" if cue.i < first else "after"
    lo, hi = (cue.i + 1, first) if cue.i < first else (last + 1, cue.i)
    d = _words_between(doc, lo, hi, in_quote)
    f[f"cue_{side}{_dist_bin(d)}"] = 1.0
    node = tops[0] if tops else None
    for _ in range(4):
        if node is None or node.head is node:
            break
        node = node.head
        if node.i == cue.i:
            f["cue_governs"] = 1.0
            break
    return f


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0
