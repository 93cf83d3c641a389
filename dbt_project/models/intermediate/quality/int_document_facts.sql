-- Each current document of a month with the number of facts extracted from it (indicator and
-- campaign facts) and the period it states: a document that yields no fact was not understood.
with documents as (
    select period, document_id, file_name, stated_period
    from {{ ref('stg_documents') }}
    where {{ in_period_window('period') }}
),

statements as (
    select period, document_id from {{ ref('stg_indicator_facts') }}
    union all
    select period, document_id from {{ ref('stg_pipeline_facts') }}
),

fact_counts as (
    select period, document_id, count(*) as fact_count
    from statements
    group by period, document_id
)

select
    documents.period,
    documents.document_id,
    documents.file_name,
    documents.stated_period,
    coalesce(fact_counts.fact_count, 0) as fact_count
from documents
left join fact_counts
    on fact_counts.period = documents.period
    and fact_counts.document_id = documents.document_id
