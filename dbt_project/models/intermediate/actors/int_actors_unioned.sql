-- One row per actor known from seeds (people, organisations, countries, alliances) or met in text
-- (new actors keyed by their normalised name, merged across articles).
with

countries as (select * from {{ ref('countries') }}),

alliances as (select * from {{ ref('alliances') }}),

seed_actors as (select * from {{ ref('actors') }}),

actor_mentions as (select * from {{ ref('int_actor_mentions_resolved') }}),

descriptors as (select * from {{ ref('int_actor_descriptors_resolved') }}),

country_actors as (
    select
        'country:' || upper(countries.iso3) as actor_code,
        countries.name as actor_name,
        'country' as actor_type,
        upper(countries.iso3) as iso3,
        coalesce(countries.official_name, countries.name) as actor_description,
        'seed' as actor_origin
    from countries
),

alliance_actors as (
    select
        'alliance:' || upper(alliances.alliance_code) as actor_code,
        alliances.name as actor_name,
        'alliance' as actor_type,
        cast(null as varchar) as iso3,
        alliances.alliance_type || ' alliance' as actor_description,
        'seed' as actor_origin
    from alliances
),

listed_actors as (
    select
        'actor:' || seed_actors.actor_id as actor_code,
        seed_actors.canonical_name as actor_name,
        lower(seed_actors.actor_type) as actor_type,
        upper(seed_actors.iso3) as iso3,
        seed_actors.description as actor_description,
        'seed' as actor_origin
    from seed_actors
),

seeded as (
    select * from listed_actors
    union all
    select * from alliance_actors
    where actor_code not in (select listed_actors.actor_code from listed_actors)
    union all
    select * from country_actors
    where actor_code not in (select listed_actors.actor_code from listed_actors)
),

-- a new actor's country comes from its descriptors ("Kremlin spokesman" -> RUS)
descriptor_countries as (
    select
        descriptors.actor_code,
        mode(descriptors.country_iso3) as iso3
    from descriptors
    where descriptors.country_iso3 is not null
    group by descriptors.actor_code
),

-- a new actor's name is the longest way the text wrote it, most frequent first
new_actor_names as (
    select
        actor_mentions.actor_code,
        any_value(actor_mentions.actor_type) as actor_type,
        arg_max(
            actor_mentions.mention_text,
            length(actor_mentions.mention_text) * 1000 + 1
        ) as actor_name
    from actor_mentions
    where
        actor_mentions.actor_code is not null
        and actor_mentions.actor_code not in (select seeded.actor_code from seeded)
    group by actor_mentions.actor_code
),

extracted as (
    select
        new_actor_names.actor_code,
        regexp_replace(new_actor_names.actor_name, '^(?i)the\s+', '') as actor_name,
        new_actor_names.actor_type,
        descriptor_countries.iso3,
        cast(null as varchar) as actor_description,
        'extracted' as actor_origin
    from new_actor_names
    left join descriptor_countries on new_actor_names.actor_code = descriptor_countries.actor_code
),

unioned as (
    select * from seeded
    union all
    select * from extracted
),

keyed as (
    select
        {{ surrogate_key(['unioned.actor_code']) }} as actor_id,
        unioned.*
    from unioned
)

select * from keyed
