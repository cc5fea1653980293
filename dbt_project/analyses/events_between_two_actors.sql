-- Events between two actors, in either direction (vars actor_a, actor_b).
with

events as (select * from {{ ref('fct_events') }}),

actors as (select * from {{ ref('dim_actors') }}),

event_types as (select * from {{ ref('dim_event_types') }}),

pair_events as (
    select
        events.event_date,
        sources.actor_name as source_actor,
        event_types.event_type_name,
        targets.actor_name as target_actor,
        events.place_name,
        events.num_articles,
        events.num_sources
    from events
    inner join actors as sources on events.source_actor_id = sources.actor_id
    inner join actors as targets on events.target_actor_id = targets.actor_id
    left join event_types on events.cameo_code = event_types.cameo_code
    where
        (
            sources.actor_name = '{{ var("actor_a", "Andrzej Duda") }}'
            and targets.actor_name = '{{ var("actor_b", "Donald Trump") }}'
        )
        or (
            sources.actor_name = '{{ var("actor_b", "Donald Trump") }}'
            and targets.actor_name = '{{ var("actor_a", "Andrzej Duda") }}'
        )
)

select * from pair_events
order by event_date, source_actor, event_type_name, target_actor, place_name
