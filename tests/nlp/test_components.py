"""Unit tests of the newswh_* components on the seed article and small sentences."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from ingest.nlp.components.quotes import find_quote_spans
from ingest.nlp.records import Statement


def _statements(doc: Doc, kind: str | None = None) -> list[Statement]:
    return [s for s in doc._.newswh_statements if kind is None or s.quote_type == kind]


def _find(doc: Doc, fragment: str) -> Statement:
    hits = [s for s in doc._.newswh_statements if fragment in s.text]
    assert hits, f"no statement containing {fragment!r}: {[s.text for s in doc._.newswh_statements]}"
    return hits[0]


def test_pipeline_has_components_in_order(nlp: object) -> None:
    names = nlp.pipe_names  # type: ignore[attr-defined]
    assert names.index("newswh_heading_guard") < names.index("parser")
    assert names.index("ner") < names.index("newswh_entity_corrector") < names.index("newswh_quote_attributor")


def test_seed_direct_quotes_resolve_macron_by_coref(seed_doc: Doc) -> None:
    first = _find(seed_doc, "We will do everything necessary")
    second = _find(seed_doc, "There is no consensus today")
    for st in (first, second):
        assert st.quote_type == "direct"
        assert st.speaker_text == "Macron"
        assert st.speaker_resolved_text == "Emmanuel Macron"
    assert first.cue_lemma == "state"
    assert second.cue_lemma == "add"
    assert not first.text.startswith("'") and not first.text.endswith(",")


def test_seed_partial_quote_resolves_trump_via_possessive(seed_doc: Doc) -> None:
    (partial,) = _statements(seed_doc, "partial")
    assert partial.text == "whatever the hell they want"
    assert partial.speaker_resolved_text == "Donald Trump"
    assert (partial.cue_lemma, partial.speaker_method) == ("comment", "possessive")
    comment = next(s for s in _statements(seed_doc, "indirect") if s.cue_lemma == "comment")
    assert comment.speaker_method == "possessive"
    assert comment.speaker_text == "Trump"


def test_seed_indirect_statements(seed_doc: Doc) -> None:
    emphasised = _find(seed_doc, "all options were now on the table")
    assert emphasised.quote_type == "indirect"
    assert emphasised.speaker_resolved_text == "Emmanuel Macron"
    assert emphasised.text.startswith("that all options")
    kremlin = _find(seed_doc, "any deployment of NATO troops")
    assert kremlin.speaker_text == "the Kremlin"
    assert kremlin.cue_lemma == "warn"


def test_seed_descriptors(seed_doc: Doc) -> None:
    by_name = {d.name_text: d for d in seed_doc._.newswh_descriptors}
    assert (by_name["Emmanuel Macron"].role, by_name["Emmanuel Macron"].country_text) == ("President", "French")
    trump = by_name["Donald Trump"]
    assert (trump.role, trump.country_text, trump.is_former) == ("President", "US", True)
    assert (by_name["Olaf Scholz"].role, by_name["Olaf Scholz"].country_text) == ("Chancellor", "German")
    assert not by_name["Emmanuel Macron"].is_former


def test_apposition_descriptor(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Olaf Scholz, the German chancellor, said on Monday that Berlin would send more tanks.")
    (d,) = doc._.newswh_descriptors
    assert (d.name_text, d.role, d.country_text, d.pattern) == ("Olaf Scholz", "Chancellor", "German", "apposition")


def test_heading_is_one_sentence_and_not_a_person(seed_doc: Doc) -> None:
    heading = "A Stark Divide in Transatlantic Unity"
    sents = [s.text.strip() for s in seed_doc.sents]
    assert heading in sents
    start = seed_doc.text.index(heading)
    persons = [m for m in seed_doc._.newswh_mentions if m.label == "PERSON"]
    assert not [m for m in persons if start <= m.char_start < start + len(heading)]
    assert not [s for s in seed_doc._.newswh_statements if start <= s.char_start < start + len(heading)]


def test_surnames_and_pronouns_link_to_full_name(seed_doc: Doc) -> None:
    text = seed_doc.text
    full = {(m.char_start, m.char_end): m.text for m in seed_doc._.newswh_mentions}
    macrons = [m for m in seed_doc._.newswh_mentions if m.text == "Macron"]
    assert macrons and all(m.label == "PERSON" and full[m.antecedent] == "Emmanuel Macron"  # type: ignore[index]
                           for m in macrons)
    he = next(m for m in seed_doc._.newswh_mentions if m.text == "he")
    assert he.antecedent is not None and text[he.antecedent[0]:he.antecedent[1]] == "Donald Trump"


def test_alias_ruler_makes_trump_a_person(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Trump told reporters that NATO allies must pay more.")
    assert [(m.text, m.label) for m in doc._.newswh_mentions if m.text == "Trump"] == [("Trump", "PERSON")]


def test_apostrophes_are_not_quote_marks(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Trump's allies don't remember the '90s, and the leaders' summit in Paris ended early.")
    assert find_quote_spans(doc) == []
    assert _statements(doc) == []


def test_curly_and_double_quotes_with_cue_after_and_before(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text(
        "“We are ready to talk,” the minister said. Angela Merkel told reporters: \"Nothing is decided yet.\""
    )
    ready = _find(doc, "We are ready to talk")
    assert (ready.quote_type, ready.speaker_text) == ("direct", "the minister")
    decided = _find(doc, "Nothing is decided yet")
    assert decided.speaker_text == "Angela Merkel" and decided.cue_lemma == "tell"


def test_quote_continues_into_next_paragraph(annotate_text: Callable[[str], Doc]) -> None:
    text = (
        "Olaf Scholz spoke after the summit in Berlin.\n"
        "\"We will not send troops,\" Scholz said. \"This has been our position from the start.\n"
        "\"And it will stay our position for as long as this war goes on.\"\n"
        "The meeting ended in the evening."
    )
    doc = annotate_text(text)
    multi = _find(doc, "This has been our position")
    assert "as long as this war goes on" in multi.text
    assert multi.speaker_resolved_text == "Olaf Scholz"


def test_according_to_and_indirect_said(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("According to the Kremlin, the talks will resume next week. "
                        "Biden said that the sanctions would stay in place.")
    acc = _find(doc, "the talks will resume")
    assert acc.cue_lemma == "according to" and acc.speaker_text == "the Kremlin"
    said = _find(doc, "the sanctions would stay")
    assert (said.quote_type, said.speaker_text) == ("indirect", "Biden")


def test_events_with_arguments_and_modality(seed_doc: Doc, annotate_text: Callable[[str], Doc]) -> None:
    supply = next(e for e in seed_doc._.newswh_events if e.trigger_lemma == "supply")
    assert supply.object_text and "missiles" in supply.object_text
    assert ("to", "Ukraine") in [(p.prep, p.text) for p in supply.prep_args]
    meeting = next(e for e in seed_doc._.newswh_events if e.trigger_lemma == "meeting" and e.prep_args)
    assert "Paris" in [p.text for p in meeting.prep_args]
    doc = annotate_text("France could send troops to Ukraine. Germany will supply tanks. Russia did not attack Poland.")
    modality = {e.trigger_lemma: (e.modality, e.is_negated) for e in doc._.newswh_events}
    assert modality["send"] == ("hypothetical", False)
    assert modality["supply"] == ("future", False)
    assert modality["attack"] == ("actual", True)


def test_two_apostrophe_quotes_and_inverted_speaker(annotate_text: Callable[[str], Doc]) -> None:
    # the NYT archive writes ''...'' for double quotes; "said X" puts the speaker after the verb
    doc = annotate_text(
        "Leonard Burman studies taxes.\n"
        "''It's anti-reform. She's layering on complexity,'' said Leonard Burman, half joking.\n"
        "''It's Bernie's to lose at this point,'' added another New Hampshire Democrat.\n"
    )
    reform = _find(doc, "It's anti-reform")
    assert (reform.quote_type, reform.cue_lemma, reform.speaker_text) == ("direct", "say", "Leonard Burman")
    assert not [s for s in doc._.newswh_statements if s.text.startswith("Leonard Burman")]
    lose = _find(doc, "Bernie's to lose")
    assert lose.speaker_text == "another New Hampshire Democrat"


def test_speaker_as_written_after_a_continued_quote(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text(
        "\"We will not send troops,\" Olaf Scholz said on Monday.\n"
        "Scholz then turned to the budget and spoke about the debt brake.\n"
        "\"The money is not there.\"\n"
    )
    money = _find(doc, "The money is not there")
    assert money.speaker_method == "previous_speaker"
    assert money.speaker_text == "Scholz"  # the latest mention as written, as PolNeAR marks the Source
    assert money.speaker_resolved_text == "Olaf Scholz"


def test_partial_quote_also_reports_its_clause(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Petrilli called the new law “much, much better” than the old one.")
    (partial,) = _statements(doc, "partial")
    assert partial.text == "much, much better"
    clause = next(s for s in _statements(doc, "indirect") if s.cue == partial.cue)
    assert clause.text.startswith("the new law") and clause.speaker_text == "Petrilli"


def test_partial_quote_clause_survives_its_own_cue_and_inner_cues(annotate_text: Callable[[str], Doc]) -> None:
    # the clause is not a 'statement saying Y' chain: neither its own cue right after it nor a cue inside it
    doc = annotate_text(
        'This is a "raw time," said Democratic strategist David Axelrod, a longtime Emanuel ally.\n'
        "Murphy’s spokeswoman Galia Slayen said Murphy is “proud” to support Clinton’s plan.\n"
    )
    for quoted, clause_text in (("raw time", 'This is a "raw time,"'),
                                ("proud", "Murphy is “proud” to support Clinton’s plan")):
        partial = next(s for s in _statements(doc, "partial") if s.text == quoted)
        clause = next(s for s in doc._.newswh_statements if s.text == clause_text)
        assert (clause.quote_type, clause.cue, clause.speaker) == ("indirect", partial.cue, partial.speaker)
    assert not any(s.text == "Clinton’s plan" for s in doc._.newswh_statements)  # part of the clause


def test_headline_colon_poll_source_and_passive_cues(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text(
        "Mark Cuban: I'd consider a future White House bid\n"
        "In the latest CNN/ORC poll released Monday, Carson fell to 10 percent.\n"
        "Clinton was expected to capture a large majority of them. Sanders hopes to win in Oregon.\n"
    )
    headline = _find(doc, "I'd consider a future White House bid")
    assert (headline.cue_text, headline.speaker_text) == (":", "Mark Cuban")
    poll = _find(doc, "Carson fell to 10 percent")
    assert (poll.cue_lemma, poll.speaker_text, poll.speaker_method) == ("in", "the latest CNN/ORC poll", "according_to")
    expected = _find(doc, "to capture a large majority")
    assert expected.speaker is None  # nobody named holds the expectation; Clinton is part of the content
    hopes = _find(doc, "to win in Oregon")
    assert (hopes.cue_lemma, hopes.speaker_text) == ("hope", "Sanders")  # the lemmatizer says "hop"


def test_attitude_adjectives_and_holderless_beliefs(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text("Many Republicans are supportive of the wall. Carson seems to recognize his problem.")
    wall = _find(doc, "the wall")
    assert (wall.cue_text, wall.speaker_text) == ("supportive", "Many Republicans")
    seems = _find(doc, "to recognize his problem")
    assert seems.text.startswith("Carson") and seems.speaker is None


def test_no_empty_sentences_around_a_punctuation_only_paragraph(annotate_text: Callable[[str], Doc]) -> None:
    """Found at 10k articles: a "." paragraph left a bare newline token as a sentence."""
    from ingest.nlp.rows import doc_rows

    doc = annotate_text("Officials asked witnesses to contact Inspector Jane Roe on\n.\n"
                        "The mayor has ordered an inquiry into the fire.")
    sentences = doc_rows(doc, "a1", "v", "r")["sentences"]
    assert sentences and all(row["char_end"] > row["char_start"] for row in sentences)
    assert all(row["text"].strip() == row["text"] and row["text"] for row in sentences)


def test_signed_quotes_later_attributions_and_participles(annotate_text: Callable[[str], Doc]) -> None:
    doc = annotate_text(
        "\"We will build more schools in every county.\" ― Jane Miller.\n"
        "\"Taxes will go up next year,\" Tom Baker said.\n"
        "Anna Novak says she received a call from her sister. \"She told me the bridge was closed.\"\n"
        "Peter Hall said the budget plan hurts families, explaining, \"It cuts too much too fast.\"\n"
    )
    signed = _find(doc, "We will build more schools")
    assert (signed.cue_text, signed.speaker_text) == ("―", "Jane Miller")
    # the latest attribution before an uncued quote wins, even an indirect one
    assert _find(doc, "She told me the bridge").speaker_resolved_text == "Anna Novak"
    # the participle hangs on the reported clause in the parse; the reporter explains
    assert _find(doc, "It cuts too much").speaker_text == "Peter Hall"
