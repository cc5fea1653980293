-- Actors mentioned in the same sentence as NATO, most frequent first.
with

actor_mentions as (select * from {{ ref('fct_actor_mentions') }}),

actors as (select * from {{ ref('dim_actors') }}),

nato_sentences as (
    select distinct
        actor_mentions.article_id,
        actor_mentions.sentence_index
    from actor_mentions
    inner join actors on actor_mentions.actor_id = actors.actor_id
    where actors.actor_code = 'alliance:NATO' and not actor_mentions.is_duplicate_copy
),

co_mentions as (
    select
        actors.actor_name,
        actors.actor_type,
        count(*) as co_mention_count,
        count(distinct actor_mentions.article_id) as article_count
    from actor_mentions
    inner join nato_sentences
        on
            actor_mentions.article_id = nato_sentences.article_id
            and actor_mentions.sentence_index = nato_sentences.sentence_index
    inner join actors on actor_mentions.actor_id = actors.actor_id
    where actors.actor_code != 'alliance:NATO'
    group by actors.actor_name, actors.actor_type
)

select * from co_mentions
order by co_mention_count desc, actor_name asc
