with

source_duplicates as (select * from {{ source('ingest', 'duplicate_documents') }}),

renamed as (
    select
        {{ surrogate_key(['raw_path', 'record_locator', 'content_sha256']) }} as duplicate_document_id,
        raw_path,
        record_locator,
        content_sha256,
        duplicate_of as duplicate_of_article_id,
        ingest_run_id,
        seen_at
    from source_duplicates
)

select * from renamed
