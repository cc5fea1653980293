-- Quotes of counted articles with their speaker resolved to an actor: through the speaker's
-- mention when the extractor linked one, else through the speaker text's alias, else 'unknown'.
with

quotes as ({{ rows_of_incremental_articles(ref('stg_nlp__quotes')) }}),

articles as ({{ rows_of_incremental_articles(ref('int_articles_annotated')) }}),

actor_mentions as ({{ rows_of_incremental_articles(ref('int_actor_mentions_resolved')) }}),

aliases as (select * from {{ ref('int_actor_aliases_unioned') }}),

cue_verbs as (select * from {{ ref('cue_verbs') }}),

cue_types as (
    select
        lower(cue_verbs.cue) as cue_lemma,
        any_value(cue_verbs.statement_type order by cue_verbs.pos) as cue_statement_type,
        any_value(cue_verbs.also_event_code order by cue_verbs.pos) as also_event_code
    from cue_verbs
    group by lower(cue_verbs.cue)
),

speaker_alias_candidates as (
    select
        aliases.alias_normalized,
        aliases.actor_code,
        row_number() over (
            partition by aliases.alias_normalized
            order by aliases.actor_type = 'person' desc, aliases.match_priority, aliases.actor_code asc
        ) as candidate_rank
    from aliases
),

speaker_aliases as (
    select * from speaker_alias_candidates
    where candidate_rank = 1
),

quotes_attributed as (
    select
        {{ surrogate_key(['quotes.quote_id', 'quotes.extractor_version']) }} as statement_id,
        quotes.quote_id,
        quotes.article_id,
        articles.story_id,
        articles.is_duplicate_copy,
        articles.source_id,
        articles.published_on,
        articles.story_published_on,
        articles.annotated_at,
        quotes.extractor_version,
        quotes.sentence_index,
        quotes.sentence_index_end,
        quotes.char_start,
        quotes.char_end,
        quotes.quote_text,
        quotes.quote_type,
        quotes.cue_text,
        quotes.cue_lemma,
        quotes.cue_char_start,
        quotes.cue_char_end,
        cue_types.cue_statement_type,
        cue_types.also_event_code,
        quotes.speaker_text,
        quotes.speaker_mention_id,
        quotes.speaker_char_start,
        quotes.speaker_char_end,
        quotes.speaker_method,
        quotes.confidence,
        coalesce(speaker_mentions.actor_code, speaker_aliases.actor_code) as speaker_actor_code,
        case
            when speaker_mentions.actor_code is not null then speaker_mentions.actor_id
            when speaker_aliases.actor_code is not null then {{ surrogate_key(['speaker_aliases.actor_code']) }}
            else '{{ var("unknown_actor_id") }}'
        end as speaker_actor_id,
        case
            when speaker_mentions.actor_code is not null then 'mention'
            when speaker_aliases.actor_code is not null then 'speaker_text_alias'
            else 'unattributed'
        end as speaker_resolution,
        quotes.confidence < {{ var('min_statement_confidence') }} as is_low_confidence
    from quotes
    inner join articles
        on
            quotes.article_id = articles.article_id
            and quotes.extractor_version = articles.extractor_version
    left join actor_mentions as speaker_mentions
        on
            quotes.speaker_mention_id = speaker_mentions.mention_id
            and quotes.extractor_version = speaker_mentions.extractor_version
    left join speaker_aliases on quotes.speaker_name_normalized = speaker_aliases.alias_normalized
    left join cue_types on quotes.cue_lemma = cue_types.cue_lemma
)

select * from quotes_attributed
