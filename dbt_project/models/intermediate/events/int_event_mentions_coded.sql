-- Event candidates of counted articles that code a real-world event: the trigger maps to a CAMEO
-- code (event_triggers seed), the clause is neither negated nor hypothetical. Each gets its
-- source, target and place and the event_id shared by every report of the same event:
-- same CAMEO code, source, target and story date (a story = an article and its syndicated copies).
with

candidates as ({{ rows_of_incremental_articles(ref('stg_nlp__event_candidates')) }}),

articles as ({{ rows_of_incremental_articles(ref('int_articles_annotated')) }}),

arguments as ({{ rows_of_incremental_articles(ref('int_event_arguments_resolved')) }}),

actor_mentions as ({{ rows_of_incremental_articles(ref('int_actor_mentions_resolved')) }}),

event_triggers as (select * from {{ ref('event_triggers') }}),

triggers as (
    select
        lower(event_triggers.lemma) as lemma,
        upper(event_triggers.pos) as pos,
        min(event_triggers.cameo_code) as cameo_code
    from event_triggers
    group by lower(event_triggers.lemma), upper(event_triggers.pos)
),

-- where an article happens when its clause names no place: the most-mentioned capital (GDELT's
-- "action geo" falls back the same way)
article_places as (
    select
        actor_mentions.article_id,
        mode(actor_mentions.mention_text order by actor_mentions.char_start) as place_name
    from actor_mentions
    where actor_mentions.resolution_method = 'metonymy' and actor_mentions.entity_label in ('GPE', 'LOC')
    group by actor_mentions.article_id
),

candidates_coded as (
    select
        candidates.*,
        articles.story_id,
        articles.is_duplicate_copy,
        articles.source_id,
        articles.published_on,
        articles.story_published_on,
        articles.annotated_at,
        articles.dateline_place,
        coalesce(triggers_by_pos.cameo_code, triggers_any_pos.cameo_code) as cameo_code
    from candidates
    inner join articles
        on
            candidates.article_id = articles.article_id
            and candidates.extractor_version = articles.extractor_version
    left join triggers as triggers_by_pos
        on candidates.trigger_lemma = triggers_by_pos.lemma and candidates.trigger_pos = triggers_by_pos.pos
    left join triggers as triggers_any_pos
        on candidates.trigger_lemma = triggers_any_pos.lemma and triggers_any_pos.pos is null
    where
        not candidates.is_negated
        and candidates.modality = 'actual'
),

sources as (
    select * from arguments
    where argument_role = 'source' and argument_rank = 1
),

targets as (
    select * from arguments
    where argument_role = 'target' and argument_rank = 1
),

recipients as (
    select
        arguments.event_candidate_id,
        arguments.extractor_version,
        arg_min(arguments.actor_id, arguments.argument_rank) as actor_id,
        arg_min(arguments.actor_code, arguments.argument_rank) as actor_code
    from arguments
    where
        arguments.argument_role = 'participant'
        and arguments.preposition in ('to', 'against', 'with', 'toward', 'towards', 'on')
    group by arguments.event_candidate_id, arguments.extractor_version
),

places as (
    select * from arguments
    where argument_role = 'place' and argument_rank = 1
),

event_mentions as (
    select
        {{ surrogate_key(['candidates_coded.event_candidate_id', 'candidates_coded.extractor_version']) }}
            as event_mention_id,
        candidates_coded.event_candidate_id,
        candidates_coded.article_id,
        candidates_coded.story_id,
        candidates_coded.is_duplicate_copy,
        candidates_coded.source_id,
        candidates_coded.published_on,
        candidates_coded.story_published_on as event_date,
        candidates_coded.annotated_at,
        candidates_coded.extractor_version,
        candidates_coded.sentence_index,
        candidates_coded.char_start,
        candidates_coded.char_end,
        candidates_coded.trigger_text,
        candidates_coded.trigger_lemma,
        candidates_coded.trigger_pos,
        candidates_coded.cameo_code,
        candidates_coded.subject_text,
        candidates_coded.object_text,
        candidates_coded.modality,
        candidates_coded.confidence,
        coalesce(sources.actor_id, '{{ var("unknown_actor_id") }}') as source_actor_id,
        coalesce(targets.actor_id, recipients.actor_id, '{{ var("unknown_actor_id") }}') as target_actor_id,
        coalesce(places.mention_text, candidates_coded.dateline_place, article_places.place_name) as place_name,
        case
            when places.mention_text is not null then 'clause'
            when candidates_coded.dateline_place is not null then 'dateline'
            when article_places.place_name is not null then 'article'
        end as place_basis
    from candidates_coded
    left join sources
        on
            candidates_coded.event_candidate_id = sources.event_candidate_id
            and candidates_coded.extractor_version = sources.extractor_version
    left join targets
        on
            candidates_coded.event_candidate_id = targets.event_candidate_id
            and candidates_coded.extractor_version = targets.extractor_version
    left join recipients
        on
            candidates_coded.event_candidate_id = recipients.event_candidate_id
            and candidates_coded.extractor_version = recipients.extractor_version
    left join places
        on
            candidates_coded.event_candidate_id = places.event_candidate_id
            and candidates_coded.extractor_version = places.extractor_version
    left join article_places on candidates_coded.article_id = article_places.article_id
    where candidates_coded.cameo_code is not null
),

-- undated stories, and events with neither actor known, never merge with other stories
events_keyed as (
    select
        {{ surrogate_key([
            'event_mentions.cameo_code',
            'event_mentions.source_actor_id',
            'event_mentions.target_actor_id',
            'event_mentions.event_date',
            "case when event_mentions.event_date is null
                or (event_mentions.source_actor_id = '" ~ var('unknown_actor_id') ~ "'
                    and event_mentions.target_actor_id = '" ~ var('unknown_actor_id') ~ "')
                then event_mentions.story_id end",
        ]) }} as event_id,
        event_mentions.*
    from event_mentions
)

select * from events_keyed
