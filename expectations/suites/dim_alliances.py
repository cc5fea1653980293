"""marts.dim_alliances: seeded alliances and coalitions extracted from articles."""

from __future__ import annotations

from datetime import date

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_alliances"
TABLE = "marts.dim_alliances"
QUERY = """
select dim_alliances.founded_on
from marts.dim_alliances
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    earliest = date.fromisoformat(thresholds["published_at"]["earliest"])
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeBetween(
                column="founded_on",
                min_value={"$PARAMETER": "earliest_date"},
                max_value={"$PARAMETER": "latest_date"},
                meta=meta(WARNING),
                notes=(
                    f"A founding date before {earliest:%Y} or in the future is a typo in alliances.csv or a "
                    "mis-parsed date of an extracted coalition."
                ),
            ),
        ],
    )
