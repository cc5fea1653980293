-- Every entity mention of a counted article resolved to one actor_code:
--   1. in-article coreference (antecedent_mention_id) to a resolved antecedent;
--   2. a seed alias (actor, alliance, country name, demonym, capital/seat of government = metonymy),
--      preferring aliases whose actor type fits the NER label;
--   3. a bare surname matched to a full name of the same article ("Macron" -> "Emmanuel Macron");
--   4. otherwise a new actor keyed by its normalised name ("person:dmitry peskov").
with

mentions as ({{ rows_of_incremental_articles(ref('stg_nlp__entity_mentions')) }}),

articles as ({{ rows_of_incremental_articles(ref('int_articles_annotated')) }}),

aliases as (select * from {{ ref('int_actor_aliases_unioned') }}),

selected_mentions as (
    select
        mentions.mention_id,
        mentions.article_id,
        mentions.extractor_version,
        mentions.sentence_index,
        mentions.char_start,
        mentions.char_end,
        mentions.mention_text,
        mentions.mention_name_normalized,
        mentions.entity_label,
        mentions.mention_source,
        mentions.antecedent_mention_id,
        articles.story_id,
        articles.is_duplicate_copy,
        articles.source_id,
        articles.published_on,
        articles.story_published_on,
        articles.annotated_at,
        mentions.entity_label = 'PERSON'
        and not contains(coalesce(mentions.mention_name_normalized, ''), ' ') as is_bare_name
    from mentions
    inner join articles
        on
            mentions.article_id = articles.article_id
            and mentions.extractor_version = articles.extractor_version
),

alias_candidates as (
    select
        selected_mentions.mention_id,
        aliases.actor_code,
        aliases.actor_type,
        aliases.iso3,
        aliases.match_method,
        row_number() over (
            partition by selected_mentions.mention_id
            order by
                case
                    when selected_mentions.entity_label = 'PERSON' then aliases.actor_type = 'person'
                    when selected_mentions.entity_label = 'NORP'
                        then aliases.match_method = 'demonym' or aliases.actor_type = 'group'
                    when selected_mentions.entity_label in ('GPE', 'LOC')
                        then aliases.actor_type in ('country', 'alliance')
                    when selected_mentions.entity_label = 'ORG' then aliases.actor_type != 'person'
                    else true
                end desc,
                aliases.match_priority,
                aliases.actor_code asc
        ) as candidate_rank
    from selected_mentions
    inner join aliases on selected_mentions.mention_name_normalized = aliases.alias_normalized
),

alias_matches as (
    select * from alias_candidates
    where candidate_rank = 1
),

mentions_matched as (
    select
        selected_mentions.*,
        alias_matches.actor_code as alias_actor_code,
        alias_matches.actor_type as alias_actor_type,
        alias_matches.iso3 as alias_iso3,
        alias_matches.match_method as alias_match_method
    from selected_mentions
    left join alias_matches on selected_mentions.mention_id = alias_matches.mention_id
),

full_names as (
    select
        mentions_matched.article_id,
        mentions_matched.char_start,
        regexp_extract(mentions_matched.mention_name_normalized, '(\S+)$', 1) as surname,
        coalesce(mentions_matched.alias_actor_code, 'person:' || mentions_matched.mention_name_normalized)
            as actor_code,
        coalesce(mentions_matched.alias_actor_type, 'person') as actor_type,
        mentions_matched.alias_iso3 as iso3
    from mentions_matched
    where
        mentions_matched.entity_label = 'PERSON'
        and not mentions_matched.is_bare_name
),

-- a bare surname takes the nearest preceding full name of the same article (else the first after it)
surname_candidates as (
    select
        mentions_matched.mention_id,
        full_names.actor_code,
        full_names.actor_type,
        full_names.iso3,
        row_number() over (
            partition by mentions_matched.mention_id
            order by
                full_names.char_start <= mentions_matched.char_start desc,
                abs(mentions_matched.char_start - full_names.char_start)
        ) as candidate_rank
    from mentions_matched
    inner join full_names
        on
            mentions_matched.article_id = full_names.article_id
            and mentions_matched.mention_name_normalized = full_names.surname
    where mentions_matched.is_bare_name
),

surname_matches as (
    select * from surname_candidates
    where candidate_rank = 1
),

-- what each mention resolves to on its own, before following antecedent links
own_resolutions as (
    select
        mentions_matched.*,
        case
            when mentions_matched.mention_name_normalized is null then null
            when mentions_matched.alias_actor_code is not null and not mentions_matched.is_bare_name
                then mentions_matched.alias_actor_code
            when surname_matches.actor_code is not null then surname_matches.actor_code
            when mentions_matched.alias_actor_code is not null then mentions_matched.alias_actor_code
            else
                case mentions_matched.entity_label
                    when 'PERSON' then 'person:'
                    when 'ORG' then 'organisation:'
                    when 'NORP' then 'group:'
                    else 'location:'
                end || mentions_matched.mention_name_normalized
        end as own_actor_code,
        case
            when mentions_matched.mention_name_normalized is null then null
            when mentions_matched.alias_actor_code is not null and not mentions_matched.is_bare_name
                then mentions_matched.alias_actor_type
            when surname_matches.actor_code is not null then surname_matches.actor_type
            when mentions_matched.alias_actor_code is not null then mentions_matched.alias_actor_type
            else
                case mentions_matched.entity_label
                    when 'PERSON' then 'person'
                    when 'ORG' then 'organisation'
                    when 'NORP' then 'group'
                    else 'location'
                end
        end as own_actor_type,
        case
            when mentions_matched.alias_actor_code is not null and not mentions_matched.is_bare_name
                then mentions_matched.alias_iso3
            when surname_matches.actor_code is not null then surname_matches.iso3
            else mentions_matched.alias_iso3
        end as own_iso3,
        case
            when mentions_matched.mention_name_normalized is null then 'unresolved'
            when mentions_matched.alias_actor_code is not null and not mentions_matched.is_bare_name
                then mentions_matched.alias_match_method
            when surname_matches.actor_code is not null then 'surname_coreference'
            when mentions_matched.alias_actor_code is not null then mentions_matched.alias_match_method
            else 'new_actor'
        end as own_method
    from mentions_matched
    left join surname_matches on mentions_matched.mention_id = surname_matches.mention_id
),

resolved as (
    select
        own_resolutions.mention_id,
        own_resolutions.article_id,
        own_resolutions.extractor_version,
        own_resolutions.story_id,
        own_resolutions.is_duplicate_copy,
        own_resolutions.source_id,
        own_resolutions.published_on,
        own_resolutions.story_published_on,
        own_resolutions.annotated_at,
        own_resolutions.sentence_index,
        own_resolutions.char_start,
        own_resolutions.char_end,
        own_resolutions.mention_text,
        own_resolutions.mention_name_normalized,
        own_resolutions.entity_label,
        own_resolutions.mention_source,
        own_resolutions.antecedent_mention_id,
        coalesce(antecedents.own_actor_code, own_resolutions.own_actor_code) as actor_code,
        coalesce(antecedents.own_actor_type, own_resolutions.own_actor_type) as actor_type,
        case
            when antecedents.own_actor_code is not null then antecedents.own_iso3
            else own_resolutions.own_iso3
        end as actor_iso3,
        case
            when antecedents.own_actor_code is not null then 'coreference'
            else own_resolutions.own_method
        end as resolution_method
    from own_resolutions
    left join own_resolutions as antecedents
        on
            own_resolutions.antecedent_mention_id = antecedents.mention_id
            and own_resolutions.article_id = antecedents.article_id
),

keyed as (
    select
        {{ surrogate_key(['resolved.mention_id', 'resolved.extractor_version']) }} as actor_mention_id,
        case
            when resolved.actor_code is null then '{{ var("unknown_actor_id") }}'
            else {{ surrogate_key(['resolved.actor_code']) }}
        end as actor_id,
        resolved.*
    from resolved
)

select * from keyed
