with

actors as (select * from {{ ref('int_actors_unioned') }}),

coalitions as (select * from {{ ref('int_coalitions_extracted') }}),

actor_mentions as (select * from {{ ref('int_actor_mentions_resolved') }}),

actor_roles as (select * from {{ ref('int_actor_roles_unioned') }}),

coalition_actors as (
    select distinct
        {{ surrogate_key(["'alliance:' || coalitions.alliance_code"]) }} as actor_id,
        'alliance:' || coalitions.alliance_code as actor_code,
        coalitions.alliance_name as actor_name,
        'alliance' as actor_type,
        cast(null as varchar) as iso3,
        'coalition announced in text' as actor_description,
        'extracted' as actor_origin
    from coalitions
),

all_actors as (
    select * from actors
    union all
    select * from coalition_actors
),

mention_stats as (
    select
        actor_mentions.actor_id,
        count(*) filter (where not actor_mentions.is_duplicate_copy) as mention_count,
        count(distinct actor_mentions.story_id) as article_count,
        min(actor_mentions.story_published_on) as first_seen_on,
        max(actor_mentions.story_published_on) as last_seen_on
    from actor_mentions
    group by actor_mentions.actor_id
),

current_roles as (
    select
        actor_roles.actor_id,
        arg_max(
            actor_roles.role_name,
            cast((actor_roles.role_source = 'seed') as integer) * 100000
            + coalesce(epoch(actor_roles.valid_from) / 86400, 0)
        ) as current_role_name,
        arg_max(
            actor_roles.org_or_country,
            cast((actor_roles.role_source = 'seed') as integer) * 100000
            + coalesce(epoch(actor_roles.valid_from) / 86400, 0)
        ) as current_role_scope
    from actor_roles
    where actor_roles.is_current
    group by actor_roles.actor_id
),

actors_described as (
    select
        all_actors.actor_id,
        all_actors.actor_code,
        all_actors.actor_name,
        all_actors.actor_type,
        all_actors.iso3,
        all_actors.actor_description,
        all_actors.actor_origin,
        current_roles.current_role_name,
        current_roles.current_role_scope,
        mention_stats.first_seen_on,
        mention_stats.last_seen_on,
        coalesce(mention_stats.mention_count, 0) as mention_count,
        coalesce(mention_stats.article_count, 0) as article_count
    from all_actors
    left join mention_stats on all_actors.actor_id = mention_stats.actor_id
    left join current_roles on all_actors.actor_id = current_roles.actor_id
),

unknown_actor as (
    select
        '{{ var("unknown_actor_id") }}' as actor_id,
        'unknown' as actor_code,
        'Unknown actor' as actor_name,
        'unknown' as actor_type,
        cast(null as varchar) as iso3,
        'Speaker or participant the extractor could not identify' as actor_description,
        'unknown_member' as actor_origin,
        cast(null as varchar) as current_role_name,
        cast(null as varchar) as current_role_scope,
        cast(null as date) as first_seen_on,
        cast(null as date) as last_seen_on,
        cast(0 as bigint) as mention_count,
        cast(0 as bigint) as article_count
),

final as (
    select * from actors_described
    union all
    select * from unknown_actor
)

select * from final
