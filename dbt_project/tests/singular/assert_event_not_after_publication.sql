-- An event cannot happen after the article that reports it was published.
with

event_mentions as (select * from {{ ref('fct_event_mentions') }}),

articles as (select * from {{ ref('dim_articles') }}),

late_events as (
    select
        event_mentions.event_mention_id,
        event_mentions.event_id,
        event_mentions.event_date,
        articles.article_id,
        articles.published_on
    from event_mentions
    inner join articles on event_mentions.article_id = articles.article_id
    where event_mentions.event_date > articles.published_on
)

select * from late_events
