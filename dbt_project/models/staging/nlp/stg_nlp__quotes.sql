with

source_quotes as (select * from {{ source('nlp', 'quotes') }}),

renamed as (
    select
        quote_id,
        article_id,
        extractor_version,
        sentence_index,
        sentence_index_end,
        char_start,
        char_end,
        text as quote_text,
        quote_type,
        cue_text,
        lower(cue_lemma) as cue_lemma,
        cue_char_start,
        cue_char_end,
        speaker_text,
        {{ normalize_name('speaker_text') }} as speaker_name_normalized,
        speaker_mention_id,
        speaker_char_start,
        speaker_char_end,
        speaker_method,
        confidence,
        annotation_run_id
    from source_quotes
)

select * from renamed
