-- Coalitions announced in the news, with their members as extracted.
with

alliances as (select * from {{ ref('dim_alliances') }}),

memberships as (select * from {{ ref('bridge_alliance_memberships') }}),

actors as (select * from {{ ref('dim_actors') }}),

coalitions as (
    select
        alliances.alliance_code,
        alliances.alliance_name,
        alliances.founded_on,
        alliances.source_article_id,
        string_agg(actors.actor_name, ', ' order by actors.actor_name) as members
    from alliances
    left join memberships on alliances.alliance_id = memberships.alliance_id
    left join actors on memberships.member_actor_id = actors.actor_id
    where alliances.is_extracted
    group by all
)

select * from coalitions
