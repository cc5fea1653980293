with

event_actors as (select * from {{ ref('int_event_actors_joined') }}),

final as (
    select
        event_actors.event_actor_id,
        event_actors.event_id,
        event_actors.actor_id,
        event_actors.actor_role,
        event_actors.num_articles
    from event_actors
)

select * from final
