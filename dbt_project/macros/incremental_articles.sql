{#- The articles an incremental per-article model (facts, intermediates) must (re)process on this run.

    New = annotated at or after the newest annotation already in the target (ties are redone;
    delete+insert on article_id makes that idempotent). A story cluster (an article and its
    near-duplicate copies) is reprocessed whole when any member is new, because a copy can give
    the cluster its date. Returns a subquery of article_id. -#}
{% macro incremental_articles(articles_relation, target_relation) -%}
    (
        select articles.article_id
        from {{ articles_relation }} as articles
        where articles.story_id in (
            select new_articles.story_id
            from {{ articles_relation }} as new_articles
            where new_articles.annotated_at >= (
                select coalesce(max(target.annotated_at), '1900-01-01'::timestamptz)
                from {{ target_relation }} as target
            )
        )
    )
{%- endmacro %}

{#- Post-hook for the incremental per-article models: drop rows of articles that no longer count (a newer
    version of the URL arrived), so an incremental run equals a full refresh. -#}
{% macro delete_uncounted_articles(articles_relation) -%}
    delete from {{ this }}
    where article_id not in (select counted.article_id from {{ articles_relation }} as counted)
{%- endmacro %}

{#- `select *` from a table with an article_id, restricted on an incremental run to the articles
    incremental_articles() picks. A per-article model reads every per-article input through it:
    its rows depend on nothing outside their article, story and the seeds. -#}
{% macro rows_of_incremental_articles(relation) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
        where article_id in {{ incremental_articles(ref('int_articles_annotated'), this) }}
    {%- endif %}
{%- endmacro %}
