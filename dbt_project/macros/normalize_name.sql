{#- Lower-case, accent-free, punctuation-free form of a name used to match aliases:
    "The Kremlin" -> "kremlin", "NATO's" -> "nato", "Jean-Yves Le Drian" -> "jean yves le drian". -#}
{% macro normalize_name(expression) -%}
    {{ return(adapter.dispatch('normalize_name')(expression)) }}
{%- endmacro %}

{% macro default__normalize_name(expression) -%}
    nullif(
        regexp_replace(
            trim(
                regexp_replace(
                    regexp_replace(lower(strip_accents({{ expression }})), '[''’]s\b', '', 'g'),
                    '[^a-z0-9]+', ' ', 'g'
                )
            ),
            '^the ', ''
        ),
        ''
    )
{%- endmacro %}
