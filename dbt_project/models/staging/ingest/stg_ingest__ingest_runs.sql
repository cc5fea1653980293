with

source_runs as (select * from {{ source('ingest', 'ingest_runs') }}),

renamed as (
    select
        run_id as ingest_run_id,
        started_at,
        ended_at,
        status as run_status,
        inputs,
        files as file_count,
        records as record_count,
        loaded as loaded_count,
        already_present as already_present_count,
        duplicates as duplicate_count,
        new_versions as new_version_count,
        near_duplicates as near_duplicate_count,
        rejected as rejected_count,
        warnings as warning_count,
        tool_version
    from source_runs
)

select * from renamed
