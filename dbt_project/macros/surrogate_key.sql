{#- A stable string key from natural-key columns: md5 over the values joined by '-', nulls as
    '_null_'. Dispatched (like jaffle-shop's cents_to_dollars) so an adapter can override it. -#}
{% macro surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('surrogate_key')(field_list)) }}
{%- endmacro %}

{% macro default__surrogate_key(field_list) -%}
    md5(
        {%- for field in field_list %}
        coalesce(cast({{ field }} as varchar), '_null_')
        {%- if not loop.last %} || '-' || {% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro spark__surrogate_key(field_list) -%}
    md5(concat_ws('-',
        {%- for field in field_list %}
        coalesce(cast({{ field }} as string), '_null_'){% if not loop.last %},{% endif %}
        {%- endfor %}
    ))
{%- endmacro %}
