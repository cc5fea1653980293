-- Who said "We will do everything necessary to ensure that Russia cannot win this war"?
with

statements as (select * from {{ ref('fct_statements') }}),

actors as (select * from {{ ref('dim_actors') }}),

matching_statements as (
    select
        actors.actor_name as speaker,
        actors.current_role_name,
        statements.statement_type,
        statements.statement_text,
        statements.cue_text,
        statements.article_id,
        statements.char_start,
        statements.char_end
    from statements
    inner join actors on statements.speaker_actor_id = actors.actor_id
    where
        statements.statement_text ilike '%We will do everything necessary to ensure that Russia cannot win this war%'
        and not statements.is_duplicate_copy
)

select * from matching_statements
