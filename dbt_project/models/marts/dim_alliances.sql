with

alliances as (select * from {{ ref('alliances') }}),

coalitions as (select * from {{ ref('int_coalitions_extracted') }}),

seeded as (
    select
        {{ surrogate_key(["'alliance:' || upper(alliances.alliance_code)"]) }} as alliance_id,
        upper(alliances.alliance_code) as alliance_code,
        alliances.name as alliance_name,
        alliances.alliance_type,
        alliances.founded_on,
        false as is_extracted,
        cast(null as varchar) as source_article_id,
        alliances.source as provenance
    from alliances
),

extracted as (
    select distinct
        {{ surrogate_key(["'alliance:' || coalitions.alliance_code"]) }} as alliance_id,
        coalitions.alliance_code,
        coalitions.alliance_name,
        'coalition' as alliance_type,
        coalitions.founded_on,
        true as is_extracted,
        coalitions.source_article_id,
        'extracted from article ' || coalitions.source_article_id as provenance
    from coalitions
),

final as (
    select * from seeded
    union all
    select * from extracted
)

select * from final
