with

articles as (select * from {{ ref('int_articles_versioned') }}),

sources as (
    select
        articles.source_id,
        coalesce(any_value(articles.source_name), 'Unknown source') as source_name,
        count(*) filter (where articles.is_counted) as article_count,
        min(articles.published_on) as first_published_on,
        max(articles.published_on) as last_published_on
    from articles
    group by articles.source_id
),

unknown_source as (
    select
        'unknown' as source_id,
        'Unknown source' as source_name,
        cast(0 as bigint) as article_count,
        cast(null as date) as first_published_on,
        cast(null as date) as last_published_on
),

final as (
    select * from sources
    union all
    select * from unknown_source
    where 'unknown' not in (select sources.source_id from sources)
)

select * from final
