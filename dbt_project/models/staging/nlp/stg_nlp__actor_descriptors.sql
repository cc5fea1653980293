with

source_descriptors as (select * from {{ source('nlp', 'actor_descriptors') }}),

renamed as (
    select
        descriptor_id,
        article_id,
        extractor_version,
        sentence_index,
        char_start,
        char_end,
        mention_id,
        name_text,
        {{ normalize_name('name_text') }} as name_normalized,
        nullif(trim(role), '') as role_text,
        lower(trim(role)) as role_normalized,
        nullif(trim(country_text), '') as country_text,
        {{ normalize_name('country_text') }} as country_text_normalized,
        is_former,
        pattern as descriptor_pattern,
        annotation_run_id
    from source_descriptors
)

select * from renamed
