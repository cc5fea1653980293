"""raw layer: raw.articles as `newswh ingest` and `newswh annotate` left it (one row per article)."""

from __future__ import annotations

from datetime import UTC, datetime

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "raw"
TABLE = "raw.articles"
QUERY = """
select
    articles.published_at,
    exists (
        select 1 from raw.annotated_articles
        where annotated_articles.article_id = articles.article_id
    )::tinyint as is_annotated
from raw.articles as articles
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    earliest = datetime.fromisoformat(thresholds["published_at"]["earliest"]).replace(tzinfo=UTC)
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeBetween(
                column="published_at",
                min_value=earliest,
                max_value={"$PARAMETER": "latest_published_at"},
                meta=meta(CRITICAL),
                notes=(
                    "Readers parse dates from many formats; a date before "
                    f"{earliest:%Y} (epoch 0, a two-digit year) or in the future is a parse error that would put "
                    "the article in the wrong dim_date day. Unknown dates stay NULL and are not checked."
                ),
            ),
            gxe.ExpectColumnMeanToBeBetween(
                column="is_annotated",
                min_value=thresholds["articles"]["min_annotated_share"],
                meta=meta(WARNING),
                notes=(
                    "Share of raw.articles annotated by some extractor version: a low share means "
                    "`newswh annotate` was not run (or died) after the last ingest, so marts miss those articles."
                ),
            ),
        ],
    )
