-- Type-2 role history: seeded roles with their dates, plus roles read from text, which hold from
-- the first article that states them until the actor's next extracted role starts.
with

seed_roles as (select * from {{ ref('actor_roles') }}),

descriptors as (select * from {{ ref('int_actor_descriptors_resolved') }}),

seeded as (
    select
        'actor:' || seed_roles.actor_id as actor_code,
        seed_roles.role as role_name,
        lower(seed_roles.role) as role_normalized,
        seed_roles.org_or_country,
        seed_roles.valid_from,
        seed_roles.valid_to,
        'seed' as role_source,
        seed_roles.source as evidence
    from seed_roles
),

observed as (
    select
        descriptors.actor_code,
        mode(descriptors.role_text) as role_name,
        descriptors.role_normalized,
        descriptors.org_or_country,
        min(descriptors.observed_on) as first_observed_on,
        max(descriptors.observed_on) as last_observed_on,
        count(distinct descriptors.article_id) as article_count
    from descriptors
    where
        not descriptors.is_former
        and descriptors.role_normalized is not null
        and descriptors.observed_on is not null
        and descriptors.actor_type = 'person'
    group by descriptors.actor_code, descriptors.role_normalized, descriptors.org_or_country
),

-- the seed is authoritative: a text role adds nothing when the seed already gives the actor a
-- role on the day the text first states it (or the same role at any time)
observed_new as (
    select observed.*
    from observed
    left join seeded
        on
            observed.actor_code = seeded.actor_code
            and (
                (
                    observed.role_normalized = seeded.role_normalized
                    and observed.org_or_country is not distinct from seeded.org_or_country
                )
                or observed.first_observed_on
                between coalesce(seeded.valid_from, date '1900-01-01')
                and coalesce(seeded.valid_to, date '9999-12-31') - 1
            )
    where seeded.actor_code is null
),

-- a text role lasts until the actor is next seen with another role; roles first seen on the same
-- day are concurrent (one person can hold two titles), so the next *later* day ends them
observed_days as (
    select distinct
        observed_new.actor_code,
        observed_new.first_observed_on
    from observed_new
),

next_observed_days as (
    select
        observed_days.actor_code,
        observed_days.first_observed_on,
        lead(observed_days.first_observed_on) over (
            partition by observed_days.actor_code
            order by observed_days.first_observed_on
        ) as next_observed_on
    from observed_days
),

extracted as (
    select
        observed_new.actor_code,
        observed_new.role_name,
        observed_new.role_normalized,
        observed_new.org_or_country,
        observed_new.first_observed_on as valid_from,
        next_observed_days.next_observed_on as valid_to,
        'extracted' as role_source,
        'seen in ' || observed_new.article_count || ' article(s) up to '
        || strftime(observed_new.last_observed_on, '%Y-%m-%d') as evidence
    from observed_new
    inner join next_observed_days
        on
            observed_new.actor_code = next_observed_days.actor_code
            and observed_new.first_observed_on = next_observed_days.first_observed_on
),

unioned as (
    select * from seeded
    union all
    select * from extracted
),

keyed as (
    select
        {{ surrogate_key(['unioned.actor_code', 'unioned.role_normalized', 'unioned.org_or_country',
                          'unioned.valid_from']) }} as actor_role_id,
        {{ surrogate_key(['unioned.actor_code']) }} as actor_id,
        unioned.*,
        unioned.valid_to is null as is_current
    from unioned
)

select * from keyed
