with

actor_mentions as (select * from {{ ref('int_actor_mentions_resolved') }}),

final as (
    select
        actor_mentions.actor_mention_id,
        actor_mentions.actor_id,
        actor_mentions.article_id,
        actor_mentions.source_id,
        actor_mentions.story_id,
        actor_mentions.is_duplicate_copy,
        actor_mentions.published_on,
        actor_mentions.story_published_on,
        actor_mentions.mention_id,
        actor_mentions.mention_text,
        actor_mentions.entity_label,
        actor_mentions.mention_source,
        actor_mentions.resolution_method,
        actor_mentions.sentence_index,
        actor_mentions.char_start,
        actor_mentions.char_end,
        actor_mentions.extractor_version,
        actor_mentions.annotated_at
    from actor_mentions
    {% if is_incremental() %}
        where actor_mentions.article_id in {{ incremental_articles(ref('int_articles_annotated'), this) }}
    {% endif %}
)

select * from final
