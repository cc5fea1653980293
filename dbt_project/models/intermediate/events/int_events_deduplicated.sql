-- One row per real-world event. Reports are counted per story, so a syndicated copy adds a
-- source but neither a mention nor an article; a corrected version replaced its predecessor
-- upstream (int_articles_annotated).
with

event_mentions as (select * from {{ ref('int_event_mentions_coded') }}),

mentions_per_story as (
    select
        event_mentions.event_id,
        event_mentions.story_id,
        max(event_mentions.mention_count) as mention_count
    from (
        select
            event_mentions.event_id,
            event_mentions.story_id,
            event_mentions.article_id,
            count(*) as mention_count
        from event_mentions
        group by event_mentions.event_id, event_mentions.story_id, event_mentions.article_id
    ) as event_mentions
    group by event_mentions.event_id, event_mentions.story_id
),

story_counts as (
    select
        mentions_per_story.event_id,
        cast(sum(mentions_per_story.mention_count) as bigint) as num_mentions,
        count(*) as num_articles
    from mentions_per_story
    group by mentions_per_story.event_id
),

events as (
    select
        event_mentions.event_id,
        any_value(event_mentions.cameo_code) as cameo_code,
        any_value(event_mentions.source_actor_id) as source_actor_id,
        any_value(event_mentions.target_actor_id) as target_actor_id,
        min(event_mentions.event_date) as event_date,
        mode(event_mentions.place_name order by event_mentions.place_name) as place_name,
        count(distinct event_mentions.source_id) as num_sources,
        count(distinct event_mentions.article_id) as num_reports,
        arg_min(
            event_mentions.article_id, coalesce(event_mentions.published_on, date '9999-12-31')
        ) as first_article_id,
        avg(event_mentions.confidence) as avg_confidence
    from event_mentions
    group by event_mentions.event_id
),

events_counted as (
    select
        events.event_id,
        events.cameo_code,
        events.source_actor_id,
        events.target_actor_id,
        events.event_date,
        events.place_name,
        story_counts.num_mentions,
        story_counts.num_articles,
        events.num_sources,
        events.num_reports,
        events.first_article_id,
        events.avg_confidence
    from events
    inner join story_counts on events.event_id = story_counts.event_id
)

select * from events_counted
