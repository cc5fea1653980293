-- Facts hold rows of counted articles only (latest URL version, latest extractor run): after an
-- incremental run as after a full refresh.
with

articles as (select * from {{ ref('dim_articles') }}),

statements as (select * from {{ ref('fct_statements') }}),

event_mentions as (select * from {{ ref('fct_event_mentions') }}),

actor_mentions as (select * from {{ ref('fct_actor_mentions') }}),

fact_rows as (
    select
        'fct_statements' as fact,
        statements.article_id,
        statements.extractor_version
    from statements
    union all
    select
        'fct_event_mentions' as fact,
        event_mentions.article_id,
        event_mentions.extractor_version
    from event_mentions
    union all
    select
        'fct_actor_mentions' as fact,
        actor_mentions.article_id,
        actor_mentions.extractor_version
    from actor_mentions
),

stray_rows as (
    select
        fact_rows.fact,
        fact_rows.article_id,
        fact_rows.extractor_version
    from fact_rows
    left join articles
        on
            fact_rows.article_id = articles.article_id
            and fact_rows.extractor_version = articles.extractor_version
            and articles.is_counted
    where articles.article_id is null
)

select * from stray_rows
