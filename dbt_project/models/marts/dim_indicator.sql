-- The indicators the reports state (from the indicators seed, which the extractor reads too).
select
    indicator_code,
    indicator_name,
    synonyms,
    unit,
    cumulative as is_cumulative,
    description
from {{ ref('indicators') }}
