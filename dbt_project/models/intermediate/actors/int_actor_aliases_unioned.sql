-- Every name that points at a known actor, normalised, with how strong a match it is.
-- Lower match_priority wins when one alias names several actors.
with

countries as (select * from {{ ref('countries') }}),

country_aliases as (select * from {{ ref('country_aliases') }}),

alliances as (select * from {{ ref('alliances') }}),

actors as (select * from {{ ref('actors') }}),

actor_aliases as (select * from {{ ref('actor_aliases') }}),

country_names as (
    select
        countries.iso3,
        countries.name as alias_text,
        'name' as alias_kind
    from countries
    union all
    select
        countries.iso3,
        countries.official_name as alias_text,
        'name' as alias_kind
    from countries
    where countries.official_name is not null
    union all
    select
        country_aliases.iso3,
        country_aliases.alias as alias_text,
        lower(country_aliases.alias_kind) as alias_kind
    from country_aliases
),

country_alias_rows as (
    select
        {{ normalize_name('country_names.alias_text') }} as alias_normalized,
        'country:' || upper(country_names.iso3) as actor_code,
        'country' as actor_type,
        upper(country_names.iso3) as iso3,
        country_names.alias_kind,
        case
            when country_names.alias_kind = 'demonym' then 'demonym'
            when country_names.alias_kind in ('capital', 'seat_of_government') then 'metonymy'
            else 'alias'
        end as match_method,
        case country_names.alias_kind
            when 'name' then 30
            when 'abbreviation' then 31
            when 'alias' then 32
            when 'demonym' then 40
            when 'seat_of_government' then 50
            when 'capital' then 51
            else 59
        end as match_priority
    from country_names
),

alliance_names as (
    select
        alliances.alliance_code,
        alliances.name as alias_text
    from alliances
    union all
    select
        alliances.alliance_code,
        alliances.alliance_code as alias_text
    from alliances
    union all
    select
        alliances.alliance_code,
        unnest(string_split(alliances.aliases, '|')) as alias_text
    from alliances
    where alliances.aliases is not null
),

alliance_alias_rows as (
    select
        {{ normalize_name('alliance_names.alias_text') }} as alias_normalized,
        'alliance:' || upper(alliance_names.alliance_code) as actor_code,
        'alliance' as actor_type,
        cast(null as varchar) as iso3,
        'name' as alias_kind,
        'alias' as match_method,
        20 as match_priority
    from alliance_names
),

actor_names as (
    select
        actors.actor_id,
        actors.canonical_name as alias_text,
        'name' as alias_kind
    from actors
    union all
    select
        actors.actor_id,
        actors.short_name as alias_text,
        'short_name' as alias_kind
    from actors
    where actors.short_name is not null
    union all
    select
        actor_aliases.actor_id,
        actor_aliases.alias as alias_text,
        coalesce(lower(actor_aliases.alias_kind), 'alias') as alias_kind
    from actor_aliases
),

actor_alias_rows as (
    select
        {{ normalize_name('actor_names.alias_text') }} as alias_normalized,
        'actor:' || actors.actor_id as actor_code,
        lower(actors.actor_type) as actor_type,
        upper(actors.iso3) as iso3,
        actor_names.alias_kind,
        'alias' as match_method,
        case
            when actor_names.alias_kind in ('name', 'full_name') then 10
            when actor_names.alias_kind = 'short_name' then 12
            else 11
        end as match_priority
    from actor_names
    inner join actors on actor_names.actor_id = actors.actor_id
),

unioned as (
    select * from actor_alias_rows
    union all
    select * from alliance_alias_rows
    union all
    select * from country_alias_rows
),

deduplicated as (
    select
        unioned.alias_normalized,
        unioned.actor_code,
        any_value(unioned.actor_type) as actor_type,
        any_value(unioned.iso3) as iso3,
        -- alias_kind breaks ties ('name' and 'full_name' share a priority): every build the same
        any_value(unioned.alias_kind order by unioned.match_priority, unioned.alias_kind) as alias_kind,
        any_value(unioned.match_method order by unioned.match_priority, unioned.alias_kind) as match_method,
        min(unioned.match_priority) as match_priority
    from unioned
    where unioned.alias_normalized is not null
    group by unioned.alias_normalized, unioned.actor_code
)

select * from deduplicated
