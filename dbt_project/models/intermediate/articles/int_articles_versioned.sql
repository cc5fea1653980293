with

articles as (select * from {{ ref('stg_ingest__articles') }}),

annotated_articles as (select * from {{ ref('stg_nlp__annotated_articles') }}),

annotation_runs as (select * from {{ ref('stg_nlp__annotation_runs') }}),

superseded_articles as (
    select distinct articles.previous_version_id as article_id
    from articles
    where articles.previous_version_id is not null
),

-- an article annotated by several extractor versions counts once: the latest run wins
annotations_ranked as (
    select
        annotated_articles.article_id,
        annotated_articles.extractor_version,
        annotated_articles.annotation_run_id,
        annotated_articles.annotated_at,
        row_number() over (
            partition by annotated_articles.article_id
            order by
                annotation_runs.started_at desc nulls last,
                annotated_articles.annotated_at desc,
                annotated_articles.extractor_version desc
        ) as annotation_rank
    from annotated_articles
    left join annotation_runs
        on annotated_articles.annotation_run_id = annotation_runs.annotation_run_id
),

latest_annotations as (
    select * from annotations_ranked
    where annotation_rank = 1
),

articles_flagged as (
    select
        articles.article_id,
        coalesce(articles.duplicate_of_article_id, articles.article_id) as story_id,
        articles.duplicate_of_article_id,
        articles.duplicate_of_article_id is not null as is_duplicate_copy,
        articles.article_version,
        articles.previous_version_id,
        superseded_articles.article_id is null as is_latest_version,
        case
            when articles.source_name is null then 'unknown'
            else {{ surrogate_key(['lower(articles.source_name)']) }}
        end as source_id,
        articles.source_name,
        articles.title,
        articles.url,
        articles.canonical_url,
        articles.published_at,
        articles.published_on,
        articles.dateline_place,
        articles.language_code,
        articles.char_count,
        articles.word_count,
        articles.input_format,
        articles.raw_path,
        articles.record_locator,
        articles.ingest_run_id,
        articles.ingested_at,
        latest_annotations.extractor_version,
        latest_annotations.annotation_run_id,
        latest_annotations.annotated_at,
        superseded_articles.article_id is null
        and latest_annotations.article_id is not null as is_counted
    from articles
    left join superseded_articles on articles.article_id = superseded_articles.article_id
    left join latest_annotations on articles.article_id = latest_annotations.article_id
),

-- a story (an original and its syndicated copies) is dated by its earliest known publication
stories_dated as (
    select
        articles_flagged.*,
        min(articles_flagged.published_on) over (partition by articles_flagged.story_id) as story_published_on
    from articles_flagged
)

select * from stories_dated
