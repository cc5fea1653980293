-- The articles facts are built from: the latest version of each URL, annotated, with the
-- extractor version whose rows count.
with

articles as (select * from {{ ref('int_articles_versioned') }}),

counted_articles as (
    select
        articles.article_id,
        articles.story_id,
        articles.is_duplicate_copy,
        articles.source_id,
        articles.published_at,
        articles.published_on,
        articles.story_published_on,
        articles.dateline_place,
        articles.extractor_version,
        articles.annotation_run_id,
        articles.annotated_at
    from articles
    where articles.is_counted
)

select * from counted_articles
