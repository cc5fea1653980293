"""marts.dim_articles, one row per article version, with its facts counted per article in DuckDB."""

from __future__ import annotations

from datetime import UTC, datetime

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_articles"
TABLE = "marts.dim_articles"
# Aggregates per article are computed here so the frame has one narrow row per article, also at
# 100k articles; NULL for articles that are not counted (older versions), which the
# column-value expectations skip.
QUERY = """
with
statements as (
    select fct_statements.article_id, count(*) as n
    from marts.fct_statements
    group by fct_statements.article_id
),
event_mentions as (
    select fct_event_mentions.article_id, count(*) as n
    from marts.fct_event_mentions
    group by fct_event_mentions.article_id
),
rejected as (
    select distinct rejected_documents.raw_path, rejected_documents.record_locator
    from raw.rejected_documents
)
select
    dim_articles.published_at,
    case
        when rejected.raw_path is not null
            then dim_articles.raw_path || '#' || coalesce(dim_articles.record_locator, '')
    end as also_rejected_locator,
    case when dim_articles.is_counted then coalesce(statements.n, 0) end as statements_per_article,
    case when dim_articles.is_counted then coalesce(event_mentions.n, 0) end as event_mentions_per_article
from marts.dim_articles
left join statements on dim_articles.article_id = statements.article_id
left join event_mentions on dim_articles.article_id = event_mentions.article_id
left join rejected
    on dim_articles.raw_path = rejected.raw_path
    and coalesce(dim_articles.record_locator, '') = coalesce(rejected.record_locator, '')
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    earliest = datetime.fromisoformat(thresholds["published_at"]["earliest"]).replace(tzinfo=UTC)
    per_article = thresholds["per_article"]
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
                    f"An article dated before {earliest:%Y} or in the future (beyond "
                    f"{thresholds['published_at']['max_future_hours']} h of time-zone slack) has a mis-parsed "
                    "date; analysts filter and group by it. NULL (unknown) is allowed."
                ),
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="also_rejected_locator",
                meta=meta(CRITICAL),
                notes=(
                    "A document is either loaded or quarantined, never both: the same raw_path + record_locator "
                    "in raw.rejected_documents means a reader both yielded and rejected it (or a stale reject "
                    "survived a fixed re-ingest). Values listed are raw_path#record_locator."
                ),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="statements_per_article",
                min_value=0,
                max_value=per_article["max_statements"],
                mostly=per_article["mostly"],
                meta=meta(WARNING),
                notes="Dozens of quotes in one article point at a quotation mark the attributor never closed.",
            ),
            gxe.ExpectColumnMeanToBeBetween(
                column="statements_per_article",
                min_value=per_article["mean_statements_min"],
                max_value=per_article["mean_statements_max"],
                meta=meta(WARNING),
                notes=(
                    "News quotes people: an average near zero quotes per counted article means the quote "
                    "extractor or its join to articles silently stopped working."
                ),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="event_mentions_per_article",
                min_value=0,
                max_value=per_article["max_event_mentions"],
                mostly=per_article["mostly"],
                meta=meta(WARNING),
                notes="Too many coded events in one article: a trigger lemma in event_triggers is too generic.",
            ),
        ],
    )
