-- Which NATO members attended the Paris meeting? The actors acting in meeting or cooperation
-- events (CAMEO roots 03, 04) placed in Paris, mapped to their country, kept if that country was
-- in NATO on the event day.
with

events as (select * from {{ ref('fct_events') }}),

event_actors as (select * from {{ ref('bridge_event_actors') }}),

actors as (select * from {{ ref('dim_actors') }}),

alliances as (select * from {{ ref('dim_alliances') }}),

memberships as (select * from {{ ref('bridge_alliance_memberships') }}),

paris_meetings as (
    select
        events.event_id,
        coalesce(events.event_date, current_date) as on_date
    from events
    where events.place_name ilike 'paris' and events.cameo_root_code in ('03', '04')
),

attendees as (
    select distinct
        actors.actor_name as attendee,
        actors.actor_type,
        actors.iso3,
        paris_meetings.on_date
    from paris_meetings
    inner join event_actors on paris_meetings.event_id = event_actors.event_id
    inner join actors on event_actors.actor_id = actors.actor_id
    where event_actors.actor_role in ('source', 'participant') and actors.actor_type in ('person', 'country')
),

nato_attendees as (
    select
        member_countries.actor_name as member_country,
        attendees.iso3,
        string_agg(distinct attendees.attendee, ', ' order by attendees.attendee) as represented_by
    from attendees
    inner join memberships
        on
            attendees.iso3 = memberships.member_iso3
            and attendees.on_date >= memberships.joined_on
            and (memberships.left_on is null or attendees.on_date < memberships.left_on)
    inner join alliances on memberships.alliance_id = alliances.alliance_id and alliances.alliance_code = 'NATO'
    inner join actors as member_countries on memberships.member_actor_id = member_countries.actor_id
    group by member_countries.actor_name, attendees.iso3
)

select * from nato_attendees
order by member_country
