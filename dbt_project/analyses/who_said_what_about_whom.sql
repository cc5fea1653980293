-- Who said what about whom: every statement with its speaker and the actors it mentions.
-- Syndicated copies are left out so each statement appears once.
with

statements as (select * from {{ ref('fct_statements') }}),

statement_actors as (select * from {{ ref('bridge_statement_actors') }}),

actors as (select * from {{ ref('dim_actors') }}),

statements_with_subjects as (
    select
        speakers.actor_name as speaker,
        statements.statement_type,
        statements.statement_text,
        statements.story_published_on,
        string_agg(distinct mentioned.actor_name, ', ' order by mentioned.actor_name) as about_actors
    from statements
    inner join actors as speakers on statements.speaker_actor_id = speakers.actor_id
    left join statement_actors on statements.statement_id = statement_actors.statement_id
    left join actors as mentioned on statement_actors.actor_id = mentioned.actor_id
    where not statements.is_duplicate_copy
    group by all
)

select * from statements_with_subjects
order by story_published_on, speaker, statement_text
