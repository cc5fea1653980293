"""marts.dim_sources: one row per publisher, plus 'unknown'."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_sources"
TABLE = "marts.dim_sources"
QUERY = """
select (dim_sources.source_id = 'unknown')::tinyint as is_unknown_source,
       dim_sources.article_count
from marts.dim_sources
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnSumToBeBetween(
                column="is_unknown_source",
                min_value=1,
                max_value=1,
                meta=meta(WARNING),
                notes="Articles without a publisher point at exactly one 'unknown' source row.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="article_count",
                min_value=0,
                meta=meta(WARNING),
                notes="Article counts are counts; a negative value is an arithmetic bug in the model.",
            ),
        ],
    )
