-- Ad-hoc coalitions announced in text, found two ways:
--   A. a forming event whose object names one ("agree to form a new coalition to supply ...");
--   B. a new coalition acting as subject ("a new coalition to supply medium and long-range missiles").
-- One coalition per sentence. Its members are the people named in that sentence (the leaders
-- present), else the countries and organisations of the event's subject; they join on the event day.
with

event_mentions as (select * from {{ ref('int_event_mentions_coded') }}),

arguments as (select * from {{ ref('int_event_arguments_resolved') }}),

actor_mentions as (select * from {{ ref('int_actor_mentions_resolved') }}),

formed_as_object as (
    select
        event_mentions.*,
        1 as pattern_rank,
        regexp_replace(
            trim(event_mentions.object_text),
            '^(?i)(to\s+)?((form|create|launch|build|establish|set up)\s+)?((a|an|the)\s+)?(new\s+)?',
            ''
        ) as coalition_name
    from event_mentions
    where
        event_mentions.trigger_lemma in ('agree', 'form', 'create', 'launch', 'establish', 'found', 'set up')
        and regexp_matches(lower(event_mentions.object_text), '\b(coalition|alliance|pact|partnership)\b')
),

acting_as_subject as (
    select
        event_mentions.*,
        2 as pattern_rank,
        regexp_replace(trim(event_mentions.subject_text), '^(?i)((a|an|the)\s+)?new\s+', '')
        || ' to ' || event_mentions.trigger_lemma
        || coalesce(' ' || event_mentions.object_text, '') as coalition_name
    from event_mentions
    where
        regexp_matches(
            lower(event_mentions.subject_text), '^((a|an|the)\s+)?new\s+(coalition|alliance|pact|partnership)\b'
        )
),

forming_mentions as (
    select * from formed_as_object
    union all
    select * from acting_as_subject
),

coalitions_named as (
    select
        forming_mentions.*,
        {{ normalize_name('forming_mentions.coalition_name') }} as coalition_name_normalized
    from forming_mentions
    qualify
        row_number() over (
            partition by forming_mentions.article_id, forming_mentions.sentence_index
            order by forming_mentions.pattern_rank, forming_mentions.char_start
        ) = 1
),

coalitions as (
    select
        'X' || upper(left(md5(coalitions_named.coalition_name_normalized), 8)) as alliance_code,
        coalitions_named.coalition_name_normalized,
        arg_min(coalitions_named.coalition_name, coalitions_named.char_start) as alliance_name,
        min(coalitions_named.event_date) as founded_on,
        arg_min(
            coalitions_named.article_id, coalesce(coalitions_named.published_on, date '9999-12-31')
        ) as source_article_id,
        count(*) as report_count
    from coalitions_named
    group by coalitions_named.coalition_name_normalized
),

people_present as (
    select
        coalitions_named.coalition_name_normalized,
        actor_mentions.actor_id,
        actor_mentions.actor_type,
        coalitions_named.event_date
    from coalitions_named
    inner join actor_mentions
        on
            coalitions_named.article_id = actor_mentions.article_id
            and coalitions_named.extractor_version = actor_mentions.extractor_version
            and coalitions_named.sentence_index = actor_mentions.sentence_index
    where actor_mentions.actor_type = 'person'
),

subject_bodies as (
    select
        coalitions_named.coalition_name_normalized,
        arguments.actor_id,
        arguments.actor_type,
        coalitions_named.event_date
    from coalitions_named
    inner join arguments
        on
            coalitions_named.event_candidate_id = arguments.event_candidate_id
            and coalitions_named.extractor_version = arguments.extractor_version
    where
        arguments.argument_role = 'source'
        and arguments.actor_type in ('country', 'organisation')
),

member_candidates as (
    select * from people_present
    union all
    select * from subject_bodies
),

-- the leaders present are the members; countries or organisations only when no person is named
members as (
    select
        'X' || upper(left(md5(member_candidates.coalition_name_normalized), 8)) as alliance_code,
        member_candidates.actor_id as member_actor_id,
        min(member_candidates.event_date) as joined_on
    from member_candidates
    group by member_candidates.coalition_name_normalized, member_candidates.actor_id
    qualify
        bool_or(any_value(member_candidates.actor_type) = 'person') over (
            partition by member_candidates.coalition_name_normalized
        ) = (any_value(member_candidates.actor_type) = 'person')
),

coalitions_with_members as (
    select
        coalitions.alliance_code,
        coalitions.alliance_name,
        coalitions.founded_on,
        coalitions.source_article_id,
        members.member_actor_id,
        members.joined_on
    from coalitions
    left join members on coalitions.alliance_code = members.alliance_code
)

select * from coalitions_with_members
