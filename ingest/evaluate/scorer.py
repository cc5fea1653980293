"""Scoring: P/R/F1 per category with the list of missed, spurious and wrongly attributed items.

PolNeAR (span gold): a gold attribution is found when a system statement covers >= 50% of the
tokens of its Content span (statements sharing one cue count as one, so '"A," he said, "B."'
is one attribution as in the gold); its speaker is right when the system speaker span (as
written or resolved) overlaps the Source span, or both are absent. Matching is one-to-one,
best overlap first. JSONL gold (strings only): statements match on the same token rule applied
to the texts, speakers on normalised names (a surname matches the full name).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ingest.evaluate.gold import CharSpan, GoldDoc, GoldStatement
from ingest.nlp.reference import REFERENCE_DIR

Row = dict[str, Any]
_WORD = re.compile(r"\w+")
STATEMENT_CATEGORIES = ("direct", "indirect", "according_to")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class DiffItem:
    doc_id: str
    category: str
    kind: str  # missed | spurious | wrong_speaker
    text: str
    gold_speaker: str | None = None
    system_speaker: str | None = None
    char_start: int | None = None  # span gold: where the item is in the text


@dataclass
class EvaluationReport:
    gold_path: str
    fmt: str
    documents: int
    scores: dict[str, Counts] = field(default_factory=dict)
    speaker_accuracy: float | None = None
    diff: list[DiffItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold_path": self.gold_path, "format": self.fmt, "documents": self.documents,
            "speaker_accuracy": self.speaker_accuracy,
            "scores": {k: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": round(c.precision, 4),
                           "recall": round(c.recall, 4), "f1": round(c.f1, 4)} for k, c in self.scores.items()},
        }


def _norm(name: str | None) -> str:
    if not name:
        return ""
    name = re.sub(r"['’]s\b", "", name.lower())
    words = [w for w in _WORD.findall(name) if w not in {"the", "a", "an", "mr", "mrs", "ms"}]
    return " ".join(words)


@functools.lru_cache(maxsize=1)
def _alias_ids() -> dict[str, str]:
    """Normalised alias -> actor id or ISO3, from the reference seeds ("Moscow" and "Russia" -> RUS)."""
    out: dict[str, str] = {}
    for name, key, cols in (("country_aliases.csv", "iso3", ("alias",)), ("actor_aliases.csv", "actor_id", ("alias",)),
                            ("countries.csv", "iso3", ("name", "official_name"))):
        path = REFERENCE_DIR / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for col in cols:
                    if row.get(col) and row.get(key):
                        out.setdefault(_norm(row[col]), row[key])
    return out


def names_match(gold: str | None, system: Iterable[str | None]) -> bool:
    g = _norm(gold)
    ids = _alias_ids()
    for s in system:
        n = _norm(s)
        if g and n and (g == n or g.split()[-1] == n.split()[-1] or g in n or n in g):
            return True
        if g and n and ids.get(g) is not None and ids.get(g) == ids.get(n):
            return True
    return False


@dataclass
class _SysStatement:
    tokens: set[int]
    category: str
    text: str
    speaker_spans: list[CharSpan]
    speaker_names: list[str | None]


def _token_index(text: str) -> list[CharSpan]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _tokens_in(spans: Iterable[CharSpan], index: list[CharSpan]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        out.update(i for i, (ts, te) in enumerate(index) if ts < e and te > s)
    return out


def _group_by_cue(rows: list[Row]) -> list[list[Row]]:
    groups: dict[object, list[Row]] = {}
    for i, r in enumerate(rows):
        key = (r["cue_char_start"], r["cue_char_end"]) if r.get("cue_char_start") is not None else ("row", i)
        groups.setdefault(key, []).append(r)
    return list(groups.values())


def _sys_category(group: list[Row]) -> str:
    if any(r.get("cue_lemma") == "according to" for r in group):
        return "according_to"
    return "direct" if any(r["quote_type"] in {"direct", "partial"} for r in group) else "indirect"


def _overlaps(a: CharSpan, spans: Iterable[CharSpan]) -> bool:
    return any(a[0] < e and a[1] > s for s, e in spans)



def greedy_matches(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold, system) matching from (overlap, gold index, system index) candidates,
    largest overlap first: each gold item and each system item is used at most once."""
    used_g: set[int] = set()
    used_s: set[int] = set()
    matched = []
    for _, gi, si in sorted(pairs, reverse=True):
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            matched.append((gi, si))
    return matched

def match_statements(gold_tokens: list[set[int]], system_tokens: list[set[int]]) -> list[tuple[int, int]]:
    """(gold, system) index pairs: a gold statement is found by a system statement group covering
    at least half of its content tokens; largest overlaps first, each side used once."""
    pairs = [(len(gt & st), gi, si) for gi, gt in enumerate(gold_tokens) for si, st in enumerate(system_tokens)
             if gt and len(gt & st) >= 0.5 * len(gt)]
    return greedy_matches(pairs)


def score_statements_spans(doc: GoldDoc, quotes: list[Row], report: EvaluationReport,
                           mentions: list[Row] | None = None) -> None:
    index = _token_index(doc.text)
    at = {m["mention_id"]: (m["char_start"], m["char_end"]) for m in mentions or []}
    systems: list[_SysStatement] = []
    for group in _group_by_cue(quotes):
        # the speaker as written ("he") or the mention it resolves to ("Donald Trump")
        speaker_spans = [(r["speaker_char_start"], r["speaker_char_end"]) for r in group
                         if r.get("speaker_char_start") is not None]
        speaker_spans += [at[r["speaker_resolved_mention_id"]] for r in group
                          if r.get("speaker_resolved_mention_id") in at]
        systems.append(_SysStatement(
            tokens=_tokens_in([(r["char_start"], r["char_end"]) for r in group], index),
            category=_sys_category(group), text=" … ".join(r["text"] for r in group),
            speaker_spans=speaker_spans, speaker_names=[group[0].get("speaker_text")],
        ))
    golds = [(g, _tokens_in(g.content, index)) for g in doc.statements]
    matched = match_statements([gt for _, gt in golds], [s.tokens for s in systems])
    used_g, used_s = {gi for gi, _ in matched}, {si for _, si in matched}
    for gi, si in matched:
        g, s = golds[gi][0], systems[si]
        speaker_ok = (not g.source and not s.speaker_spans) or any(_overlaps(sp, g.source) for sp in s.speaker_spans)
        _count(report, g.type, matched=True, speaker_ok=speaker_ok)
        if not speaker_ok:
            report.diff.append(DiffItem(doc.doc_id, g.type, "wrong_speaker", g.text[:200], g.speaker,
                                        s.speaker_names[0], g.content[0][0]))
    for gi, (g, _) in enumerate(golds):
        if gi not in used_g:
            _count(report, g.type, missed=True)
            report.diff.append(DiffItem(doc.doc_id, g.type, "missed", g.text[:200], g.speaker,
                                        None, g.content[0][0]))
    for si, s in enumerate(systems):
        if si not in used_s:
            _count(report, s.category, spurious=True)
            report.diff.append(DiffItem(doc.doc_id, s.category, "spurious", s.text[:200], None, s.speaker_names[0]))


def score_statements_strings(doc: GoldDoc, quotes: list[Row], report: EvaluationReport) -> None:
    def toks(t: str) -> list[str]:
        return [w.lower() for w in _WORD.findall(t)]

    sys_toks = [toks(r["text"]) for r in quotes]
    pairs = []
    for gi, g in enumerate(doc.statements):
        gt = toks(g.text)
        for si, st in enumerate(sys_toks):
            ov = _multiset_overlap(gt, st)
            if gt and ov >= 0.5 * len(gt) and ov >= 0.5 * len(st):
                pairs.append((ov, gi, si))
    matched = greedy_matches(pairs)
    used_g, used_s = {gi for gi, _ in matched}, {si for _, si in matched}
    for gi, si in matched:
        g, r = doc.statements[gi], quotes[si]
        # an unnamed source ("two people", "officials") counts as no speaker: gold names actors only
        speaker_ok = (not g.speaker and not r.get("speaker_resolved_text")) or names_match(
            g.speaker, [r.get("speaker_resolved_text"), r.get("speaker_text")])
        _count(report, _gold_kind(g), matched=True, speaker_ok=speaker_ok)
        if not speaker_ok:
            report.diff.append(DiffItem(doc.doc_id, _gold_kind(g), "wrong_speaker", g.text[:200], g.speaker,
                                        r.get("speaker_resolved_text") or r.get("speaker_text")))
    for gi, g in enumerate(doc.statements):
        if gi not in used_g:
            _count(report, _gold_kind(g), missed=True)
            report.diff.append(DiffItem(doc.doc_id, _gold_kind(g), "missed", g.text[:200], g.speaker))
    for si, r in enumerate(quotes):
        if si not in used_s:
            kind = "according_to" if r.get("cue_lemma") == "according to" else (
                "direct" if r["quote_type"] in {"direct", "partial"} else "indirect")
            _count(report, kind, spurious=True)
            report.diff.append(DiffItem(doc.doc_id, kind, "spurious", r["text"][:200], None,
                                        r.get("speaker_resolved_text") or r.get("speaker_text")))


def _gold_kind(g: GoldStatement) -> str:
    if g.cue and "according" in g.cue.lower():
        return "according_to"
    return "direct" if g.type in {"direct", "partial"} else "indirect"


def _multiset_overlap(a: list[str], b: list[str]) -> int:
    counts: dict[str, int] = defaultdict(int)
    for w in b:
        counts[w] += 1
    n = 0
    for w in a:
        if counts[w] > 0:
            counts[w] -= 1
            n += 1
    return n


def _count(report: EvaluationReport, category: str, *, matched: bool = False, speaker_ok: bool = False,
           missed: bool = False, spurious: bool = False) -> None:
    s = report.scores
    for key in ("statements", f"statements:{category}"):
        c = s.setdefault(key, Counts())
        c.tp += matched
        c.fn += missed
        c.fp += spurious
    for key in ("statements+speaker", f"statements+speaker:{category}"):
        c = s.setdefault(key, Counts())
        if matched and speaker_ok:
            c.tp += 1
        elif matched:  # found the content, named the wrong speaker: both a miss and a false alarm
            c.fn += 1
            c.fp += 1
        c.fn += missed
        c.fp += spurious
    if matched:
        sp = s.setdefault("speaker_on_matched", Counts())
        sp.tp += speaker_ok
        sp.fp += not speaker_ok


def score_actors(doc: GoldDoc, mentions: list[Row], report: EvaluationReport) -> None:
    by_id = {m["mention_id"]: m for m in mentions}
    names: list[str] = []
    for m in mentions:
        if m["label"] not in {"PERSON", "ORG", "GPE"}:
            continue
        target = by_id.get(m["antecedent_mention_id"]) if m.get("antecedent_mention_id") else m
        name = (target or m)["text"]
        if _norm(name) and _norm(name) not in {_norm(n) for n in names}:
            names.append(name)
    c = report.scores.setdefault("actors", Counts())
    used: set[int] = set()
    for g in doc.actors:
        hit = next((i for i, n in enumerate(names) if i not in used and names_match(g.name, [n])), None)
        if hit is None:
            c.fn += 1
            report.diff.append(DiffItem(doc.doc_id, "actors", "missed", g.name))
        else:
            used.add(hit)
            c.tp += 1
    for i, n in enumerate(names):
        if i not in used:
            c.fp += 1
            report.diff.append(DiffItem(doc.doc_id, "actors", "spurious", n))


def score_events(doc: GoldDoc, events: list[Row], report: EvaluationReport) -> None:
    c = report.scores.setdefault("events", Counts())
    typed = report.scores.setdefault("events+type", Counts())
    used: set[int] = set()
    for g in doc.events:
        trig = g.trigger.lower()
        hit = next((i for i, e in enumerate(events) if i not in used and (
            e["trigger_text"].lower() == trig or e["trigger_lemma"] == trig or trig.endswith(e["trigger_text"].lower())
        )), None)
        if hit is None:
            c.fn += 1
            typed.fn += 1
            report.diff.append(DiffItem(doc.doc_id, "events", "missed", f"{g.trigger} ({g.type})"))
            continue
        used.add(hit)
        c.tp += 1
        code = str(events[hit].get("cameo_code") or "")
        if code and g.type and (code.startswith(g.type[:2]) or g.type.startswith(code[:2])):
            typed.tp += 1
        else:
            typed.fn += 1
            typed.fp += 1
    for i, e in enumerate(events):
        if i not in used:
            c.fp += 1
            typed.fp += 1
            report.diff.append(DiffItem(doc.doc_id, "events", "spurious", f"{e['trigger_text']} ({e['cameo_code']})"))
