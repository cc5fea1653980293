"""newswh_quote_attributor: direct, partial and indirect statements with their speakers.

find: quotation spans (token level, so "Trump's", "don't" and "'90s" are never quote marks),
cue tokens (cue_verbs.csv lemmas, noun cues, "according to") and content clauses (ccomp of a
cue, the clause a parenthetical "..., sources said" hangs on, the clause around "according
to X"). set: one Statement per content span, with the speaker found from the cue (subject,
apposition, possessive, according-to object) and resolved through newswh_coref mentions.
For direct and partial quotes a learnt ranker (speaker_ranker.py, trained on PolNeAR train by
ingest.nlp.train_speakers) then chooses the speaker among the rule's pick and the other candidates
around the quote, and a learnt keep/drop model removes quote groups unlikely to be attributions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.nlp.components import speaker_ranker
from ingest.nlp.components._util import (
    PRONOUNS_PERSON,
    SUBJECT_DEPS,
    doc_text,
    heading_ranges,
    noun_phrase,
    paragraph_index,
    paragraphs,
    relative_antecedent,
    subject_of,
    token_span,
    trimmed,
)
from ingest.nlp.records import CharSpan, Descriptor, Mention, Statement
from ingest.nlp.reference import load_reference

# "''" opens as well as closes: the NYT archive writes ''A,'' he said (two apostrophes for a double mark)
DOUBLE_OPEN = frozenset({'"', "“", "„", "«", "``", "''"})
DOUBLE_CLOSE = frozenset({'"', "”", "»", "''"})
SINGLE_OPEN = frozenset({"'", "‘"})
SINGLE_CLOSE = frozenset({"'", "’"})
QUOTE_CHARS = DOUBLE_OPEN | DOUBLE_CLOSE | SINGLE_OPEN | SINGLE_CLOSE
_DASHES = frozenset({"-", "--", "—", "–", "―"})
_OPENING_CONTEXT = frozenset({"(", "[", "—", "–", "-", ":", "/"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# attitude adjectives PolNeAR annotates as cues ("are supportive of", "is worried that")
_ADJ_CUES = frozenset({"supportive", "critical", "hostile", "opposed", "skeptical", "sceptical", "worried",
                       "confident", "convinced", "sure", "certain", "optimistic", "pessimistic", "concerned",
                       "wary", "enthusiastic", "doubtful", "adamant", "unhappy", "angry", "furious", "upset",
                       "frustrated", "eager", "determined", "hopeful", "fearful", "nervous", "enamored"})
# the appearance is reported, nobody named holds it: "Carson seems to ..." has no speaker
_HOLDERLESS = frozenset({"seem", "appear"})
_DOCUMENT_NOUNS = frozenset({"statement", "message", "letter", "email", "tweet", "post", "memo", "release",
                             "video", "ad", "advertisement", "note", "report"})
_HEADLINE_LABELS = frozenset({"exclusive", "update", "updated", "watch", "video", "breaking", "live", "analysis",
                              "opinion", "editorial", "photos", "review", "interview", "factbox", "explainer",
                              "transcript", "read", "op-ed", "commentary", "fact check", "first on cnn", "listen"})
# "in <noun>, <clause>": the noun is the source of the clause (PolNeAR marks "in" as the cue)
_SOURCE_NOUNS = frozenset({"poll", "survey", "study", "report", "analysis", "memo", "filing", "estimate"})
# speakers found from a cue in the sentence itself, which a following unattributed quote can inherit
_ANCHOR_METHODS = frozenset({"subject", "appositive", "possessive", "coref_pronoun", "coref_description"})
_STRONG_CONTENTS = frozenset({"ccomp", "acl", "according", "parenthetical"})
_NAMING = frozenset({"call", "dub", "label", "brand", "deem"})
_VIEW_NOUNS = frozenset({"view", "eyes", "opinion", "mind", "estimation", "judgment", "words"})


@dataclass(frozen=True)
class QuoteSpan:
    open_i: int  # token index of the opening mark
    close_i: int  # token index of the closing mark (or one past the content when unterminated)
    content: CharSpan


def _prev_word(doc: Doc, i: int) -> Token | None:
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return doc[j] if j >= 0 else None


def _next_word(doc: Doc, i: int) -> Token | None:
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    return doc[j] if j < len(doc) else None


def find_quote_spans(doc: Doc) -> list[QuoteSpan]:
    """Pair quotation marks; a paragraph left open continues if the next one opens a quote."""
    starts = [p.char_start for p in paragraphs(doc)]
    spans: list[QuoteSpan] = []
    open_i: int | None = None
    family = ""
    para = -1
    last_word_i = -1
    for tok in doc:
        if tok.is_space:
            continue
        p = paragraph_index(starts, tok.idx)
        new_para = p != para
        para = p
        text = tok.text
        is_mark = text in QUOTE_CHARS
        if new_para and open_i is not None:
            continues = is_mark and ((family == "d" and text in DOUBLE_OPEN) or (family == "s" and text in SINGLE_OPEN))
            if continues:
                last_word_i = tok.i
                continue  # wire convention: the quote goes on in this paragraph
            if family == "d" and last_word_i > open_i:
                spans.append(QuoteSpan(open_i, last_word_i + 1, token_span(doc, open_i + 1, last_word_i)))
            open_i = None
        if not is_mark:
            last_word_i = tok.i
            continue
        prev_tight = tok.i > 0 and not doc[tok.i - 1].whitespace_ and not doc[tok.i - 1].is_space \
            and doc[tok.i - 1].text not in _OPENING_CONTEXT
        nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
        next_tight = bool(nxt is not None and not tok.whitespace_ and not nxt.is_space)
        if text in DOUBLE_OPEN | DOUBLE_CLOSE:
            if open_i is not None and family == "s":
                if text in DOUBLE_CLOSE and prev_tight:
                    open_i = None  # a single mark we took as opening was an apostrophe
                else:
                    last_word_i = tok.i
                    continue
            if open_i is None:
                if text in DOUBLE_OPEN and (next_tight or not prev_tight):
                    open_i, family = tok.i, "d"
            elif (text in DOUBLE_CLOSE and (prev_tight or not next_tight)) or (
                    text == "“" and prev_tight and not next_tight):  # '...,“ said X': a typo'd closing mark
                if tok.i - 1 > open_i:
                    spans.append(QuoteSpan(open_i, tok.i, token_span(doc, open_i + 1, tok.i - 1)))
                open_i = None
            last_word_i = tok.i
            continue
        # single marks: only outside double quotes, never apostrophes
        if open_i is not None and family == "d":
            continue
        if tok.dep_ == "case" or (nxt is not None and nxt.text[:1].isdigit()):
            continue
        if open_i is None:
            if text in SINGLE_OPEN and next_tight and not prev_tight and nxt is not None and nxt.is_alpha:
                open_i, family = tok.i, "s"
        elif text in SINGLE_CLOSE and prev_tight:
            if tok.i - 1 > open_i:
                spans.append(QuoteSpan(open_i, tok.i, token_span(doc, open_i + 1, tok.i - 1)))
            open_i = None
    if open_i is not None and family == "d" and last_word_i > open_i:
        spans.append(QuoteSpan(open_i, last_word_i + 1, token_span(doc, open_i + 1, last_word_i)))
    return spans


class QuoteAttributor:
    def __init__(self, name: str, *, use_reference: bool, max_cue_distance: int, min_direct_tokens: int,
                 inherit_paragraphs: int, speaker_model: bool = True) -> None:
        self.name = name
        # the learnt speaker ranker (speaker_ranker.py); None: the rules' speakers as they are
        self.speaker_model = speaker_ranker.load_model() if speaker_model else None
        if speaker_model and self.speaker_model is None:  # never a silent fall-back to the rules alone
            raise FileNotFoundError(f"{speaker_ranker.MODEL_PATH} is missing: it ships with the package "
                                    "(retrain with python -m ingest.nlp.train_speakers PATH_TO_POLNEAR_TRAIN)")
        # training hooks (ingest.nlp.train_speakers): each ranked statement with its candidates, each
        # quote group (statements sharing a cue) with its keep/drop features
        self.collect: Callable[[Doc, Statement, list[speaker_ranker.Candidate]], None] | None = None
        self.collect_groups: Callable[[Doc, list[Statement], speaker_ranker.Features], None] | None = None
        self.inherit_paragraphs = inherit_paragraphs
        self.max_cue_distance = max_cue_distance
        self.min_direct_tokens = min_direct_tokens
        ref = load_reference() if use_reference else None
        self.ref = ref
        self.cue_lemmas = ref.cue_lemmas if ref else frozenset({"say"})
        self.cue_nouns = ref.cue_nouns if ref else frozenset()
        self.verb_forms = _verb_forms(self.cue_lemmas)

    def complements(self, cue: Token) -> frozenset[str]:
        if self.ref is None:
            return frozenset({"ccomp"})
        return self.ref.complements(self.lemma(cue), "NOUN" if cue.pos_ == "NOUN" else "VERB")

    def lemma(self, tok: Token) -> str:
        """The token's lemma, or the cue it inflects when the lemmatizer slipped ("hopes" -> "hop")."""
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma not in self.cue_lemmas:
            return self.verb_forms.get(tok.lower_, lemma)
        return lemma

    # ---- find -------------------------------------------------------------------------
    def is_source_prep(self, tok: Token) -> bool:
        """'In the latest CNN/ORC poll, he fell to 10 percent' / 'in his view': the source of a clause."""
        if tok.lower_ != "in" or tok.dep_ != "prep" or self.is_cue(tok.head):
            return False
        for obj in tok.children:
            if obj.dep_ == "pobj":
                lemma = obj.lemma_.lower()
                has_poss = any(c.dep_ == "poss" for c in obj.children)
                return lemma in _SOURCE_NOUNS or (lemma in _VIEW_NOUNS and has_poss)
        return False

    def is_cue(self, tok: Token) -> bool:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            return True
        if tok.pos_ == "VERB" and self.lemma(tok) in self.cue_lemmas:
            return True
        if tok.pos_ == "ADJ" and tok.lower_ in _ADJ_CUES and tok.dep_ in {"acomp", "ROOT"} \
                and subject_of(tok.head if tok.dep_ == "acomp" else tok) is not None:
            return True  # "Republicans are supportive of / worried that ..."
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in self.cue_nouns

    def __call__(self, doc: Doc) -> Doc:
        headings = heading_ranges(doc)

        def heading(char: int) -> bool:
            return any(s <= char < e for s, e in headings)

        mentions: list[Mention] = doc._.newswh_mentions or []
        by_span = {(m.char_start, m.char_end): m for m in mentions}
        ctx = _Context(doc, mentions, by_span, doc._.newswh_descriptors or [])
        quote_spans = [q for q in find_quote_spans(doc) if not heading(doc[q.open_i].idx)]
        in_quote = [False] * len(doc)
        for q in quote_spans:
            for i in range(q.open_i, min(q.close_i + 1, len(doc))):
                in_quote[i] = True
        statements: list[Statement] = []
        used_cues: dict[int, list[CharSpan]] = {}
        previous: Statement | None = None
        prev_para = -10
        starts = [p.char_start for p in paragraphs(doc)]
        for q in quote_spans:
            st = self._direct(doc, q, in_quote, ctx)
            para = paragraph_index(starts, q.content[0])
            if st is None:
                continue
            if st.speaker_method == "none" and st.quote_type == "direct" and previous is not None \
                    and previous.speaker is not None and para - prev_para <= self.inherit_paragraphs:
                # '"A," he said. "B."': B continues A's attribution (same cue), also in the next paragraph
                st = _inherit(st, previous, same_cue=previous.quote_type in {"direct", "partial"},
                              local=ctx.latest_subject_mention(previous, st.char_start), as_written=para != prev_para)
            if st.speaker is not None:
                previous, prev_para = st, para
            statements.append(st)
            if st.cue is not None:
                used_cues.setdefault(st.cue[0], []).append((st.char_start, st.char_end))
            if st.quote_type == "partial":
                # 'called the law "much, much better"': the reported clause around the quote is a statement
                # too (PolNeAR's Content); same cue, so it counts as one attribution with the partial
                clause = self._partial_clause(doc, q, st, in_quote, ctx)
                if clause is not None:
                    statements.append(clause)
                    used_cues.setdefault(st.cue[0] if st.cue else -1, []).append((clause.char_start, clause.char_end))
        statements.extend(self._headline_statements(doc, ctx))
        quoted_chars = [(q.content[0], q.content[1]) for q in quote_spans]
        strong: list[CharSpan] = [(st.char_start, st.char_end) for st in statements if st.quote_type == "direct"]
        weak: list[tuple[Token, Statement]] = []
        for tok in doc:
            if in_quote[tok.i] or heading(tok.idx) or not (self.is_cue(tok) or self.is_source_prep(tok)):
                continue
            for content, is_strong in self._indirect_contents(doc, tok):
                cs, ce = trimmed(doc, content[0], content[1])
                if ce - cs < 3 or _mostly_inside(cs, ce, quoted_chars):
                    continue
                if any(_overlap(cs, ce, *u) > 0.5 * (ce - cs) for u in used_cues.get(tok.idx, [])):
                    continue
                st = self._make(doc, tok, (cs, ce), "indirect", ctx, base=0.75 if is_strong else 0.6,
                                in_quote=in_quote)
                if st.speaker is not None and st.cue_lemma != "according to" \
                        and cs <= st.speaker[0] and st.speaker[1] <= ce:
                    continue  # '"...," said Robin Maynard, half joking': the clause holds its own speaker
                if is_strong:
                    statements.append(st)
                    strong.append((cs, ce))
                else:
                    weak.append((tok, st))
        # a stance/intention cue inside a reported clause is part of that report, not another one
        statements.extend(st for tok, st in weak if not any(a <= tok.idx < b for a, b in strong))
        # likewise a partial quote whose cue sits in another report ('X plans to ... "..." Y said'): Y's
        # report holds the quote; the partial and its clause go
        inner = {st.cue for st in statements if st.quote_type == "partial" and st.cue is not None
                 and st.cue_lemma != "according to" and any(
            a <= st.cue[0] < b and (a, b) != (st.char_start, st.char_end) for a, b in strong)}
        if inner:
            statements = [st for st in statements if st.cue not in inner]
        statements = self._reattribute(statements, ctx, starts)
        statements = self._rank_speakers(doc, statements, ctx, starts, in_quote)
        statements = self._filter_quotes(doc, statements, starts, in_quote)
        statements = _drop_chained(statements, weak={(st.cue, st.char_start, st.char_end) for _, st in weak})
        doc._.newswh_statements = sorted(statements, key=lambda s: (s.char_start, s.char_end))
        doc.spans["newswh_statements"] = [
            s for s in (doc.char_span(st.char_start, st.char_end, label=st.quote_type, alignment_mode="expand")
                        for st in statements) if s is not None
        ]
        return doc

    def _reattribute(self, statements: list[Statement], ctx: _Context, starts: list[int]) -> list[Statement]:
        """A direct quote with no cue of its own belongs to the latest attribution before it, whatever its
        type: in 'Ghazala Khan says she got a call. "She called me, ..."' Khan speaks, not the speaker of
        the previous quote (the quote loop only sees quotes; the indirect statements come later)."""
        anchors = sorted((b for b in statements if b.speaker is not None and b.cue is not None
                          and b.speaker_method in _ANCHOR_METHODS and b.confidence >= 0.6),
                         key=lambda b: b.cue[0])  # type: ignore[index]
        if not anchors:
            return statements
        out: list[Statement] = []
        for st in statements:
            if st.quote_type == "direct" and st.speaker_method in {"none", "previous_speaker"}:
                before = [b for b in anchors if b.cue[1] <= st.char_start  # type: ignore[index]
                          and not b.char_start <= st.char_start < b.char_end]
                para = paragraph_index(starts, st.char_start)
                if before and para - paragraph_index(starts, before[-1].cue[0]) <= self.inherit_paragraphs:  # type: ignore[index]
                    latest = before[-1]
                    if latest.speaker != st.speaker and latest.speaker_resolved != st.speaker_resolved:
                        same = para == paragraph_index(starts, latest.cue[0])  # type: ignore[index]
                        st = _inherit(st, latest, same_cue=same,
                                      local=ctx.latest_subject_mention(latest, st.char_start))
            out.append(st)
        return out

    def _rank_speakers(self, doc: Doc, statements: list[Statement], ctx: _Context, starts: list[int],
                       in_quote: list[bool]) -> list[Statement]:
        """Direct and partial quotes: let the speaker ranker choose among the rule's pick, the previous
        speakers and the noun phrases around the quote. A partial quote's clause (same cue, same speaker)
        follows its quote."""
        model = self.speaker_model
        if model is None and self.collect is None:
            return statements
        freq = speaker_ranker.token_frequencies(doc, ctx.mentions)
        para_of = partial(paragraph_index, starts)

        def tokens(span: CharSpan | None) -> tuple[int, int] | None:
            sp = doc.char_span(span[0], span[1], alignment_mode="expand") if span else None
            return (sp.start, sp.end) if sp is not None and len(sp) else None

        order = sorted(range(len(statements)), key=lambda k: (statements[k].char_start, statements[k].char_end))
        out = list(statements)
        prev: list[tuple[int, int]] = []
        moved: dict[tuple[CharSpan | None, CharSpan | None], Statement] = {}
        for k in order:
            st = statements[k]
            content = tokens((st.char_start, st.char_end))
            if st.quote_type in {"direct", "partial"} and st.cue_lemma != ":" and content is not None:
                cue = tokens(st.cue)
                qc = speaker_ranker.QuoteContext(st, content[0], content[1] - 1, tokens(st.speaker),
                                                 tuple(reversed(prev[-2:])))
                cands = speaker_ranker.candidates(doc, qc, in_quote, self.is_cue, freq, st.speaker_method,
                                                  doc[cue[0]] if cue else None, para_of)
                if self.collect is not None:
                    for c in cands:  # the scorer also accepts the resolved mention
                        c.resolved = ctx.resolve(doc[c.span[0] : c.span[1]])[0] if c.span is not None else None
                    self.collect(doc, st, cands)
                if model is not None:
                    best = model.best(cands)
                    if best is not cands[0]:
                        out[k] = self._respeak(doc, st, best.span, ctx, "prev1" in best.feats)
                        moved[(st.cue, st.speaker)] = out[k]
            if st.speaker is not None:
                sp = tokens(st.speaker)
                if sp is not None:
                    prev.append(sp)
        if moved:
            for k, st in enumerate(out):
                new = moved.get((st.cue, st.speaker)) if st.quote_type == "indirect" else None
                if new is not None:
                    out[k] = replace(st, speaker=new.speaker, speaker_text=new.speaker_text,
                                     speaker_resolved=new.speaker_resolved,
                                     speaker_resolved_text=new.speaker_resolved_text,
                                     speaker_method=new.speaker_method, confidence=new.confidence)
        return out

    def _filter_quotes(self, doc: Doc, statements: list[Statement], starts: list[int],
                       in_quote: list[bool]) -> list[Statement]:
        """Drop the quote groups (a direct or partial quote and the statements sharing its cue) that the
        learnt keep/drop model finds unlikely to be attributions (scare quotes, names, misread cues)."""
        model = self.speaker_model
        if (model is None or not model.drop_weights) and self.collect_groups is None:
            return statements
        keys: list[object] = [st.cue if st.cue is not None else ("row", n) for n, st in enumerate(statements)]
        groups: dict[object, list[Statement]] = {}
        for key, st in zip(keys, statements, strict=True):
            groups.setdefault(key, []).append(st)

        para_of = partial(paragraph_index, starts)
        dropped: set[object] = set()
        for key, group in groups.items():
            quote = next((st for st in group if st.quote_type in {"direct", "partial"}), None)
            span = doc.char_span(quote.char_start, quote.char_end, alignment_mode="expand") if quote else None
            if quote is None or span is None or not len(span):
                continue
            cue = doc.char_span(quote.cue[0], quote.cue[1], alignment_mode="expand") if quote.cue else None
            feats = speaker_ranker.group_features(doc, group, span.start, span.end - 1,
                                                  cue[0] if cue is not None and len(cue) else None, in_quote,
                                                  para_of)
            if self.collect_groups is not None:
                self.collect_groups(doc, group, feats)
            if model is not None and model.drop_weights and model.drop_probability(feats) > model.drop_threshold:
                dropped.add(key)
        if not dropped:
            return statements
        return [st for key, st in zip(keys, statements, strict=True) if key not in dropped]

    @staticmethod
    def _respeak(doc: Doc, st: Statement, span: tuple[int, int] | None, ctx: _Context, previous: bool) -> Statement:
        if span is None:
            return replace(st, speaker=None, speaker_text=None, speaker_resolved=None, speaker_resolved_text=None,
                           speaker_method="none", confidence=0.4)
        speaker = doc[span[0] : span[1]]
        resolved, method = ctx.resolve(speaker)
        return replace(st, speaker=(speaker.start_char, speaker.end_char), speaker_text=speaker.text,
                       speaker_resolved=resolved,
                       speaker_resolved_text=doc_text(doc)[resolved[0]:resolved[1]] if resolved else None,
                       speaker_method=method or ("previous_speaker" if previous else "subject"),
                       confidence=0.6 if st.speaker is None else st.confidence)

    def _headline_statements(self, doc: Doc, ctx: _Context) -> list[Statement]:
        """Headline convention 'Sanders: Endorsements prove Clinton ...': the name before the colon speaks."""
        out: list[Statement] = []
        paras = paragraphs(doc)
        for n, para in enumerate(paras):
            span = doc.char_span(para.char_start, para.char_end, alignment_mode="expand")
            if span is None:
                continue
            colon = next((t for t in span[:8] if t.text == ":"), None)
            if colon is None or colon.i == span.start:
                continue
            prefix = doc[span.start : colon.i]
            dash = next((t.i for t in reversed(prefix) if t.text in {"–", "—", "-", "|"}), None)
            if dash is not None:  # 'EXCLUSIVE – Roger Stone: ...'
                prefix = doc[dash + 1 : colon.i]
            words = [t for t in prefix if t.is_alpha]
            # a transcript turn 'TAPPER: ...' anywhere (not the anonymous 'Q:'/'A:'); 'Sanders: ...' in a headline
            turn = 1 <= len(words) <= 4 and all(t.is_upper and len(t) > 1 for t in words) \
                and not (len(prefix) == 1 and prefix[0].ent_type_ in {"GPE", "LOC", "DATE"})
            if not (turn or ((para.is_heading or n == 0) and len(prefix) <= 5)):
                continue
            rest = [t for t in doc[colon.i + 1 : span.end] if not t.is_punct and not t.is_space]
            if not words or len(rest) < 3 or not (prefix[0].is_title or prefix[0].is_upper) or rest[0].like_num \
                    or any(t.pos_ in {"VERB", "AUX"} and not t.is_upper for t in prefix) \
                    or prefix.text.lower() in _HEADLINE_LABELS:
                continue
            content = trimmed(doc, doc[colon.i + 1].idx, span.end_char)
            if content[1] - content[0] < 3:
                continue
            text = doc_text(doc)[content[0]:content[1]]
            kind = "direct" if text[:1] in DOUBLE_OPEN and text[-1:] in DOUBLE_CLOSE else "indirect"
            resolved, _ = ctx.resolve(prefix)
            out.append(Statement(
                content[0], content[1], text, kind, (colon.idx, colon.idx + 1), ":", ":",
                (prefix.start_char, prefix.end_char), prefix.text, resolved,
                doc_text(doc)[resolved[0]:resolved[1]] if resolved else None, "subject", 0.5))
        return out

    def _direct(self, doc: Doc, q: QuoteSpan, in_quote: list[bool], ctx: _Context) -> Statement | None:
        n_tokens = sum(1 for t in doc[q.open_i + 1 : q.close_i] if not t.is_punct and not t.is_space)
        if n_tokens == 0:
            return None
        prev = _prev_word(doc, q.open_i)
        starts_sentence = prev is None or prev.text in {".", "!", "?", ":", ",", "—", "–"} \
            or doc[q.open_i].is_sent_start or (q.open_i + 1 < len(doc) and doc[q.open_i + 1].is_sent_start) \
            or (prev is not None and self.is_cue(prev))
        close_next = _next_word(doc, q.close_i) if q.close_i < len(doc) else None
        ends_clause = close_next is None or close_next.text in {",", ".", "!", "?", ":", ";", "—"} \
            or doc[q.close_i - 1].text in {",", ".", "!", "?"} or (close_next is not None and close_next.is_sent_start)
        direct = bool(starts_sentence and ends_clause and n_tokens >= self.min_direct_tokens)
        cue = self._cue_for_quote(doc, q, in_quote, direct)
        if cue is None and not direct:
            return None  # scare quotes, titles, nicknames: no one is reported as saying them
        if _is_title(doc[q.open_i + 1 : q.close_i]):
            return None  # 'on MSNBC's "Morning Joe."', '"Off Message"': a name, not something said
        content = trimmed(doc, *q.content)
        signed = _signature(doc, q) if cue is None and direct else None
        if signed is not None:
            dash, name = signed
            resolved, _ = ctx.resolve(name)
            return Statement(content[0], content[1], doc_text(doc)[content[0]:content[1]], "direct",
                             (dash.idx, dash.idx + len(dash.text)), dash.text, dash.text,
                             (name.start_char, name.end_char), name.text, resolved,
                             doc_text(doc)[resolved[0]:resolved[1]] if resolved else None, "subject", 0.7)
        if cue is None:
            return Statement(content[0], content[1], doc_text(doc)[content[0]:content[1]], "direct", None, None, None,
                             None, None, None, None, "none", 0.4)
        return self._make(doc, cue, content, "direct" if direct else "partial", ctx, base=0.9 if direct else 0.7,
                          in_quote=in_quote)

    def _cue_for_quote(self, doc: Doc, q: QuoteSpan, in_quote: list[bool], direct: bool) -> Token | None:
        if not direct:
            # partial quote: the cue governs the clause the quote sits in
            inside = [t for t in doc[q.open_i + 1 : q.close_i] if not (q.open_i < t.head.i < q.close_i)]
            node = inside[0].head if inside else None
            first_cue: Token | None = None
            for _ in range(8):
                if node is None:
                    break
                if self.is_cue(node) and node.pos_ != "ADJ" and not in_quote[node.i]:
                    if node.pos_ == "NOUN" and any(c.dep_ == "poss" for c in node.children):
                        return node  # "Trump's comment that he would ... 'whatever ...'": the comment is the act
                    first_cue = first_cue or node
                if node.head is node:
                    break
                node = node.head
            if first_cue is not None:
                return first_cue
        # the content's sentence: the parser often leaves an opening mark at the end of the sentence before
        first = doc[q.open_i + 1].sent if q.open_i + 1 < min(q.close_i, len(doc)) else (
            doc[q.open_i].sent if q.open_i < len(doc) else None)
        last = doc[min(q.close_i, len(doc) - 1)].sent
        lo = first.start if first is not None else q.open_i
        hi = last.end
        nxt = _next_word(doc, q.close_i) if q.close_i < len(doc) else None
        if nxt is not None and nxt.i >= hi and not in_quote[nxt.i] and doc[q.close_i - 1].text != "." \
                and "\n" not in doc_text(doc)[doc[q.close_i].idx : nxt.idx]:
            hi = nxt.sent.end  # '"...," he said.' split into its own sentence by the parser
        prev = _prev_word(doc, q.open_i)
        if prev is not None and prev.text == ":" and prev.i < lo:
            lo = prev.sent.start
        best: tuple[int, Token] | None = None
        for tok in doc[lo:hi]:
            if in_quote[tok.i] or tok.pos_ == "ADJ" or not self.is_cue(tok):
                continue
            if tok.pos_ == "NOUN" and tok.dep_ in {"nsubj", "nsubjpass"} and self.is_cue(tok.head) \
                    and not in_quote[tok.head.i]:
                tok = tok.head  # '"...," the report said': the verb is the cue, the noun its subject
            elif tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
                    and self.is_cue(tok.head.head) and not in_quote[tok.head.head.i]:
                tok = tok.head.head  # 'the campaign said in a statement: "..."': the verb is the cue
            # a cue after the quote wins ties with one before it
            dist = tok.i - q.close_i if tok.i > q.close_i else q.open_i - tok.i + 1
            if dist <= self.max_cue_distance and (best is None or dist < best[0]):
                best = (dist, tok)
        if direct and best is not None and prev is not None and prev.text == ":" and best[1].i < prev.i:
            # 'Reid said A, but he gave the Texan a back-handed compliment: "..."': the clause the colon ends
            # introduces the quote, not a cue further back
            verb = next((t for t in reversed(doc[prev.sent.start : prev.i]) if t.pos_ == "VERB"
                         and not in_quote[t.i]), None)
            if verb is not None and verb.i > best[1].i and subject_of(verb) is not None:
                return verb
        linked = self._governing_cue(doc, q, in_quote, lo, hi)
        introduced = best is not None and best[1].pos_ == "VERB" and q.open_i - 4 <= best[1].i < q.open_i \
            and prev is not None and prev.text in {",", ":"}
        if linked is not None and not introduced:
            # the cue the quote hangs on wins, unless a cue introduces the quote right before it
            # ("..., adding pointedly, '...'")
            return linked
        if best is None and prev is not None and prev.text == ":":
            for tok in reversed(doc[prev.sent.start : prev.i]):
                if self.is_cue(tok) and tok.pos_ != "ADJ" and not in_quote[tok.i]:
                    return tok
        if best is None and direct:
            return self._adjacent_verb(doc, q, in_quote, lo, hi)
        return best[1] if best else None

    def _partial_clause(self, doc: Doc, q: QuoteSpan, partial: Statement, in_quote: list[bool],
                        ctx: _Context) -> Statement | None:
        cue = doc.char_span(*partial.cue, alignment_mode="expand") if partial.cue else None
        if cue is None or len(cue) != 1:
            return None
        span = self._clause_of(doc, q, cue[0])
        if span is None:
            return None
        cs, ce = trimmed(doc, *span)
        if (ce - cs) - (partial.char_end - partial.char_start) < 8:
            return None  # the quote is (nearly) the whole clause
        return self._make(doc, cue[0], (cs, ce), "indirect", ctx, base=0.7, in_quote=in_quote)

    def _clause_of(self, doc: Doc, q: QuoteSpan, cue: Token) -> CharSpan | None:
        """The complement of `cue` that holds a partial quote ('called it "a disaster"' -> 'it "a disaster"')."""
        if cue.pos_ != "VERB":
            return None
        node = doc[q.open_i + 1] if q.open_i + 1 < q.close_i else None
        for _ in range(12):
            if node is None or node.head is node or node.head.i == cue.i:
                break
            node = node.head
        if node is None or node.head.i != cue.i or node.i == cue.i:
            if self.lemma(cue) in _NAMING and cue.i + 1 < q.open_i <= cue.i + 10 and not any(
                    t.is_punct or t.pos_ in {"VERB", "AUX"} for t in doc[cue.i + 1 : q.open_i]):
                # 'called Florida's standards "strong."' with the quote parsed off the verb: the words between
                return token_span(doc, cue.i + 1, min(q.close_i, len(doc) - 1))
            return None
        if node.dep_ in {"ccomp", "xcomp"}:
            first, last = node.left_edge.i, node.right_edge.i
        elif node.dep_ in {"dobj", "oprd"}:
            first, last = node.left_edge.i, _vp_end(cue, node)
            obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < node.i), None)
            if node.dep_ == "oprd" and obj is not None:
                first = obj.left_edge.i  # 'called the law "much better"': the object and its predicate
        elif node.dep_ == "prep":
            objs = [g for g in node.children if g.dep_ in {"pobj", "pcomp"}]
            if not objs:
                return None
            first, last = objs[0].left_edge.i, objs[0].right_edge.i
            obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < node.i), None)
            if obj is not None:
                first = obj.left_edge.i  # 'blamed the law on "knuckleheaded politicians"': the object too
        else:
            return None
        first = min(first, q.open_i)
        last = max(last, min(q.close_i, len(doc) - 1))
        if last - first > 80:
            return None
        return token_span(doc, first, last)

    def _governing_cue(self, doc: Doc, q: QuoteSpan, in_quote: list[bool], lo: int, hi: int) -> Token | None:
        """'"...," Bill Frelick, director at X, said': the cue the quoted clause hangs on, at any distance."""
        tops = [t for t in doc[q.open_i + 1 : q.close_i] if not t.is_punct and not t.is_space
                and not (q.open_i < t.head.i < q.close_i) and t.head is not t]
        for top in tops[:2]:
            node = top.head
            for _ in range(2):
                if not (lo <= node.i < hi) or in_quote[node.i]:
                    break
                if node.pos_ == "VERB" and self.is_cue(node) and subject_of(node) is not None:
                    return node
                if node.head is node:
                    break
                node = node.head
        return None

    @staticmethod
    def _adjacent_verb(doc: Doc, q: QuoteSpan, in_quote: list[bool], lo: int, hi: int) -> Token | None:
        """'"...," one protester yelled' / 'X tweeted: "..."': the position is the cue, whatever the verb."""
        # only the wire form '"...," X verbed' / '"...?" X asked': a comma or ?/! closes the quote
        closes_clause = q.close_i > 0 and doc[q.close_i - 1].text in {",", "?", "!"}
        after = [t for t in doc[q.close_i + 1 : min(hi, q.close_i + 6)] if not in_quote[t.i]]
        for tok in after if closes_clause else []:
            if tok.is_space and "\n" in tok.text:
                break
            if tok.pos_ == "VERB" and subject_of(tok) is not None:
                return tok
            if tok.text in {".", "!", "?", "“", '"'}:
                break
        prev = _prev_word(doc, q.open_i)
        if prev is not None and prev.text == "," and prev.i >= lo:
            # 'A flabbergasted Noah quipped, "..."' / '"A," he continued, "B."'
            for tok in reversed(doc[max(lo, prev.i - 3) : prev.i]):
                if in_quote[tok.i] or tok.is_punct:
                    break
                if tok.pos_ == "VERB" and (any(c.dep_ in {"nsubj"} and c.i < tok.i for c in tok.children) or (
                        tok.dep_ == "conj" and subject_of(tok) is not None)):  # '... and then boomed, "..."'
                    return tok
        if prev is not None and prev.text == ":":
            # 'X released the following statement:' (also as the paragraph before the quote)
            for tok in reversed(doc[prev.sent.start : prev.i]):
                if tok.pos_ == "VERB" and not in_quote[tok.i] and subject_of(tok) is not None:
                    return tok
        return None

    def _indirect_contents(self, doc: Doc, cue: Token) -> list[tuple[CharSpan, bool]]:
        """Content spans of a cue, each flagged strong (a clause: that-clause, according to) or weak."""
        return [(span, kind in _STRONG_CONTENTS) for span, kind in self._contents(doc, cue)]

    def _contents(self, doc: Doc, cue: Token) -> list[tuple[CharSpan, str]]:
        out: list[tuple[CharSpan, str]] = []
        if cue.lower_ == "according" or self.is_source_prep(cue):
            clause = cue.head
            while clause.dep_ not in {"ROOT", "ccomp", "conj", "advcl"} and clause.head is not clause:
                clause = clause.head
            sub = cue.subtree
            first = next(iter(sub)).i
            last = cue.right_edge.i
            s, e = clause.left_edge.i, clause.right_edge.i
            spans: list[CharSpan] = []
            if first > s:
                spans.append(token_span(doc, s, first - 1))
            if last < e:
                after = token_span(doc, last + 1, e)
                spans = [(spans[0][0], after[1])] if spans else [after]
            return [(sp, "according") for sp in spans]
        if cue.pos_ == "ADJ":
            for child in cue.children:
                if child.dep_ in {"ccomp", "xcomp"}:
                    out.append((token_span(doc, child.left_edge.i, child.right_edge.i), child.dep_))
                elif child.dep_ == "prep" and child.lower_ in {"of", "to", "about", "with", "over", "on"}:
                    objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
                    if objs:
                        out.append((token_span(doc, objs[0].left_edge.i, objs[0].right_edge.i), "prep"))
            return out
        frames = self.complements(cue)
        has_subject = subject_of(cue) is not None or any(c.dep_ == "poss" for c in cue.children)
        children = list(cue.children)
        for child in children:
            dep = child.dep_
            if dep in {"ccomp", "acl"} and dep in frames and (dep == "ccomp" or child.pos_ in {"VERB", "AUX"}):
                out.append((token_span(doc, child.left_edge.i, child.right_edge.i), dep))
            elif not has_subject:
                continue
            elif dep == "xcomp" and "xcomp" in frames:
                subj = subject_of(cue)
                first = subj.left_edge.i if self.lemma(cue) in _HOLDERLESS and subj is not None \
                    and subj.i < cue.i else child.left_edge.i  # "Carson seems to recognize": the subject too
                out.append((token_span(doc, first, child.right_edge.i), dep))
            elif dep == "dobj" and ("dobj" in frames or ("oprd" in frames and any(c.dep_ == "oprd" for c in children))):
                # the rest of the verb phrase: "mentioned Sanders by name", "called X a Y"
                out.append((token_span(doc, child.left_edge.i, _vp_end(cue, child)), dep))
            elif dep in {"prep", "prt"} and f"prep:{child.lower_}" in frames:
                objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
                if objs:
                    last = objs[0].right_edge.i
                    as_ = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > last), None)
                    if as_ is not None:
                        last = as_.right_edge.i  # 'referring to the US as "the Great Satan"'
                    out.append((token_span(doc, objs[0].left_edge.i, last), "prep"))
        if not out and has_subject and {"dobj", "ccomp"} & frames and any(c.dep_ == "agent" for c in children):
            # passive: "it was never mentioned by X" -> content is the passive subject
            for child in children:
                if child.dep_ == "nsubjpass":
                    out.append((token_span(doc, child.left_edge.i, child.right_edge.i), "dobj"))
        if not out and "ccomp" in frames and cue.pos_ == "VERB":
            # 'says the movement ... appeals to ...' parsed with the subject as the object of "says"
            dobj = next((c for c in children if c.dep_ == "dobj" and c.i > cue.i), None)
            if dobj is not None:
                end = cue.right_edge.i
                while end > dobj.i and doc[end].is_punct:
                    end -= 1
                words = doc[dobj.left_edge.i : end + 1]
                if len(words) >= 5 and any(t.pos_ in {"VERB", "AUX"} and t.dep_ != "amod" for t in words):
                    out.append((token_span(doc, dobj.left_edge.i, end), "ccomp"))
        if not out and cue.pos_ == "VERB" and cue.dep_ in {"parataxis", "ccomp", "advcl", "conj"} \
                and cue.i > cue.head.i and not any(c.dep_ in {"xcomp", "dobj"} for c in cue.children) \
                and cue.right_edge.i - cue.left_edge.i < 8 and subject_of(cue) is not None:
            head = cue.head
            end = cue.left_edge.i - 1
            if end >= head.left_edge.i:
                out.append((token_span(doc, head.left_edge.i, end), "parenthetical"))
                last = cue.right_edge.i
                while last > cue.i and doc[last].is_punct:
                    last -= 1
                if last + 2 <= head.right_edge.i and doc[last + 1].text == ",":
                    out.append((token_span(doc, last + 2, head.right_edge.i), "parenthetical"))  # the rest
        elif not out and cue.pos_ == "VERB" and cue.dep_ in {"parataxis", "ccomp", "advcl"} \
                and cue.right_edge.i < cue.head.i and subject_of(cue) is not None:
            # 'the two nations, Xi said, now have a "golden opportunity" to ...': the clause around the
            # parenthetical cue, in its two parts (one attribution: they share the cue)
            head = cue.head
            first, last = cue.left_edge.i, cue.right_edge.i
            while first < last and doc[first].is_punct:
                first += 1
            while last > first and doc[last].is_punct:
                last -= 1
            if head.left_edge.i < first - 1 and last - first < 6 and doc[first - 1].text == "," \
                    and last + 2 <= head.right_edge.i and doc[last + 1].text == ",":
                out.append((token_span(doc, head.left_edge.i, first - 2), "parenthetical"))
                out.append((token_span(doc, last + 2, head.right_edge.i), "parenthetical"))
        return out

    # ---- set --------------------------------------------------------------------------
    def _make(self, doc: Doc, cue: Token, content: CharSpan, kind: str, ctx: _Context, base: float,
              in_quote: list[bool] | None = None) -> Statement:
        speaker, method = self._speaker(cue, in_quote, quoted=kind != "indirect")
        cue_span = (cue.idx, cue.idx + len(cue.text))
        cue_text = cue.text
        if cue.lower_ == "according":
            cue_span = (cue.idx, cue.idx + len("according to"))
            cue_text = doc_text(doc)[cue_span[0]:cue_span[1]]
        resolved: CharSpan | None = None
        resolved_text: str | None = None
        speaker_span: CharSpan | None = None
        speaker_text: str | None = None
        if speaker is not None:
            speaker_span = (speaker.start_char, speaker.end_char)
            speaker_text = speaker.text
            resolved, method2 = ctx.resolve(speaker)
            if method2 is not None and method in {"subject", "appositive"}:
                method = method2
            resolved_text = doc_text(doc)[resolved[0]:resolved[1]] if resolved else None
        confidence = base if speaker is not None else 0.4
        if method in {"coref_pronoun", "coref_description"}:
            confidence -= 0.1
        return Statement(
            char_start=content[0], char_end=content[1], text=doc_text(doc)[content[0]:content[1]],
            quote_type=kind, cue=cue_span, cue_text=cue_text, cue_lemma="according to"
            if cue.lower_ == "according" else self.lemma(cue),
            speaker=speaker_span, speaker_text=speaker_text, speaker_resolved=resolved,
            speaker_resolved_text=resolved_text, speaker_method=method if speaker is not None else "none",
            confidence=round(confidence, 2),
        )

    def _speaker(self, cue: Token, in_quote: list[bool] | None = None,
                 quoted: bool = False) -> tuple[Span | None, str]:
        if self.is_source_prep(cue):
            obj = next(c for c in cue.children if c.dep_ == "pobj")
            poss = next((c for c in obj.children if c.dep_ == "poss"), None)
            return noun_phrase(poss if poss is not None and obj.lemma_.lower() in _VIEW_NOUNS else obj), "according_to"
        if cue.lower_ == "according":
            for to in cue.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return noun_phrase(obj), "according_to"
            return None, "none"
        if cue.pos_ == "NOUN":
            for child in cue.children:
                if child.dep_ == "poss":
                    return noun_phrase(child), "possessive"
            for child in cue.children:
                if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return noun_phrase(obj), "subject"
            verb = cue.head if cue.dep_ in {"dobj", "attr"} else (
                cue.head.head if cue.dep_ == "pobj" and cue.head.dep_ == "prep" else None)
            if verb is not None and verb.pos_ == "VERB":
                # "Trump posted a message ...", "X issued a statement ...", "X said in a statement that ..."
                holder = subject_of(verb)
                if holder is not None:
                    return noun_phrase(holder), "subject"
            return None, "none"
        if cue.pos_ == "ADJ":
            holder = subject_of(cue.head if cue.dep_ == "acomp" else cue)
            return (noun_phrase(holder), "subject") if holder is not None else (None, "none")
        if self.lemma(cue) in _HOLDERLESS or _passive_without_agent(cue):
            return None, "none"  # "Clinton is expected to win", "Asked whether ...": the holder is not named
        subj = subject_of(cue)
        if subj is not None and subj.dep_ == "dobj" and subj.lemma_.lower() in self.cue_nouns | _DOCUMENT_NOUNS:
            holder = subject_of(subj.head)  # "X released a statement saying ...": X, not the statement
            if holder is not None:
                subj = holder
        if subj is not None and cue.dep_ in {"advcl", "conj", "xcomp"} and subj.head is not cue \
                and subj.head.dep_ == "ccomp" and self.is_cue(subj.head.head) and subj.head.head.pos_ == "VERB":
            # 'Starr said Clinton's situation reminds him of X, explaining, "..."': the participle hangs on the
            # reported clause in the parse, but it is the reporter who explains
            outer = subject_of(subj.head.head)
            if outer is not None and (in_quote is None or not in_quote[outer.i]):
                subj = outer
        if in_quote is not None and not in_quote[cue.i] and (subj is None or in_quote[subj.i]):
            # '"Meh," said Bob Smith' / '"...," added another Democrat': the parser made a quoted word the
            # subject, or the inverted subject an object; the speaker is outside the quote
            # an object is the inverted subject only right after a quote: in 'telling the crowd, "..."' it is
            # the addressee
            inverted = (cue.i > 0 and in_quote[cue.i - 1]) or (cue.i > 1 and in_quote[cue.i - 2])
            subj = next((c for c in cue.children if not in_quote[c.i] and (
                c.dep_ in SUBJECT_DEPS or ((inverted or not quoted) and c.i > cue.i
                                           and c.dep_ in {"dobj", "attr", "npadvmod"}
                                           and c.pos_ in {"PROPN", "NOUN", "PRON"}))), None)
            if subj is None and inverted:
                subj = _inverted_subject(cue, in_quote)  # '"...," said Robin Maynard, half joking'
            if subj is None and cue.tag_ in {"VBD", "VBZ", "VBP"}:
                # 'On Dec. 2, Col. Steven Warren, a spokesman, said, "..."' with Warren parsed off the verb
                subj = _nearest_actor_before(cue, cue.doc[cue.sent.start - 1] if cue.sent.start > 0 else None)
        if subj is not None and _not_a_speaker(subj):
            subj = _nearest_actor_before(cue, subj)
        if subj is None and in_quote is not None and cue.pos_ == "VERB":
            # 'X went so far as to say: "..."', 'X drew cheers ... and then boomed, "..."': the holder is the
            # subject of a verb further up than subject_of climbs (advmod, prep, second conjunct)
            subj = _higher_subject(cue, in_quote)
        if subj is None:
            return None, "none"
        antecedent = relative_antecedent(subj)
        if antecedent is not None and 0 < subj.i - antecedent.i <= 4:
            # keep both: the text says "who", the speaker is the noun it stands for
            return subj.doc[noun_phrase(antecedent).start : subj.i + 1], "subject"
        for child in subj.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return noun_phrase(child), "appositive"
        return noun_phrase(subj), "subject"


class _Context:
    """Mentions and descriptors of one doc, for resolving a speaker span to a full name."""

    def __init__(self, doc: Doc, mentions: list[Mention], by_span: dict[CharSpan, Mention],
                 descriptors: list[Descriptor]) -> None:
        self.doc = doc
        self.mentions = mentions
        self.by_span = by_span
        self.descriptors = descriptors

    def latest_subject_mention(self, previous: Statement, before: int) -> Mention | None:
        """The last mention of the previous speaker before `before` that is a clause subject."""
        if previous.speaker is None or previous.speaker_resolved is None:
            return None
        target = previous.speaker_resolved
        for m in reversed(self.mentions):
            if m.char_end > before:
                continue
            if m.char_start <= previous.speaker[0]:
                break
            if (m.antecedent or (m.char_start, m.char_end)) != target:
                continue
            span = self.doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
            if span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}:
                return m
        return None

    def resolve(self, speaker: Span) -> tuple[CharSpan | None, str | None]:
        s, e = speaker.start_char, speaker.end_char
        inside = [m for m in self.mentions if m.char_start >= s and m.char_end <= e and m.label in _ACTOR_LABELS]
        if inside:
            # the head's mention: the last PERSON, else the last actor ("Russia's foreign ministry" -> ministry)
            persons = [m for m in inside if m.label == "PERSON"]
            m = (persons or inside)[-1]
            if m.source == "coref" and m.text.lower() in PRONOUNS_PERSON:
                return m.antecedent, "coref_pronoun"
            return (m.antecedent or (m.char_start, m.char_end)), None
        head = speaker.root
        if head.lower_ in PRONOUNS_PERSON:
            return None, None
        if head.pos_ == "NOUN":
            for d in reversed(self.descriptors):
                if d.char_start < s and d.role and head.lower_ in d.role.lower():
                    named = self.by_span.get(d.name)
                    target = named.antecedent if named and named.antecedent else d.name
                    return target, "coref_description"
        return None, None


def _is_title(span: Span) -> bool:
    """A short run of capitalised words (a show, a book, a slogan in title case), not a sentence."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    if not 1 <= len(words) <= 5 or any(t.pos_ in {"VERB", "AUX", "PRON"} for t in words):
        return False
    return all(t.is_title or t.is_upper or t.is_stop or not t.is_alpha for t in words) \
        and sum(t.is_title for t in words) >= max(1, len(words) // 2 + 1) - (len(words) == 1)


def _drop_chained(statements: list[Statement], weak: set[tuple[CharSpan | None, int, int]] | None = None,
                  ) -> list[Statement]:
    """'X released a statement saying Y': one report. A statement whose content holds another cue of the
    same speaker, right at its start, with its own content inside it ("a statement saying Y") is that chain:
    keep the last link. A partial quote's clause is never a link, and a weak report (stance, intention)
    inside it is part of it."""
    out: list[Statement] = []
    # a partial quote's clause ('said Murphy is "proud" to support the plan') is the report itself: its
    # cue is the partial's, whatever other cue the clause holds
    partial = {(st.cue, st.speaker): st for st in statements if st.quote_type == "partial"}
    clauses = [a for a in statements if a.quote_type == "indirect" and (p := partial.get((a.cue, a.speaker)))
               is not None and a.char_start <= p.char_start and p.char_end <= a.char_end]
    for a in statements:
        if any(a is c for c in clauses):
            out.append(a)
            continue
        if (a.cue, a.char_start, a.char_end) in (weak or set()) and a.cue is not None and any(
                c.speaker == a.speaker and c.char_start <= a.cue[0] and c.char_start <= a.char_start
                and a.char_end <= c.char_end for c in clauses):
            continue  # '... "proud" to support the plan': the inner report is part of the partial's clause
        chained = a.quote_type == "indirect" and a.speaker is not None and a.cue_lemma != "according to" and any(
            b is not a and b.cue is not None and b.cue != a.cue and b.speaker == a.speaker
            and a.char_start <= b.cue[0] < a.char_start + 25 and a.char_start <= b.char_start
            and b.char_end <= a.char_end
            for b in statements)
        if not chained:
            out.append(a)
    return out


def _passive_without_agent(cue: Token) -> bool:
    """'is expected to', 'was told', a bare 'Asked about X, ...': the cue's subject is not its holder."""
    if cue.pos_ != "VERB" or cue.lemma_.lower() == "quote" or any(c.dep_ == "agent" for c in cue.children):
        return False
    if any(c.dep_ == "auxpass" for c in cue.children):
        return True
    return cue.tag_ == "VBN" and cue.dep_ in {"advcl", "acl"} and cue.i < cue.head.i \
        and not any(c.dep_ in {"aux", "nsubj"} for c in cue.children)


def _verb_forms(lemmas: frozenset[str]) -> dict[str, str]:
    """Regular inflections of the cue lemmas: hopes/hoped/hoping -> hope, cries/cried -> cry."""
    out: dict[str, str] = {}
    for lemma in sorted(lemmas):
        if " " in lemma or len(lemma) < 3:
            continue
        forms = {lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
        if lemma.endswith("e"):
            forms.add(lemma[:-1] + "ing")
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
        if lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
        for form in forms:
            out.setdefault(form, lemma)
    return out


def _not_a_speaker(tok: Token) -> bool:
    """A date or a dateline the parser took for the subject ("WASHINGTON, Aug. 24 (UPI) - X said")."""
    if tok.ent_type_ in {"DATE", "TIME"}:
        return True
    return tok.is_upper and len(tok.text) > 2 and tok.ent_type_ == "GPE"


def _inverted_subject(cue: Token, in_quote: list[bool]) -> Token | None:
    """The noun right after an inverted cue ('said Robin Maynard'), whatever the parser attached it to."""
    doc = cue.doc
    for tok in doc[cue.i + 1 : min(cue.i + 5, cue.sent.end)]:
        if in_quote[tok.i] or tok.is_punct:
            return None
        if tok.pos_ in {"PROPN", "NOUN"}:
            while tok.dep_ in {"compound", "flat", "amod"} and tok.head.i > tok.i and tok.head.i < cue.sent.end:
                tok = tok.head
            return tok
    return None


def _signature(doc: Doc, q: QuoteSpan) -> tuple[Token, Span] | None:
    """'"..." ― Paul Ryan', or a quote paragraph followed by '- Clinton.' (fact checks, tweets, pull quotes):
    the name after the dash signs the quote."""
    j = q.close_i + 1
    while j < len(doc) and (doc[j].is_space or doc[j].text == "."):
        j += 1
    if j >= len(doc) or doc[j].text not in _DASHES or (j > 0 and "\n" in doc[j - 1].text_with_ws
                                                        and not doc[j].is_sent_start):
        return None
    for tok in doc[j + 1 : min(j + 4, len(doc))]:
        if tok.is_space or (tok.is_punct and tok.text != "."):
            return None
        if tok.ent_type_ in {"PERSON", "ORG"}:
            ent = next(e for e in doc.ents if e.start <= tok.i < e.end)
            return doc[j], ent
    return None


def _higher_subject(cue: Token, in_quote: list[bool]) -> Token | None:
    node = cue
    for _ in range(4):
        if node.head is node or in_quote[node.head.i]:
            return None
        node = node.head
        subj = subject_of(node)
        if subj is not None:
            return None if in_quote[subj.i] or _not_a_speaker(subj) else subj
    return None


def _nearest_actor_before(cue: Token, wrong: Token | None) -> Token | None:
    for tok in reversed(cue.doc[cue.sent.start : cue.i]):
        if wrong is not None and tok.i <= wrong.i:
            break
        if tok.ent_type_ in {"PERSON", "ORG", "NORP"} or (tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "nsubj"):
            while tok.head.i > tok.i and tok.head.i < cue.i and tok.dep_ in {"compound", "flat"}:
                tok = tok.head
            return tok
    return None


_VP_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "ccomp", "oprd", "acomp", "attr", "prt"})


def _vp_end(cue: Token, first: Token) -> int:
    """Last token of the verb phrase from `first` on (objects and complements, not adverbial clauses)."""
    end = first.right_edge.i
    for child in cue.rights:
        if child.i > first.i and child.dep_ in _VP_DEPS:
            end = max(end, child.right_edge.i)
    doc = cue.doc
    while end > first.i and doc[end].is_punct:
        end -= 1
    return end


def _overlap(s1: int, e1: int, s2: int, e2: int) -> int:
    return max(0, min(e1, e2) - max(s1, s2))


def _mostly_inside(s: int, e: int, spans: list[CharSpan]) -> bool:
    return sum(_overlap(s, e, a, b) for a, b in spans) > 0.5 * (e - s)


def _inherit(st: Statement, previous: Statement, *, same_cue: bool, local: Mention | None = None,
             as_written: bool = False) -> Statement:
    """The previous speaker; as written (another cue, or `as_written`: another paragraph), the latest subject
    mention of that speaker before the quote."""
    cue = (previous.cue, previous.cue_text, previous.cue_lemma) if same_cue else (None, None, None)
    speaker, speaker_text = previous.speaker, previous.speaker_text
    if local is not None and (not same_cue or as_written):
        speaker, speaker_text = (local.char_start, local.char_end), local.text
    return Statement(st.char_start, st.char_end, st.text, st.quote_type, *cue, speaker,
                     speaker_text, previous.speaker_resolved, previous.speaker_resolved_text,
                     "previous_speaker", 0.6)


@Language.factory(
    "newswh_quote_attributor",
    assigns=["doc._.newswh_statements", "doc.spans"],
    requires=["token.dep", "token.lemma", "doc.ents"],
    default_config={"use_reference": True, "max_cue_distance": 12, "min_direct_tokens": 2,
                    "inherit_paragraphs": 2, "speaker_model": True},
)
def make_quote_attributor(
    nlp: Language, name: str, *, use_reference: bool, max_cue_distance: int, min_direct_tokens: int,
    inherit_paragraphs: int, speaker_model: bool,
) -> QuoteAttributor:
    return QuoteAttributor(name, use_reference=use_reference, max_cue_distance=max_cue_distance,
                           min_direct_tokens=min_direct_tokens, inherit_paragraphs=inherit_paragraphs,
                           speaker_model=speaker_model)
