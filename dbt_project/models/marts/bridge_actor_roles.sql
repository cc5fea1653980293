with

actor_roles as (select * from {{ ref('int_actor_roles_unioned') }}),

final as (
    select
        actor_roles.actor_role_id,
        actor_roles.actor_id,
        actor_roles.role_name,
        actor_roles.org_or_country,
        actor_roles.valid_from,
        actor_roles.valid_to,
        actor_roles.is_current,
        actor_roles.role_source,
        actor_roles.evidence
    from actor_roles
)

select * from final
