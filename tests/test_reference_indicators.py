"""devzone/extraction/reference.py, the one Python reader of the seeds, exposes the indicators
seed's presentation columns: count units, display order, the headline indicators."""

from __future__ import annotations

from devzone.extraction.reference import load_reference
from devzone.extraction.wording import UNIT_KIND


def test_count_units_are_read_per_indicator_and_together():
    ref = load_reference()
    filed = ref.indicator_by_code["filed_projects"]
    assert filed.is_count and filed.unit in filed.count_units
    assert ref.stated_units("filed_projects") == filed.count_units
    assert ref.stated_units("industrial_value_added") == ("亿元",)
    assert not ref.indicator_by_code["industrial_value_added"].is_count
    assert set(ref.count_units) == {u for i in ref.indicators for u in i.count_units}
    assert len(ref.count_units) == len(set(ref.count_units))


def test_every_count_unit_the_extractor_reads_is_accepted_for_every_count():
    """A count read in any count unit (个, 家, 项, 宗, 件) is accepted for every count indicator."""
    ref = load_reference()
    read = {unit for unit, kind in UNIT_KIND.items() if kind == "count"}
    for indicator in ref.indicators:
        if UNIT_KIND.get(indicator.unit) == "count":
            assert read <= set(indicator.count_units), indicator.code


def test_headline_and_display_order():
    ref = load_reference()
    headline = ref.headline_indicators
    assert [i.headline_rank for i in headline] == list(range(1, len(headline) + 1))
    assert headline[0].code == "industrial_value_added"
    ordered = ref.indicators_in_display_order
    assert ordered[: len(headline)] == headline
    assert {i.code for i in ordered} == set(ref.indicator_by_code)
    assert all(i.headline_rank is not None for i in ref.indicators if i.headline_target)
