-- The most-quoted people of each publisher (syndicated copies count for the publisher that ran them).
with

statements as (select * from {{ ref('fct_statements') }}),

actors as (select * from {{ ref('dim_actors') }}),

sources as (select * from {{ ref('dim_sources') }}),

quotes_per_source as (
    select
        sources.source_name,
        actors.actor_name as speaker,
        count(*) as statement_count,
        rank() over (partition by sources.source_name order by count(*) desc) as speaker_rank
    from statements
    inner join actors on statements.speaker_actor_id = actors.actor_id
    inner join sources on statements.source_id = sources.source_id
    where actors.actor_type = 'person'
    group by sources.source_name, actors.actor_name
)

select * from quotes_per_source
where speaker_rank <= 3
order by source_name, speaker_rank, speaker
