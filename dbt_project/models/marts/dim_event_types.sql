with

event_types as (select * from {{ ref('event_types') }}),

final as (
    select
        event_types.cameo_code,
        event_types.name as event_type_name,
        event_types.root_code,
        event_types.parent_code,
        event_types.level as code_level,
        event_types.quad_class,
        event_types.goldstein as goldstein_scale,
        event_types.plover_category,
        event_types.source as provenance
    from event_types
)

select * from final
