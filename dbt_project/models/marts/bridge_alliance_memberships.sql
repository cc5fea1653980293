with

memberships as (select * from {{ ref('alliance_memberships') }}),

coalitions as (select * from {{ ref('int_coalitions_extracted') }}),

actors as (select * from {{ ref('int_actors_unioned') }}),

seeded as (
    select
        {{ surrogate_key(["'alliance:' || upper(memberships.alliance_code)"]) }} as alliance_id,
        {{ surrogate_key(["'country:' || upper(memberships.iso3)"]) }} as member_actor_id,
        upper(memberships.iso3) as member_iso3,
        memberships.joined_on,
        memberships.left_on,
        false as is_extracted,
        memberships.source as provenance
    from memberships
),

extracted as (
    select
        {{ surrogate_key(["'alliance:' || coalitions.alliance_code"]) }} as alliance_id,
        coalitions.member_actor_id,
        actors.iso3 as member_iso3,
        coalitions.joined_on,
        cast(null as date) as left_on,
        true as is_extracted,
        'extracted from article ' || coalitions.source_article_id as provenance
    from coalitions
    left join actors on coalitions.member_actor_id = actors.actor_id
    where coalitions.member_actor_id is not null
),

unioned as (
    select * from seeded
    union all
    select * from extracted
),

final as (
    select
        {{ surrogate_key(['unioned.alliance_id', 'unioned.member_actor_id', 'unioned.joined_on']) }}
            as alliance_membership_id,
        unioned.*
    from unioned
)

select * from final
