with

statements as (select * from {{ ref('int_quotes_attributed') }}),

final as (
    select
        statements.statement_id,
        statements.speaker_actor_id,
        statements.article_id,
        statements.source_id,
        statements.story_id,
        statements.is_duplicate_copy,
        statements.published_on,
        statements.story_published_on,
        statements.quote_type as statement_type,
        statements.cue_statement_type,
        statements.quote_text as statement_text,
        statements.cue_text,
        statements.cue_lemma,
        statements.speaker_text,
        statements.speaker_method,
        statements.speaker_resolution,
        statements.confidence,
        statements.is_low_confidence,
        statements.sentence_index,
        statements.sentence_index_end,
        statements.char_start,
        statements.char_end,
        statements.cue_char_start,
        statements.cue_char_end,
        statements.speaker_char_start,
        statements.speaker_char_end,
        statements.extractor_version,
        statements.annotated_at
    from statements
    {% if is_incremental() %}
        where statements.article_id in {{ incremental_articles(ref('int_articles_annotated'), this) }}
    {% endif %}
)

select * from final
