{#- A character span is well-formed: 0 <= start < end (rows with a null start are skipped). -#}
{% test valid_char_span(model, column_name, end_column) %}

with

invalid_spans as (
    select
        {{ column_name }} as span_start,
        {{ end_column }} as span_end
    from {{ model }}
    where
        {{ column_name }} is not null
        and ({{ column_name }} < 0 or {{ end_column }} is null or {{ end_column }} <= {{ column_name }})
)

select * from invalid_spans

{% endtest %}
