-- The actors in each event candidate's arguments: subject span = source, object span = target,
-- prepositional arguments = participant, or place for in/at/near + a place name.
with

candidates as ({{ rows_of_incremental_articles(ref('stg_nlp__event_candidates')) }}),

articles as ({{ rows_of_incremental_articles(ref('int_articles_annotated')) }}),

actor_mentions as ({{ rows_of_incremental_articles(ref('int_actor_mentions_resolved')) }}),

selected_candidates as (
    select candidates.*
    from candidates
    inner join articles
        on
            candidates.article_id = articles.article_id
            and candidates.extractor_version = articles.extractor_version
),

prep_argument_structs as (
    select
        selected_candidates.event_candidate_id,
        selected_candidates.extractor_version,
        selected_candidates.article_id,
        unnest(selected_candidates.prep_args) as prep_arg
    from selected_candidates
),

prep_arguments as (
    select
        prep_argument_structs.event_candidate_id,
        prep_argument_structs.extractor_version,
        prep_argument_structs.article_id,
        lower(struct_extract(prep_argument_structs.prep_arg, 'prep')) as preposition,
        struct_extract(prep_argument_structs.prep_arg, 'char_start') as span_start,
        struct_extract(prep_argument_structs.prep_arg, 'char_end') as span_end,
        struct_extract(prep_argument_structs.prep_arg, 'mention_id') as head_mention_id
    from prep_argument_structs
),

arguments as (
    select
        selected_candidates.event_candidate_id,
        selected_candidates.extractor_version,
        selected_candidates.article_id,
        'source' as argument_role,
        cast(null as varchar) as preposition,
        selected_candidates.subject_char_start as span_start,
        selected_candidates.subject_char_end as span_end,
        selected_candidates.subject_mention_id as head_mention_id
    from selected_candidates
    where selected_candidates.subject_char_start is not null or selected_candidates.subject_mention_id is not null
    union all
    select
        selected_candidates.event_candidate_id,
        selected_candidates.extractor_version,
        selected_candidates.article_id,
        'target' as argument_role,
        cast(null as varchar) as preposition,
        selected_candidates.object_char_start,
        selected_candidates.object_char_end,
        selected_candidates.object_mention_id
    from selected_candidates
    where selected_candidates.object_char_start is not null or selected_candidates.object_mention_id is not null
    union all
    select
        prep_arguments.event_candidate_id,
        prep_arguments.extractor_version,
        prep_arguments.article_id,
        'prep' as argument_role,
        prep_arguments.preposition,
        prep_arguments.span_start,
        prep_arguments.span_end,
        prep_arguments.head_mention_id
    from prep_arguments
),

argument_mentions as (
    select
        arguments.*,
        actor_mentions.mention_id,
        actor_mentions.mention_text,
        actor_mentions.entity_label,
        actor_mentions.resolution_method,
        actor_mentions.actor_id,
        actor_mentions.actor_code,
        actor_mentions.actor_type,
        actor_mentions.char_start,
        -- "Polish" in "Polish President Andrzej Duda" describes Duda; it is no actor of its own
        bool_or(actor_mentions.entity_label = 'PERSON') over (
            partition by
                arguments.event_candidate_id, arguments.extractor_version, arguments.argument_role,
                arguments.span_start
        ) as argument_has_person
    from arguments
    inner join actor_mentions
        on
            arguments.article_id = actor_mentions.article_id
            and arguments.extractor_version = actor_mentions.extractor_version
            and (
                arguments.head_mention_id = actor_mentions.mention_id
                or (
                    arguments.span_start <= actor_mentions.char_start
                    and arguments.span_end >= actor_mentions.char_end
                )
            )
    where actor_mentions.actor_id != '{{ var("unknown_actor_id") }}'
),

argument_roles as (
    select
        arguments.event_candidate_id,
        arguments.extractor_version,
        arguments.article_id,
        case
            when
                arguments.argument_role = 'prep'
                and arguments.preposition in ('in', 'at', 'near')
                and arguments.entity_label in ('GPE', 'LOC')
                then 'place'
            when arguments.argument_role = 'prep' then 'participant'
            else arguments.argument_role
        end as argument_role,
        arguments.preposition,
        arguments.mention_id,
        arguments.mention_text,
        arguments.entity_label,
        arguments.actor_id,
        arguments.actor_code,
        arguments.actor_type,
        arguments.char_start,
        arguments.mention_id = arguments.head_mention_id as is_head
    from argument_mentions as arguments
    where not (arguments.resolution_method = 'demonym' and arguments.argument_has_person)
),

argument_actors as (
    select
        argument_roles.*,
        -- the incremental watermark
        articles.annotated_at,
        row_number() over (
            partition by
                argument_roles.event_candidate_id, argument_roles.extractor_version, argument_roles.argument_role
            order by
                argument_roles.is_head desc,
                case argument_roles.entity_label
                    when 'PERSON' then 1 when 'ORG' then 2 when 'GPE' then 3 when 'NORP' then 4 else 5
                end,
                argument_roles.char_start asc
        ) as argument_rank
    from argument_roles
    inner join articles on argument_roles.article_id = articles.article_id
)

select * from argument_actors
