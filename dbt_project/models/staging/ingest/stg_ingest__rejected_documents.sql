with

source_rejects as (select * from {{ source('ingest', 'rejected_documents') }}),

renamed as (
    select
        reject_id,
        raw_path,
        record_locator,
        reason_code,
        message as reject_message,
        raw_snippet,
        ingest_run_id,
        rejected_at
    from source_rejects
)

select * from renamed
