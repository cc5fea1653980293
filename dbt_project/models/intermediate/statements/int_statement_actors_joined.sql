-- Which actors a statement is about: every resolved mention inside the quoted content
-- (mention_context = 'quote') or elsewhere in the sentences the quote spans ('sentence'),
-- except the speaker.
with

statements as ({{ rows_of_incremental_articles(ref('int_quotes_attributed')) }}),

actor_mentions as ({{ rows_of_incremental_articles(ref('int_actor_mentions_resolved')) }}),

mentions_in_statements as (
    select
        statements.statement_id,
        statements.article_id,
        statements.annotated_at,
        actor_mentions.actor_id,
        actor_mentions.mention_id,
        case
            when
                actor_mentions.char_start >= statements.char_start
                and actor_mentions.char_end <= statements.char_end
                then 'quote'
            else 'sentence'
        end as mention_context
    from statements
    inner join actor_mentions
        on
            statements.article_id = actor_mentions.article_id
            and statements.extractor_version = actor_mentions.extractor_version
            and actor_mentions.sentence_index between statements.sentence_index and statements.sentence_index_end
    where
        actor_mentions.mention_id is distinct from statements.speaker_mention_id
        and actor_mentions.actor_id != statements.speaker_actor_id
        and actor_mentions.actor_id != '{{ var("unknown_actor_id") }}'
),

statement_actors as (
    select
        {{ surrogate_key(['mentions_in_statements.statement_id', 'mentions_in_statements.actor_id']) }}
            as statement_actor_id,
        mentions_in_statements.statement_id,
        mentions_in_statements.actor_id,
        mentions_in_statements.article_id,
        any_value(mentions_in_statements.annotated_at) as annotated_at,
        -- 'quote' sorts before 'sentence': inside the quote wins
        min(mentions_in_statements.mention_context) as mention_context,
        count(*) as mention_count
    from mentions_in_statements
    group by
        mentions_in_statements.statement_id,
        mentions_in_statements.actor_id,
        mentions_in_statements.article_id
)

select * from statement_actors
