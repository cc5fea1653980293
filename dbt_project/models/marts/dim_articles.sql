with

articles as (select * from {{ ref('int_articles_versioned') }}),

final as (
    select
        articles.article_id,
        articles.source_id,
        articles.story_id,
        articles.title,
        articles.url,
        articles.canonical_url,
        articles.published_at,
        articles.published_on,
        articles.story_published_on,
        articles.dateline_place,
        articles.language_code,
        articles.article_version,
        articles.previous_version_id,
        articles.is_latest_version,
        articles.duplicate_of_article_id,
        articles.is_duplicate_copy,
        articles.is_counted,
        articles.extractor_version,
        articles.annotated_at,
        articles.char_count,
        articles.word_count,
        articles.input_format,
        articles.raw_path,
        articles.record_locator,
        articles.ingest_run_id,
        articles.ingested_at
    from articles
)

select * from final
