with

event_mentions as (select * from {{ ref('int_event_mentions_coded') }}),

final as (
    select
        event_mentions.event_mention_id,
        event_mentions.event_id,
        event_mentions.article_id,
        event_mentions.source_id,
        event_mentions.story_id,
        event_mentions.is_duplicate_copy,
        event_mentions.published_on,
        event_mentions.event_date,
        event_mentions.cameo_code,
        event_mentions.source_actor_id,
        event_mentions.target_actor_id,
        event_mentions.place_name,
        event_mentions.place_basis,
        event_mentions.trigger_text,
        event_mentions.trigger_lemma,
        event_mentions.subject_text,
        event_mentions.object_text,
        event_mentions.confidence,
        event_mentions.sentence_index,
        event_mentions.char_start,
        event_mentions.char_end,
        event_mentions.extractor_version,
        event_mentions.annotated_at
    from event_mentions
    {% if is_incremental() %}
        where event_mentions.article_id in {{ incremental_articles(ref('int_articles_annotated'), this) }}
    {% endif %}
)

select * from final
