with

events as (select * from {{ ref('int_events_deduplicated') }}),

event_types as (select * from {{ ref('event_types') }}),

final as (
    select
        events.event_id,
        events.event_date,
        events.cameo_code,
        event_types.root_code as cameo_root_code,
        event_types.quad_class,
        event_types.goldstein as goldstein_scale,
        events.source_actor_id,
        events.target_actor_id,
        events.place_name,
        events.num_mentions,
        events.num_articles,
        events.num_sources,
        events.num_reports,
        events.first_article_id,
        events.avg_confidence
    from events
    left join event_types on events.cameo_code = event_types.cameo_code
)

select * from final
