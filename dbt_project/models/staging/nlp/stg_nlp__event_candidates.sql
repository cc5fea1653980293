with

source_candidates as (select * from {{ source('nlp', 'event_candidates') }}),

renamed as (
    select
        event_candidate_id,
        article_id,
        extractor_version,
        sentence_index,
        char_start,
        char_end,
        trigger_text,
        lower(trigger_lemma) as trigger_lemma,
        upper(trigger_pos) as trigger_pos,
        trigger_char_start,
        trigger_char_end,
        subject_text,
        subject_char_start,
        subject_char_end,
        subject_mention_id,
        object_text,
        object_char_start,
        object_char_end,
        object_mention_id,
        prep_args,
        is_negated,
        modality,
        confidence,
        annotation_run_id
    from source_candidates
)

select * from renamed
