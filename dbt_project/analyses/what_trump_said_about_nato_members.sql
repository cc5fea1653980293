-- What did Donald Trump say about NATO members? His statements that mention NATO itself or a
-- country that was a NATO member on the statement's day.
with

statements as (select * from {{ ref('fct_statements') }}),

statement_actors as (select * from {{ ref('bridge_statement_actors') }}),

actors as (select * from {{ ref('dim_actors') }}),

alliances as (select * from {{ ref('dim_alliances') }}),

memberships as (select * from {{ ref('bridge_alliance_memberships') }}),

nato_actors as (
    select
        alliances.alliance_id as actor_id,
        cast(null as date) as joined_on,
        cast(null as date) as left_on
    from alliances
    where alliances.alliance_code = 'NATO'
    union all
    select
        memberships.member_actor_id,
        memberships.joined_on,
        memberships.left_on
    from memberships
    inner join alliances on memberships.alliance_id = alliances.alliance_id
    where alliances.alliance_code = 'NATO'
),

trump_statements as (
    select statements.*
    from statements
    inner join actors on statements.speaker_actor_id = actors.actor_id
    where actors.actor_name = 'Donald Trump' and not statements.is_duplicate_copy
),

about_nato as (
    select
        trump_statements.story_published_on,
        trump_statements.statement_type,
        trump_statements.statement_text,
        string_agg(distinct mentioned.actor_name, ', ' order by mentioned.actor_name) as nato_actors_mentioned
    from trump_statements
    inner join statement_actors on trump_statements.statement_id = statement_actors.statement_id
    inner join nato_actors
        on
            statement_actors.actor_id = nato_actors.actor_id
            and (
                nato_actors.joined_on is null
                or nato_actors.joined_on <= coalesce(trump_statements.story_published_on, current_date)
            )
            and (
                nato_actors.left_on is null
                or nato_actors.left_on > coalesce(trump_statements.story_published_on, current_date)
            )
    inner join actors as mentioned on statement_actors.actor_id = mentioned.actor_id
    group by all
)

select * from about_nato
order by story_published_on, statement_text
