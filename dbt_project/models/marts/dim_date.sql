-- Calendar days from the first to the last day that any article or event is dated, so every
-- date in the facts has a row (derived from the data, not a fixed spine).
with

articles as (select * from {{ ref('int_articles_versioned') }}),

event_mentions as (select * from {{ ref('int_event_mentions_coded') }}),

known_days as (
    select articles.published_on as date_day from articles
    union all
    select event_mentions.event_date from event_mentions
),

bounds as (
    select
        min(known_days.date_day) as first_day,
        max(known_days.date_day) as last_day
    from known_days
),

days as (
    select cast(unnest(generate_series(bounds.first_day, bounds.last_day, interval 1 day)) as date) as date_day
    from bounds
    where bounds.first_day is not null
),

article_counts as (
    select
        articles.published_on as date_day,
        count(*) filter (where articles.is_counted) as article_count
    from articles
    where articles.published_on is not null
    group by articles.published_on
),

final as (
    select
        days.date_day,
        cast(strftime(days.date_day, '%Y%m%d') as integer) as date_key,
        year(days.date_day) as year_number,
        quarter(days.date_day) as quarter_number,
        month(days.date_day) as month_number,
        monthname(days.date_day) as month_name,
        cast(date_trunc('month', days.date_day) as date) as month_start,
        weekofyear(days.date_day) as iso_week_number,
        isodow(days.date_day) as iso_day_of_week,
        dayname(days.date_day) as day_name,
        isodow(days.date_day) in (6, 7) as is_weekend,
        coalesce(article_counts.article_count, 0) as article_count
    from days
    left join article_counts on days.date_day = article_counts.date_day
)

select * from final
