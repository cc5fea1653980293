-- A membership period cannot end before it starts.
with

memberships as (select * from {{ ref('bridge_alliance_memberships') }}),

invalid_periods as (
    select
        memberships.alliance_membership_id,
        memberships.alliance_id,
        memberships.member_actor_id,
        memberships.joined_on,
        memberships.left_on
    from memberships
    where memberships.left_on < memberships.joined_on
)

select * from invalid_periods
