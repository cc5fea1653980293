-- Statements by one speaker per month (dbt compile --vars '{speaker: "Donald Trump"}').
with

statements as (select * from {{ ref('fct_statements') }}),

actors as (select * from {{ ref('dim_actors') }}),

dates as (select * from {{ ref('dim_date') }}),

speaker_statements as (
    select
        dates.month_start,
        count(*) as statement_count,
        count(*) filter (where statements.statement_type = 'direct') as direct_quote_count,
        list(
            statements.statement_text
            order by statements.story_published_on, statements.statement_id
        ) as statements
    from statements
    inner join actors on statements.speaker_actor_id = actors.actor_id
    left join dates on statements.story_published_on = dates.date_day
    where
        actors.actor_name = '{{ var("speaker", "Emmanuel Macron") }}'
        and not statements.is_duplicate_copy
    group by dates.month_start
)

select * from speaker_statements
order by month_start
