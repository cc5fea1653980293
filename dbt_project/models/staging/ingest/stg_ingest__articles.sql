with

source_articles as (select * from {{ source('ingest', 'articles') }}),

renamed as (
    select
        article_id,
        version as article_version,
        previous_version_id,
        content_sha256,
        nullif(trim(source), '') as source_name,
        url,
        canonical_url,
        external_id,
        title,
        authors,
        byline,
        dateline,
        nullif(trim(dateline_place), '') as dateline_place,
        published_at,
        cast(timezone('UTC', published_at) as date) as published_on,
        published_at_raw,
        language as language_code,
        body,
        char_count,
        word_count,
        duplicate_of as duplicate_of_article_id,
        duplicate_similarity,
        format as input_format,
        raw_path,
        record_locator,
        coalesce(len(warnings), 0) as warning_count,
        ingest_run_id,
        ingested_at
    from source_articles
)

select * from renamed
