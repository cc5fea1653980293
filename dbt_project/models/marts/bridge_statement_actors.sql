-- Per-article like the facts, so incremental the same way (dbt_project.yml): a run takes the
-- statements of new articles only.
with

statement_actors as ({{ rows_of_incremental_articles(ref('int_statement_actors_joined')) }}),

final as (
    select
        statement_actors.statement_actor_id,
        statement_actors.statement_id,
        statement_actors.actor_id,
        statement_actors.article_id,
        statement_actors.mention_context,
        statement_actors.mention_count,
        statement_actors.annotated_at
    from statement_actors
)

select * from final
