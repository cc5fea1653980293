{#- The grain of a model with a composite key: no two rows share the combination. -#}
{% test unique_combination_of_columns(model, combination) %}

with

grouped as (
    select
        {{ combination | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination | join(', ') }}
),

duplicates as (
    select * from grouped
    where row_count > 1
)

select * from duplicates

{% endtest %}
