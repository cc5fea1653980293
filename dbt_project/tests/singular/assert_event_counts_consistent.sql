-- num_articles counts stories, num_reports counts articles: a story has at least one article,
-- and every event has at least one mention.
with

events as (select * from {{ ref('fct_events') }}),

inconsistent as (
    select
        events.event_id,
        events.num_mentions,
        events.num_articles,
        events.num_reports
    from events
    where
        events.num_articles > events.num_reports
        or events.num_mentions < events.num_articles
        or events.num_articles < 1
)

select * from inconsistent
