-- Every actor taking part in an event, with its role, over all reports of the event.
with

event_mentions as (select * from {{ ref('int_event_mentions_coded') }}),

arguments as (select * from {{ ref('int_event_arguments_resolved') }}),

actor_mentions as (select * from {{ ref('int_actor_mentions_resolved') }}),

-- people named in the sentence of a meeting or cooperation event (CAMEO roots 03, 04) took part in
-- it: "The meeting in Paris saw leaders ..., including Olaf Scholz and Andrzej Duda, agree to ..."
meeting_attendees as (
    select
        event_mentions.event_id,
        actor_mentions.actor_id,
        'participant' as actor_role,
        event_mentions.story_id
    from event_mentions
    inner join actor_mentions
        on
            event_mentions.article_id = actor_mentions.article_id
            and event_mentions.extractor_version = actor_mentions.extractor_version
            and event_mentions.sentence_index = actor_mentions.sentence_index
    where
        left(event_mentions.cameo_code, 2) in ('03', '04')
        -- a verb clause ("leaders ... agree to"), not a noun naming the meeting in passing
        and event_mentions.trigger_pos = 'VERB'
        and actor_mentions.actor_type = 'person'
),

event_arguments as (
    select
        event_mentions.event_id,
        arguments.actor_id,
        arguments.argument_role as actor_role,
        event_mentions.story_id
    from event_mentions
    inner join arguments
        on
            event_mentions.event_candidate_id = arguments.event_candidate_id
            and event_mentions.extractor_version = arguments.extractor_version
    union all
    select
        event_mentions.event_id,
        event_mentions.source_actor_id as actor_id,
        'source' as actor_role,
        event_mentions.story_id
    from event_mentions
    union all
    select
        event_mentions.event_id,
        event_mentions.target_actor_id as actor_id,
        'target' as actor_role,
        event_mentions.story_id
    from event_mentions
    union all
    select * from meeting_attendees
),

event_actors as (
    select
        {{ surrogate_key(['event_arguments.event_id', 'event_arguments.actor_id', 'event_arguments.actor_role']) }}
            as event_actor_id,
        event_arguments.event_id,
        event_arguments.actor_id,
        event_arguments.actor_role,
        count(distinct event_arguments.story_id) as num_articles
    from event_arguments
    where event_arguments.actor_id != '{{ var("unknown_actor_id") }}'
    group by event_arguments.event_id, event_arguments.actor_id, event_arguments.actor_role
)

select * from event_actors
