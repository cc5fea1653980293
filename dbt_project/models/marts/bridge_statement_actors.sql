with

statement_actors as (select * from {{ ref('int_statement_actors_joined') }}),

final as (
    select
        statement_actors.statement_actor_id,
        statement_actors.statement_id,
        statement_actors.actor_id,
        statement_actors.article_id,
        statement_actors.mention_context,
        statement_actors.mention_count
    from statement_actors
)

select * from final
