with

source_sentences as (select * from {{ source('nlp', 'sentences') }}),

renamed as (
    select
        {{ surrogate_key(['article_id', 'extractor_version', 'sentence_index']) }} as sentence_id,
        article_id,
        extractor_version,
        sentence_index,
        paragraph_index,
        char_start,
        char_end,
        is_heading,
        text as sentence_text,
        annotation_run_id
    from source_sentences
)

select * from renamed
