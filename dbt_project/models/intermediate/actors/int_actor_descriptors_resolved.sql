-- Titles found in text ("Polish President Andrzej Duda") attached to the resolved actor, with the
-- country word resolved through the same aliases as mentions ("Polish" -> POL, "Kremlin" -> RUS).
with

descriptors as ({{ rows_of_incremental_articles(ref('stg_nlp__actor_descriptors')) }}),

actor_mentions as ({{ rows_of_incremental_articles(ref('int_actor_mentions_resolved')) }}),

aliases as (select * from {{ ref('int_actor_aliases_unioned') }}),

country_candidates as (
    select
        aliases.alias_normalized,
        aliases.actor_code,
        aliases.iso3,
        aliases.actor_type,
        row_number() over (
            partition by aliases.alias_normalized
            order by aliases.actor_type in ('country', 'alliance') desc, aliases.match_priority, aliases.actor_code asc
        ) as candidate_rank
    from aliases
    where aliases.actor_type in ('country', 'alliance', 'organisation')
),

country_matches as (
    select * from country_candidates
    where candidate_rank = 1
),

descriptors_resolved as (
    select
        descriptors.descriptor_id,
        descriptors.article_id,
        descriptors.extractor_version,
        descriptors.sentence_index,
        descriptors.char_start,
        descriptors.char_end,
        descriptors.mention_id,
        actor_mentions.actor_id,
        actor_mentions.actor_code,
        actor_mentions.actor_type,
        actor_mentions.story_published_on as observed_on,
        actor_mentions.is_duplicate_copy,
        actor_mentions.annotated_at,
        descriptors.name_text,
        descriptors.role_text,
        descriptors.role_normalized,
        descriptors.country_text,
        country_matches.actor_code as country_actor_code,
        -- org_or_country: an ISO3 code for countries, the alliance code for alliances (NATO)
        coalesce(
            country_matches.iso3,
            case
                when country_matches.actor_code like 'alliance:%'
                    then substr(country_matches.actor_code, length('alliance:') + 1)
            end
        ) as org_or_country,
        country_matches.iso3 as country_iso3,
        descriptors.is_former,
        descriptors.descriptor_pattern
    from descriptors
    inner join actor_mentions
        on
            descriptors.mention_id = actor_mentions.mention_id
            and descriptors.extractor_version = actor_mentions.extractor_version
    left join country_matches on descriptors.country_text_normalized = country_matches.alias_normalized
)

select * from descriptors_resolved
