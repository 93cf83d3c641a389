"""One test per wording of the genre (issue 2, sections 4-6): each sentence is new text written
in the genre, and each assertion names the fact the sentence states."""

import pytest

from devzone.extraction import extract_text


def facts(text: str, period: str = "2023-06") -> list[dict]:
    return extract_text(text, "t.txt", period)


def ind(text: str) -> set[tuple]:
    return {
        (f["city"], f["zone"], f["metric"], f["value"], f["yoy_pct"], f["basis"])
        for f in facts(text)
        if f["type"] == "indicator"
    }


def pipe(text: str) -> set[tuple]:
    return {
        (f["city"], f["zone"], f["scope"], f["stage"], f["measure"], f["value"])
        for f in facts(text)
        if f["type"] == "pipeline"
    }


JZ = "晋中市开发区\n"  # a city heading: city-wide figures below belong to 晋中市


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("1-9月，全市开发区工业投资完成40.1亿元，同比增长27.4%。", ("工业投资", 40.1, 27.4)),
        ("全市开发区规上工业增加值同比增长8.2%，完成12.3亿元。", ("规上", 12.3, 8.2)),
        ("全市开发区规上工业增加值增长11.1%。", ("规上", None, 11.1)),
        ("全市开发区工业投资完成9.6亿元，增速为-3.5%。", ("工业投资", 9.6, -3.5)),
        ("全市开发区工业投资完成9.6亿元(增速-3.5%)。", ("工业投资", 9.6, -3.5)),
        ("全市开发区工业投资完成9.6亿元，同比下降3.5%。", ("工业投资", 9.6, -3.5)),
        ("全市开发区工业投资完成9.6亿元，下降3.5%。", ("工业投资", 9.6, -3.5)),
        ("全市开发区工业投资完成9.6亿元，增长3.5%。", ("工业投资", 9.6, 3.5)),
        ("全市开发区工业投资完成9.6亿元，增速3.5%。", ("工业投资", 9.6, 3.5)),
    ],
)
def test_value_and_growth_orders(sentence, expected):
    metric = {"工业投资": "industrial_investment", "规上": "industrial_value_added"}[expected[0]]
    assert ind(JZ + sentence) == {("晋中市", None, metric, expected[1], expected[2], "actual")}


@pytest.mark.parametrize(
    "sentence, metric, value, unit",
    [
        ("全市开发区实现营业收入8600万元。", "operating_revenue", 0.86, "亿元"),
        ("全市开发区实际利用外资0.35亿美元。", "foreign_investment_used", 0.35, "亿美元"),
        ("右玉示范区景区接待人次达150.2万人次。", "tourist_visits", 150.2, "万人次"),
        ("全市开发区共出让“标准地”5宗，出让面积320.5亩。", "standard_land_area", 320.5, "亩"),
        ("全市开发区已投入使用的标准厂房共12.5万平方米。", "standard_factory_area_in_use", 12.5, "万平方米"),
        ("全市开发区备案项目数量31个。", "filed_projects", 31, "个"),
        ("已为12个项目办理“承诺制”相关手续40项。", "commitment_procedures", 40, "项"),
        ("全市开发区共出让“标准地”5宗。", "standard_land_parcels", 5, "宗"),
        ("右玉示范区森林覆盖率56.1%。", "forest_coverage", 56.1, "%"),
    ],
)
def test_units(sentence, metric, value, unit):
    got = [f for f in facts(JZ + sentence) if f["metric"] == metric]
    assert len(got) == 1
    assert got[0]["value"] == pytest.approx(value) and got[0]["unit"] == unit


def test_indicator_named_once_then_elided_for_next_zones():
    text = "1-6月，晋中经开区完成规上工业增加值35.17亿元；介休经开区完成28.9亿元；平遥经开区完成6.3亿元，同比增长4.1%。"
    got = ind(text)
    assert got == {
        ("晋中市", "晋中经开区", "industrial_value_added", 35.17, None, "actual"),
        ("晋中市", "介休经开区", "industrial_value_added", 28.9, None, "actual"),
        ("晋中市", "平遥经开区", "industrial_value_added", 6.3, 4.1, "actual"),
    }


@pytest.mark.parametrize(
    "sentence, metric",
    [
        ("介休经开区规模以上工业增加值完成5.1亿元。", "industrial_value_added"),
        ("介休经开区规上工业增加值完成5.1亿元。", "industrial_value_added"),
        ("介休经开区固定投资完成5.1亿元。", "fixed_asset_investment"),
        ("介休经开区固定资产投资完成5.1亿元。", "fixed_asset_investment"),
        ("介休经开区外贸进出口额完成5.1亿元。", "import_export"),
        ("介休经开区进出口总额完成5.1亿元。", "import_export"),
    ],
)
def test_synonyms(sentence, metric):
    assert ind(sentence) == {("晋中市", "介休经开区", metric, 5.1, None, "actual")}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("力争全年全市开发区规上工业增加值增长10%。", {("industrial_value_added", None, 10.0, "target")}),
        ("确保全市开发区工业投资完成60亿元。", {("industrial_investment", 60.0, None, "target")}),
        ("围绕实现开发区规上工业增加值增速12%的目标任务持续加力。", {("industrial_value_added", None, 12.0, "target")}),
    ],
)
def test_targets(sentence, expected):
    assert {(m, v, y, b) for _, _, m, v, y, b in ind(JZ + sentence)} == expected


def test_prior_year_and_percentage_points_are_not_facts():
    text = (
        JZ
        + "全市开发区规上工业增加值完成20.5亿元，去年同期为18.2亿元，增速高于全省平均2.3个百分点，较一季度回落1.5个百分点。"
    )
    assert ind(text) == {("晋中市", None, "industrial_value_added", 20.5, None, "actual")}


def test_table_written_as_text():
    text = JZ + "\n".join(
        [
            "开发区名称\t规上工业增加值(亿元)\t增速(%)\t工业投资(亿元)\t增速(%)",
            "晋中经开区\t35.17\t6.2\t20.1\t-3.5",
            "介休经开区\t28.9\t-1.4\t8.8\t12",
        ]
    )
    assert ind(text) == {
        ("晋中市", "晋中经开区", "industrial_value_added", 35.17, 6.2, "actual"),
        ("晋中市", "晋中经开区", "industrial_investment", 20.1, -3.5, "actual"),
        ("晋中市", "介休经开区", "industrial_value_added", 28.9, -1.4, "actual"),
        ("晋中市", "介休经开区", "industrial_investment", 8.8, 12.0, "actual"),
    }


def test_space_separated_table_with_units_in_ten_thousand_yuan():
    text = JZ + "开发区名称 营业收入(万元) 增速(%)\n介休经开区 56000 7.5\n全市合计 120000 5.0"
    assert ind(text) == {
        ("晋中市", "介休经开区", "operating_revenue", 5.6, 7.5, "actual"),
        ("晋中市", None, "operating_revenue", 12.0, 5.0, "actual"),
    }


def test_half_width_punctuation_and_unbalanced_quotes():
    text = "晋中市三个一批”活动中,介休经开区规上工业增加值完成5.1亿元;平遥经开区完成2.2亿元."
    got = ind(text)
    assert ("晋中市", "介休经开区", "industrial_value_added", 5.1, None, "actual") in got
    assert ("晋中市", "平遥经开区", "industrial_value_added", 2.2, None, "actual") in got


def test_zone_city_comes_from_reference_wherever_it_appears():
    # A 朔州 zone in the 晋中 section still belongs to 朔州市.
    assert ind(JZ + "怀仁经开区规上工业增加值完成3.3亿元。") == {
        ("朔州市", "怀仁经开区", "industrial_value_added", 3.3, None, "actual")
    }


def test_unknown_zone_named_after_a_county_takes_the_county_city():
    # 五台 is a county of 忻州市 with no zone in the reference.
    got = facts(JZ + "五台经开区规上工业增加值完成7.7亿元。")
    assert [(f["city"], f["zone"], f["zone_code"], f["zone_resolved"]) for f in got] == [
        ("忻州市", "五台经开区", None, True)
    ]


def test_unknown_zone_takes_the_section_city_and_is_flagged():
    got = facts(JZ + "其中，龙城新材料产业园区规上工业增加值完成1.2亿元。")
    assert [(f["city"], f["zone"], f["zone_resolved"]) for f in got] == [("晋中市", "龙城新材料产业园区", False)]


def test_province_wide_figures_have_no_city():
    assert ind(JZ + "1-6月，全省开发区规上工业增加值完成812.5亿元，同比增长5.6%。") == {
        (None, None, "industrial_value_added", 812.5, 5.6, "actual")
    }


def test_zone_in_brackets_after_the_number():
    got = ind(JZ + "全市开发区新建成标准厂房3.2万平方米(介休经开区)。")
    assert got == {("晋中市", "介休经开区", "standard_factory_area_new", 3.2, None, "actual")}


def test_numbers_that_are_not_facts():
    text = JZ + (
        "2022年以来，市领导带队对接洽谈200余次，举办第三届招商大会，聚焦12条重点产业链，"
        "签约总投资40亿元的新材料项目，五个项目落地。"
    )
    assert facts(text) == []


# -- "三个一批" -------------------------------------------------------------------------------


def test_campaign_cumulative_chain_with_steps_and_rates():
    text = JZ + (
        "截至9月底，2022年以来“三个一批”活动“签约一批”项目80个，总投资200.5亿元，已开工项目60个，总投资150.2亿元，"
        "签约开工率74.91%。“开工一批”项目70个，总投资180.4亿元，已完成投资90.1亿元，已投产项目30个，"
        "已完成投资40.6亿元，开工项目投产率22.5%。“投产一批”项目50个，总投资120.3亿元，产业项目40个，"
        "总投资100.1亿元，达产项目35个，总投资95.5亿元，达产率95.4%。"
    )
    c = ("晋中市", None, "cumulative")
    assert pipe(text) == {
        (*c, "signed", "projects", 80),
        (*c, "signed", "investment", 200.5),
        (*c, "signed", "advanced_projects", 60),
        (*c, "signed", "advanced_investment", 150.2),
        (*c, "signed", "rate_pct", 74.91),
        (*c, "started", "projects", 70),
        (*c, "started", "investment", 180.4),
        (*c, "started", "completed_investment", 90.1),
        (*c, "started", "advanced_projects", 30),
        (*c, "started", "advanced_investment", 40.6),
        (*c, "started", "rate_pct", 22.5),
        (*c, "in_production", "projects", 50),
        (*c, "in_production", "investment", 120.3),
        (*c, "in_production", "industrial_projects", 40),
        (*c, "in_production", "industrial_investment", 100.1),
        (*c, "in_production", "advanced_projects", 35),
        (*c, "in_production", "advanced_investment", 95.5),
        (*c, "in_production", "rate_pct", 95.4),
    }


def test_campaign_event_with_totals_and_expected_output():
    text = JZ + (
        "第六次“三个一批”活动，全市开发区共推进项目98个，总投资310.2亿元，预计年产值55.1亿元。"
        "其中，集中签约项目30个，签约投资额120.5亿元；集中开工项目40个，计划总投资150.3亿元；"
        "新投产项目28个，总投资39.4亿元，预计年产值20.2亿元。"
    )
    e = ("晋中市", None, "event")
    assert pipe(text) == {
        (*e, "all", "projects", 98),
        (*e, "all", "investment", 310.2),
        (*e, "all", "expected_annual_output", 55.1),
        (*e, "signed", "projects", 30),
        (*e, "signed", "investment", 120.5),
        (*e, "started", "projects", 40),
        (*e, "started", "investment", 150.3),
        (*e, "in_production", "projects", 28),
        (*e, "in_production", "investment", 39.4),
        (*e, "in_production", "expected_annual_output", 20.2),
    }


@pytest.mark.parametrize(
    "words, stage",
    [
        ("新签约项目", "signed"),
        ("签约项目", "signed"),
        ("“签约一批”项目", "signed"),
        ("新开工项目", "started"),
        ("开工项目", "started"),
        ("“开工一批”项目", "started"),
        ("新投产项目", "in_production"),
        ("投产项目", "in_production"),
        ("“投产一批”项目", "in_production"),
    ],
)
def test_stage_names(words, stage):
    got = pipe(JZ + f"本次“三个一批”活动，全市{words}12个，总投资30.5亿元。")
    assert got == {
        ("晋中市", None, "event", stage, "projects", 12),
        ("晋中市", None, "event", stage, "investment", 30.5),
    }


@pytest.mark.parametrize("marker", ["2022年以来，", "截至6月底，", "累计", "全年共"])
def test_cumulative_scope_markers(marker):
    got = pipe(JZ + f"{marker}“签约一批”项目45个，总投资88.8亿元。")
    assert {scope for _, _, scope, *_ in got} == {"cumulative"}


@pytest.mark.parametrize(
    "opening", ["全年全市开发区累计", "今年全市开发区累计", "全市开发区全年累计", "本年度全市开发区累计"]
)
def test_a_year_word_before_the_campaigns_running_total_keeps_its_first_stage(opening):
    """全年/今年 are times, like 1-12月: the signed count after them is still the campaign's."""
    got = pipe(
        JZ + "二、“三个一批”活动推进情况\n" + f"{opening}签约项目61个，总投资142.5亿元；开工项目48个，总投资97.3亿元。"
    )
    assert {(stage, measure, value) for *_, stage, measure, value in got} == {
        ("signed", "projects", 61),
        ("signed", "investment", 142.5),
        ("started", "projects", 48),
        ("started", "investment", 97.3),
    }


def test_zone_level_campaign_figures():
    got = pipe(
        "吕梁市开发区\n第五次“三个一批”活动中，交城县开发区“签约一批”项目2个，总投资3.5亿元；“开工一批”项目1个，总投资1.2亿元。"
    )
    assert got == {
        ("吕梁市", "交城县开发区", "event", "signed", "projects", 2),
        ("吕梁市", "交城县开发区", "event", "signed", "investment", 3.5),
        ("吕梁市", "交城县开发区", "event", "started", "projects", 1),
        ("吕梁市", "交城县开发区", "event", "started", "investment", 1.2),
    }


def test_province_level_campaign_verbs():
    got = pipe("第六次“三个一批”活动，全省共签约233个项目、开工225个项目、投产190个项目。")
    assert got == {
        (None, None, "event", "signed", "projects", 233),
        (None, None, "event", "started", "projects", 225),
        (None, None, "event", "in_production", "projects", 190),
    }


def test_evidence_and_spans_point_into_the_normalised_text():
    from devzone.extraction import extract_document, read_bytes

    text = JZ + "全市开发区工业投资完成９.６亿元，同比增长３.５％。其他工作稳步推进。"
    extraction = extract_document(read_bytes(text.encode(), "t.txt"), "2023-06")
    (fact,) = extraction.facts
    s, e = fact["evidence_span"]
    assert extraction.normalised_text[s:e] == fact["evidence"] == "全市开发区工业投资完成9.6亿元，同比增长3.5%。"
    vs, ve = fact["value_span"]
    assert extraction.normalised_text[vs:ve] == "9.6亿元"


def test_the_lookahead_of_first_characters_names_what_a_match_can_start_with():
    """The extractor's scans are prefixed with the characters their matches can start with, read
    from `re`'s parse tree (devzone/extraction/regex_prefix.py): pinned here, since that parser is
    not a public API."""
    import re

    from devzone.extraction.regex_prefix import first_chars_lookahead

    assert first_chars_lookahead("签约|开工(?:重大)?项目|(?<=\\d)-\\d月") == "(?=[\\-开签])"
    assert first_chars_lookahead("(?:全市|我市)?各园区") == "(?=[全各我])"
    assert first_chars_lookahead("[一二]+次|\\d+期") == "(?=[一二\\d])"
    with pytest.raises(ValueError, match="empty string"):
        first_chars_lookahead("(?:全市)?")
    text = "全市各园区签约项目12个"
    scan = re.compile(first_chars_lookahead("签约|各园区") + "(?:签约|各园区)")
    assert [m.group(0) for m in scan.finditer(text)] == ["各园区", "签约"]
