"""marts.fct_event_mentions: one row per coded event report in an article."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "fct_event_mentions"
TABLE = "marts.fct_event_mentions"
QUERY = """
select
    fct_event_mentions.cameo_code,
    fct_event_mentions.char_start,
    fct_event_mentions.char_end
from marts.fct_event_mentions
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeInSet(
                column="cameo_code",
                value_set={"$PARAMETER": "event_type_codes"},
                meta=meta(CRITICAL),
                notes="Event codes come from event_triggers.csv and must exist in the taxonomy seed event_types.",
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="char_end",
                column_B="char_start",
                meta=meta(CRITICAL),
                notes="The clause span points into raw.articles.body; an empty or inverted span is an offset bug.",
            ),
        ],
    )
