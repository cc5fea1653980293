"""marts.dim_event_types: the CAMEO taxonomy seed as a dimension."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_event_types"
TABLE = "marts.dim_event_types"
QUERY = """
select
    dim_event_types.quad_class,
    dim_event_types.goldstein_scale
from marts.dim_event_types
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeInSet(
                column="quad_class",
                value_set=[1, 2, 3, 4],
                meta=meta(CRITICAL),
                notes="CAMEO quad classes are 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="goldstein_scale",
                min_value=-10,
                max_value=10,
                meta=meta(CRITICAL),
                notes="The Goldstein scale runs from -10 (most conflictual) to +10; analysts average it.",
            ),
        ],
    )
