-- Indicator statements placed on the map: city code from the cities seed, zone key from the
-- extractor's zone code (or the written name when unresolved), and the filing facts of the
-- stating document that decide between competing statements downstream; with the facts people
-- added (int_added_indicator_facts).
{{ placed_statements(
    'stg_indicator_facts', ['indicator_code', 'basis', 'value', 'unit', 'yoy_pct'], 'indicator_rank',
    added_model='int_added_indicator_facts'
) }}
