-- Members of an alliance on a given day (vars alliance_code, on_date).
with

memberships as (select * from {{ ref('bridge_alliance_memberships') }}),

alliances as (select * from {{ ref('dim_alliances') }}),

actors as (select * from {{ ref('dim_actors') }}),

members_on_date as (
    select
        alliances.alliance_code,
        actors.actor_name as member,
        memberships.member_iso3,
        memberships.joined_on
    from memberships
    inner join alliances on memberships.alliance_id = alliances.alliance_id
    inner join actors on memberships.member_actor_id = actors.actor_id
    where
        alliances.alliance_code = '{{ var("alliance_code", "NATO") }}'
        and memberships.joined_on <= date '{{ var("on_date", "2024-02-27") }}'
        and (memberships.left_on is null or memberships.left_on > date '{{ var("on_date", "2024-02-27") }}')
)

select * from members_on_date
order by joined_on, member
