-- A role period ends after it starts (valid_to is exclusive).
with

actor_roles as (select * from {{ ref('bridge_actor_roles') }}),

invalid_periods as (
    select
        actor_roles.actor_role_id,
        actor_roles.valid_from,
        actor_roles.valid_to
    from actor_roles
    where actor_roles.valid_to <= actor_roles.valid_from
)

select * from invalid_periods
