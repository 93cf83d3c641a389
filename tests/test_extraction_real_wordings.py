"""The shapes real published pages give the genre (issue 9), one test each, in sentences of our own.

Each pattern was met on a real public page of the development set (samples/real/); the sentences
here are new text with invented figures in the same shape, so CI guards the pattern without the
third-party text. Pages are short news items: no city headings, often a headline, a dateline, a
source line and web furniture around the article.
"""

import pytest

from devzone.extraction import extract_text


def facts(text: str, period: str | None = None) -> list[dict]:
    return extract_text(text, "page.txt", period)


def pipe(text: str, period: str | None = None) -> set[tuple]:
    return {
        (f["city"], f["zone"], f["scope"], f["stage"], f["measure"], f["value"])
        for f in facts(text, period)
        if f["type"] == "pipeline"
    }


def ind(text: str, period: str | None = None) -> set[tuple]:
    return {
        (f["city"], f["zone"], f["metric"], f["value"], f["yoy_pct"])
        for f in facts(text, period)
        if f["type"] == "indicator"
    }


# -- whose figures: the page states its subject once --------------------------------------------
def test_a_headline_naming_a_zone_gives_the_zone_every_campaign_figure_of_the_page():
    page = (
        "介休经开区38个“三个一批”项目加速推进\n"
        "总投资61.2亿元的9个签约项目，前期手续加快办理；总投资23.5亿元的17个开工项目，工程全面铺开；"
        "总投资40.8亿元的12个投产项目均已复工。连日来，介休经济技术开发区38个“三个一批”项目有序推进。"
    )
    assert pipe(page) == {
        ("晋中市", "介休经开区", "event", "signed", "projects", 9),
        ("晋中市", "介休经开区", "event", "signed", "investment", 61.2),
        ("晋中市", "介休经开区", "event", "started", "projects", 17),
        ("晋中市", "介休经开区", "event", "started", "investment", 23.5),
        ("晋中市", "介休经开区", "event", "in_production", "projects", 12),
        ("晋中市", "介休经开区", "event", "in_production", "investment", 40.8),
        ("晋中市", "介休经济技术开发区", "event", "all", "projects", 38),  # the headline is not read
    }
    assert all(f["confidence"] == "high" for f in facts(page))


def test_the_county_holding_the_round_owns_the_figures_of_later_paragraphs():
    page = (
        "3月8日，寿阳县2024年度第一期“三个一批”活动在县经开区举行。\n"
        "县委书记宣布项目开工，与会人员观摩了新材料项目现场。\n"
        "当日活动涉及集中签约项目9个，投资56亿元；全面开工项目14个，投资18亿元；竣工投产项目7个，投资11亿元。"
    )
    got = pipe(page)
    assert ("晋中市", "寿阳县", "event", "signed", "projects", 9) in got
    assert ("晋中市", "寿阳县", "event", "in_production", "investment", 11) in got and len(got) == 6
    zone_codes = {f["zone_code"] for f in facts(page)}
    assert zone_codes == {"140725-JK"}  # the county's namesake zone (寿阳经开区)


def test_a_county_whose_zone_is_not_named_after_it_keeps_its_name_and_no_code():
    page = "今年以来，太谷区持续推进“三个一批”活动。年初签约项目 21 项，总投资 88.6 亿元；新建开工项目 30 项，总投资 41.2 亿元。"
    got = facts(page)
    assert {(f["zone"], f["zone_code"], f["scope"], f["stage"], f["value"]) for f in got} == {
        ("太谷区", None, "cumulative", "signed", 21),
        ("太谷区", None, "cumulative", "signed", 88.6),
        ("太谷区", None, "cumulative", "started", 30),
        ("太谷区", None, "cumulative", "started", 41.2),
    }


def test_our_city_in_a_province_wide_round_is_the_city_and_the_province_total_is_the_province():
    page = (
        "来源：朔州日报\n"
        "6月18日，全省开发区2023年第三次“三个一批”活动举行。本次活动全省共签约项目196个。"
        "我市在本次活动中签约项目17个，总投资35.4亿元。"
    )
    assert pipe(page) == {
        (None, None, "event", "signed", "projects", 196),
        ("朔州市", None, "event", "signed", "projects", 17),
        ("朔州市", None, "event", "signed", "investment", 35.4),
    }


def test_a_page_that_names_places_of_one_city_only_gives_it_that_city_for_review():
    page = "近日，浑源经开区、广灵经开区分别召开项目推进会。全市开发区“签约一批”项目11个，总投资20.3亿元。"
    got = facts(page)
    assert {(f["city"], f["measure"], f["value"]) for f in got} == {
        ("大同市", "projects", 11),
        ("大同市", "investment", 20.3),
    }
    assert {f["confidence"] for f in got} == {"review"} and got[0]["review_reasons"] == ["subject_inferred"]


def test_a_page_that_names_no_place_gives_no_owner_and_no_facts():
    assert facts("上半年，经开区规上工业增加值同比增长12.6%，稳居全市第一。") == []


def test_another_provinces_totals_and_zones_are_not_taken_for_shanxis():
    page = (
        "5月6日，河南省第九期“三个一批”项目建设活动举行，河南省共签约项目630个，总投资3120亿元。\n"
        "许昌高新区本次签约项目3个，总投资12.5亿元。"
    )
    got = facts(page)
    assert {(f["city"], f["zone"], f["measure"], f["value"]) for f in got} == {
        (None, None, "projects", 630),
        (None, None, "investment", 3120),
        ("许昌市", "许昌高新区", "projects", 3),
        ("许昌市", "许昌高新区", "investment", 12.5),
    }
    # another province's figures are flagged, its own totals too: loaded unflagged they would read
    # as Shanxi's province-wide figures
    assert {tuple(f["review_reasons"]) for f in got} == {
        ("outside_shanxi",),
        ("outside_shanxi", "zone_not_in_reference"),
    }


# -- what a number means ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence, stage",
    [
        ("推动19个项目签约落地，总投资48.2亿元。", "signed"),
        ("推动26个项目开工建设，总投资30.1亿元。", "started"),
        ("集中签约、开工、投产项目45个，总投资96.3亿元。", "all"),
        ("集中签约、开工、投产的项目有45个，总投资96.3亿元。", "all"),
        ("45个重点项目集中签约、开工、投产，总投资96.3亿元。", "all"),
    ],
)
def test_the_stage_may_follow_the_count_or_cover_several_stages(sentence, stage):
    page = "长治市开发区第五次“三个一批”活动举行。" + sentence
    got = pipe(page)
    assert len(got) == 2 and {(g[3], g[4]) for g in got} == {(stage, "projects"), (stage, "investment")}


def test_campaign_figures_without_quotation_marks_and_a_project_count_rate():
    page = (
        "忻州市开发区第四次三个一批活动中，新签约项目14个，总投资22.6亿元；新开工项目18个，总投资31.4亿元；"
        "新投产项目9个，总投资12.8亿元。"
    )
    assert {(g[3], g[4], g[5]) for g in pipe(page)} == {
        ("signed", "projects", 14),
        ("signed", "investment", 22.6),
        ("started", "projects", 18),
        ("started", "investment", 31.4),
        ("in_production", "projects", 9),
        ("in_production", "investment", 12.8),
    }


@pytest.mark.parametrize(
    "lead, scope",
    [
        ("在已开展的6次“三个一批”活动中，", "cumulative"),
        ("截至目前，", "cumulative"),
        ("2022年以来，", "cumulative"),
        ("前五期“三个一批”活动累计", "cumulative"),
        ("第六次“三个一批”活动中，", "event"),
        ("本次“三个一批”活动，", "event"),
    ],
)
def test_rounds_and_running_totals(lead, scope):
    page = f"吕梁市开发区扎实推进“三个一批”活动。{lead}签约项目120个，总投资310.5亿元。"
    assert {g[2] for g in pipe(page, "2024-06")} == {scope}


def test_a_single_named_projects_own_figures_are_not_the_rounds():
    page = (
        "晋城经开区第二次“三个一批”活动中，签约项目8个，总投资26.4亿元。"
        "此次签约的光电材料产业园项目总投资12亿元，建成后可实现年产值18亿元；"
        "开工的精密铸件项目总投资约3.5亿元，投产后年纳税5000万元。"
    )
    assert pipe(page) == {
        ("晋城市", "晋城经开区", "event", "signed", "projects", 8),
        ("晋城市", "晋城经开区", "event", "signed", "investment", 26.4),
    }


def test_breakdowns_by_size_sector_or_source_and_counts_of_companies_are_not_stage_figures():
    page = (
        "阳泉市开发区第七期“三个一批”活动中，“签约一批”项目42个。从项目规模看，10亿元以上项目6个，"
        "50亿元以上项目2个；从产业分布看，先进制造业项目19个，现代服务业项目8个；签约外资项目3个。"
        "盂县经开区与12家企业现场签约，总投资达60亿元。"
    )
    assert pipe(page) == {("阳泉市", None, "event", "signed", "projects", 42)}


def test_a_text_not_about_the_campaign_has_no_campaign_figures():
    page = "2023年，全省共签约招商引资项目2860个，签约金额1.2万亿元；开工项目2410个，项目计划总投资5120亿元。"
    assert pipe(page, "2023-12") == set()


def test_a_rate_needs_its_name_in_the_same_sentence():
    page = (
        "运城市开发区第三次“三个一批”活动中，签约项目22个，开工率持续提升。截至3月底，全市规上工业企业开复工率为96.5%。"
    )
    assert {g[4] for g in pipe(page)} == {"projects"}


# -- which numbers are not the period's figures --------------------------------------------------
def test_where_a_figure_started_is_not_a_figure_and_an_average_growth_is_not_year_on_year():
    page = "临汾经济技术开发区规上工业增加值从126.4亿元增至218.7亿元，年均增长14.7%，两年平均增长9.2%。"
    assert ind(page) == {("临汾市", "临汾经济技术开发区", "industrial_value_added", 218.7, None)}


def test_a_figure_dated_to_an_earlier_year_is_not_the_reports():
    page = (
        "1月2日，全省开发区2024年第一期“三个一批”活动举行。"
        "2023年前三季度，全省开发区工业投资完成812亿元，同比增长21.4%。"
    )
    assert ind(page) == set()
    assert ind(page.replace("2023年前三季度", "2024年1-3月")) == {(None, None, "industrial_investment", 812, 21.4)}


def test_the_provinces_economy_is_not_its_zones():
    page = "一季度，山西省固定资产投资增速达7.2%，全省开发区规上工业增加值同比增长9.8%。"
    assert ind(page, "2024-03") == {(None, None, "industrial_value_added", None, 9.8)}


def test_a_ratio_per_mu_is_not_an_amount():
    page = "全市开发区亩均税收28.6万元/亩，税收收入完成16.2亿元。"
    assert ind("忻州市开发区\n" + page) == {("忻州市", None, "tax_revenue", 16.2, None)}


def test_a_growth_after_a_figure_that_is_no_indicator_is_not_given_to_the_previous_one():
    page = "全省开发区规上工业增加值完成512.3亿元，同比增长8.1%；服务业增加值208.6亿元，同比增长6%。"
    assert ind(page, "2023-06") == {(None, None, "industrial_value_added", 512.3, 8.1)}


def test_one_word_for_two_indicators_is_told_apart_by_the_unit():
    page = "平遥经开区深化“标准地”改革，截至目前累计完成标准地出让14宗、615.8亩，全年共有7个项目通过承诺制落地。"
    got = {(f["metric"], f["value"]) for f in facts(page) if f["type"] == "indicator"}
    assert got == {("standard_land_parcels", 14), ("standard_land_area", 615.8), ("commitment_projects", 7)}


def test_a_zone_someone_travels_to_is_not_the_subject():
    page = (
        "综改示范区12个重点项目集中签约、开工、投产。"
        "管委会负责人前往苏州工业园区考察，随后召开推进会，全面提升“三个一批”效能。"
    )
    assert pipe(page) == {("太原市", "综改示范区", "event", "all", "projects", 12)}


def test_a_growth_naming_the_tail_of_an_indicator_completes_that_figure():
    page = "1-3月，浑源经开区规上工业增加值完成3.46亿元(工业产值完成8.12亿元)，增加值同比增长17.3%。"
    assert ind(page) == {("大同市", "浑源经开区", "industrial_value_added", 3.46, 17.3)}


def test_a_page_looking_back_on_last_year_reports_last_years_figures():
    page = (
        "来源：山西日报（2025-02-18）\n"
        "回看2024年，全省开发区规上工业增加值同比增长9.6%，占全省比重为36.1%。2025年，全省将继续推进开发区提质升级。"
    )
    assert ind(page) == {(None, None, "industrial_value_added", None, 9.6)}


def test_this_years_figures_and_last_years_on_a_dated_page():
    page = (
        "发布时间：2019-10-25 来源：新华网\n"
        "2018年，全省开发区税收收入完成512亿元。今年以来，全省开发区税收收入增长16%。"
    )
    assert ind(page) == {(None, None, "tax_revenue", None, 16)}


def test_a_headline_with_commas_above_its_byline_is_not_read():
    page = (
        "聚焦第九期“三个一批”丨长治：24个项目签约，31个项目开工\n"
        "时间：2024-04-02 来源：长治日报\n"
        "4月1日，长治市开发区第九期“三个一批”活动举行，“签约一批”项目24个，总投资66.2亿元。\n"
        "(原标题：长治：24个项目签约，31个项目开工)"
    )
    assert pipe(page) == {
        ("长治市", None, "event", "signed", "projects", 24),
        ("长治市", None, "event", "signed", "investment", 66.2),
    }


def test_another_provinces_city_names_its_own_figures():
    page = (
        "4月8日，洛阳市全面参与河南省第十期“三个一批”项目建设活动，签约重大项目46个，总投资215.3亿元。"
        "「投产一批」项目38个，(经前期开工项目转化生成)总投资102.6亿元。"
    )
    got = {(f["city"], f["stage"], f["measure"], f["value"]) for f in facts(page)}
    assert got == {
        ("洛阳市", "signed", "projects", 46),
        ("洛阳市", "signed", "investment", 215.3),
        ("洛阳市", "in_production", "projects", 38),
        ("洛阳市", "in_production", "investment", 102.6),
    }


def test_amounts_that_class_or_mark_something_and_a_lost_decimal_point():
    page = (
        "前三季度，全省开发区实现营业收入2.35万亿元，营业收入超500亿元园区达到6家，"
        "其中省经开区突破3000亿元大关；实现规模以上工业增加值1862.亿元，同比增长8%。"
    )
    assert ind(page, "2023-09") == {
        (None, None, "operating_revenue", 23500, None),
        (None, None, "industrial_value_added", 1862, 8),
    }


def test_a_ranking_of_values_then_a_ranking_of_growths_gives_one_fact_per_zone():
    page = (
        "晋中市开发区\n"
        "1-6月，工业投资绝对量前三位的开发区分别是介休经开区8.4亿元、平遥经开区6.1亿元、祁县经开区3.9亿元；"
        "工业投资增速前三位的开发区分别是祁县经开区42.5%、介休经开区18.3%、平遥经开区-6.2%。"
    )
    assert ind(page, "2023-06") == {
        ("晋中市", "介休经开区", "industrial_investment", 8.4, 18.3),
        ("晋中市", "平遥经开区", "industrial_investment", 6.1, -6.2),
        ("晋中市", "祁县经开区", "industrial_investment", 3.9, 42.5),
    }


def test_digits_split_over_two_lines_are_joined_and_flagged_for_review():
    page = "晋中市开发区\n1-6月，全市开发区进出口总额完成9\n8.72亿元，同比增长6.4%。"
    got = facts(page, "2023-06")
    assert [(f["value"], f["review_reasons"]) for f in got] == [(98.72, ["number_split_across_lines"])]


def test_a_number_split_from_its_unit_is_not_in_doubt():
    page = "晋中市开发区\n1-6月，全市开发区进出口总额完成98.72\n亿元，同比增长6.4%。"
    assert [(f["value"], f["confidence"]) for f in facts(page, "2023-06")] == [(98.72, "high")]


def test_a_rate_says_its_base_when_the_text_does():
    def rates(sentence):
        page = f"朔州市开发区“三个一批”活动中，签约项目30个，总投资42亿元，已开工21个，总投资27.1亿元，{sentence}。"
        return [(f["value"], f["rate_base"]) for f in facts(page) if f.get("measure") == "rate_pct"]

    assert rates("项目开工率70%") == [(70, "projects")]
    assert rates("投资开工率为64.52%") == [(64.52, "investment")]
    assert rates("签约开工率64.52%") == [(64.52, None)]  # the genre's rate: its base is not said
