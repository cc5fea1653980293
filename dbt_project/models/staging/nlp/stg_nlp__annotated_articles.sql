with

source_annotated as (select * from {{ source('nlp', 'annotated_articles') }}),

renamed as (
    select
        article_id,
        extractor_version,
        annotation_run_id,
        annotated_at
    from source_annotated
)

select * from renamed
