with

source_mentions as (select * from {{ source('nlp', 'entity_mentions') }}),

renamed as (
    select
        mention_id,
        article_id,
        extractor_version,
        sentence_index,
        char_start,
        char_end,
        text as mention_text,
        {{ normalize_name('text') }} as mention_name_normalized,
        upper(label) as entity_label,
        model_label,
        mention_source,
        antecedent_mention_id,
        annotation_run_id
    from source_mentions
)

select * from renamed
