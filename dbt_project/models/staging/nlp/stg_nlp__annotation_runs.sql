with

source_runs as (select * from {{ source('nlp', 'annotation_runs') }}),

renamed as (
    select
        run_id as annotation_run_id,
        extractor_version,
        started_at,
        ended_at,
        status as run_status,
        workers as worker_count,
        articles as article_count,
        sentences as sentence_count,
        mentions as mention_count,
        quotes as quote_count,
        event_candidates as event_candidate_count
    from source_runs
)

select * from renamed
