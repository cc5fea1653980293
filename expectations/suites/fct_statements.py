"""marts.fct_statements: one row per attributed quote (narrow: flags and lengths, not the text)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import (
    CRITICAL,
    UNKNOWN_ACTOR_ID,
    WARNING,
    meta,
    row_count_expectations,
    suite,
)
from expectations.thresholds import Thresholds

NAME = "fct_statements"
TABLE = "marts.fct_statements"
# The text itself only for rows holding a character that starts every mojibake pattern in
# thresholds.yml (Â Ã â or U+FFFD); GX applies the exact patterns. Keeps the frame small.
QUERY = f"""
select
    (fct_statements.speaker_actor_id <> '{UNKNOWN_ACTOR_ID}')::tinyint as has_resolved_speaker,
    length(fct_statements.statement_text) as statement_text_length,
    case
        when regexp_matches(fct_statements.statement_text, '[ÂÃâ\ufffd]') then fct_statements.statement_text
    end as suspect_statement_text,
    fct_statements.char_start,
    fct_statements.char_end
from marts.fct_statements
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    statements = thresholds["statements"]
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnMeanToBeBetween(
                column="has_resolved_speaker",
                min_value=statements["min_resolved_speaker_share"],
                meta=meta(CRITICAL),
                notes=(
                    "Share of statements whose speaker resolved to an actor (not the 'unknown' member). "
                    "Who-said-what is the point of the mart; a drop means speaker attribution or actor "
                    "resolution (aliases seed, coreference) broke."
                ),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="statement_text_length",
                min_value=statements["min_text_length"],
                max_value=statements["max_text_length"],
                mostly=statements["text_length_mostly"],
                meta=meta(WARNING),
                notes=(
                    "Quote text shorter than a word is an extraction artefact; longer than a few paragraphs "
                    "means a quotation mark was never closed and the quote swallowed the article."
                ),
            ),
            gxe.ExpectColumnValuesToNotMatchRegexList(
                column="suspect_statement_text",
                regex_list=list(statements["mojibake_patterns"]),
                meta=meta(CRITICAL),
                notes=(
                    "Mojibake (UTF-8 bytes decoded as cp1252/latin-1: 'â€™' for ’, 'Ã©' for é) or U+FFFD "
                    "means a reader guessed the wrong encoding; quotes would be published garbled."
                ),
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="char_end",
                column_B="char_start",
                meta=meta(CRITICAL),
                notes="Offsets point into raw.articles.body; an empty or inverted span cannot be highlighted.",
            ),
        ],
    )
