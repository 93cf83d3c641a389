"""Normalising OCR'd bulletins: the layout rules of the genre, each on a small page."""

import random

from devzone.extraction.normalising import OpenParagraph, drop_repeated_paragraphs, ends_open, normalise
from devzone.extraction.reference import load_reference

HEADING = load_reference().city_heading_re


def norm(text: str) -> list[str]:
    return normalise(text, HEADING).split("\n")


def test_full_width_digits_and_punctuation():
    assert norm("工业投资完成１２．５亿元（增速－３．２％）,同比增长;完成1,234.5万元")[0] == (
        "工业投资完成12.5亿元(增速-3.2%)，同比增长；完成1234.5万元"
    )


def test_running_title_and_captions_dropped_headings_kept():
    page = "\n".join(
        [
            "全省开发区",
            "“开发区高质量发展”专刊",
            "晋中市开发区",
            "一、主要指标完成情况",
            "规上工业增加值完成10亿元。",
            "▲介休经开区项目集中开工现场",
            "",
            "全省开发区",
            "“开发区高质量发展”专刊",
            "吕梁市开发区",
            "工业投资完成5亿元。",
            "- 2 -",
        ]
    )
    assert norm(page) == [
        "晋中市开发区",
        "一、主要指标完成情况",
        "规上工业增加值完成10亿元。",
        "吕梁市开发区",
        "工业投资完成5亿元。",
    ]


def test_sentence_split_by_page_break_and_running_title_is_joined_heading_moves_below():
    page = "\n".join(
        [
            "全省开发区",
            "“开发区高质量发展”专刊",
            "晋中市开发区",
            "1-6月，全市开发区规上工业增加值完成35.17亿元，工业投资完成21.6",
            "",
            "全省开发区",
            "“开发区高质量发展”专刊",
            "吕梁市开发区",
            "亿元，同比增长12.3%。",
            "全市开发区备案项目数量42个。",
        ]
    )
    assert norm(page) == [
        "晋中市开发区",
        "1-6月，全市开发区规上工业增加值完成35.17亿元，工业投资完成21.6亿元，同比增长12.3%。",
        "吕梁市开发区",
        "全市开发区备案项目数量42个。",
    ]


def test_repeated_paragraph_kept_once():
    para = "二是强化要素保障，推动项目落地，全年新增建设用地1200亩，保障重点项目用地需求。"
    assert norm("\n".join([para, "", "三是优化服务。", "", para])) == [para, "三是优化服务。"]


def test_fragment_repeated_inside_a_longer_paragraph_is_dropped():
    long = "一是抓招商。二是强化要素保障，推动项目落地，保障重点项目用地需求。三是优化营商环境。"
    fragment = "二是强化要素保障，推动项目落地，保障重点项目用地需求。"
    assert norm(long + "\n\n" + fragment) == [long]


def test_headings_and_tables_are_not_joined():
    text = "\n".join(
        ["(一)项目建设", "开发区名称\t规上工业增加值(亿元)\t增速(%)", "介休经开区\t28.9\t5.2", "平遥经开区\t12.1\t-3.4"]
    )
    assert norm(text) == text.split("\n")


def test_source_lines_are_kept_even_when_repeated():
    text = "\n".join(["工作稳步推进。", "(供稿：晋中市商务局)", "其他工作。", "(供稿：晋中市商务局)"])
    assert norm(text).count("(供稿：晋中市商务局)") == 2


# -- text reprinted on the web (issue 9): our own sentences in the shapes real pages show ------------


def test_traditional_characters_become_simplified_with_offsets_kept():
    assert norm("1-6月，全市開發區工業投資完成9.6億元，同比增長3.5%。") == [
        "1-6月，全市开发区工业投资完成9.6亿元，同比增长3.5%。"
    ]


def test_pinyin_glosses_after_characters_are_removed_other_brackets_stay():
    assert norm("全市開發(fā)區(qū)簽約項(xiàng)目12個(占全市的30%)，地區(qū)生產(chǎn)總值(GDP)增長5%。") == [
        "全市开发区签约项目12个(占全市的30%)，地区生产总值(GDP)增长5%。"
    ]


def test_simplified_text_is_not_rewritten_by_the_converter():
    # 乾 and 於-like characters are valid simplified text: only text with traditional-only
    # characters is converted.
    line = "乾坤湾景区接待游客12万人次，后续项目于年底开工。"
    assert norm(line) == [line]


def test_doubled_and_stray_punctuation_collapses_to_the_strongest_mark():
    assert norm("截至目前,,全市开发区签约项目42个,、开工项目30个,。其中,,产业项目18个;,总投资9.5亿元") == [
        "截至目前，全市开发区签约项目42个、开工项目30个。其中，产业项目18个；总投资9.5亿元"
    ]


def test_web_page_furniture_is_dropped_and_the_source_kept():
    page = "\n".join(
        [
            "当前位置：首页 > 要闻动态 > 开发区",
            "发布时间：2024-05-06 09:30  来源：长治日报  编辑：王明  浏览次数：328",
            "【字体：大 中 小】",
            "全市开发区一季度签约项目16个，总投资21.5亿元。",
            "集中签约现场。 李华 摄",
            "图为项目开工仪式",
            "分享到：",
            "责任编辑：赵亮",
            "相关新闻",
            "评论",
            "本篇文章386字,读完约1分钟",
            "标题:全市开发区一季度签约项目16个",
            "地址:http://example.cn/news/1.html",
        ]
    )
    assert norm(page) == ["来源：长治日报（2024-05-06）", "全市开发区一季度签约项目16个，总投资21.5亿元。"]


def test_mojibake_fragments_go_and_the_digits_stay():
    assert norm("全市开发区税收收入完成12.6亿元，同比增长3.2%；顒。工业投资完成20.4亿元�，增长5%。") == [
        "全市开发区税收收入完成12.6亿元，同比增长3.2%。工业投资完成20.4亿元，增长5%。"
    ]


# Stock phrases, as a bulletin's cities and months share them: every short piece of a line made of
# them stands in many earlier lines.
STOCK = [
    "全市开发区坚持项目为王，",
    "持续优化营商环境，",
    "推动主要指标稳步回升。",
    "园区配套设施不断完善，",
    "企业服务水平进一步提升。",
    "规上工业增加值完成",
    "同比增长",
    "亿元，",
    "%。",
    "各开发区压实责任；",
]


def test_a_line_inside_an_earlier_line_is_dropped_exactly_as_a_search_of_the_text_before_it_finds():
    rng = random.Random(10)
    lines: list[str] = []
    for i in range(1500):
        source = rng.choice(lines) if lines and rng.random() < 0.3 else ""
        if len(source) >= 20:  # a piece of an earlier line, cut anywhere
            start = rng.randrange(len(source) - 19)
            lines.append(source[start : rng.randint(start + 20, len(source))])
        else:
            lines.append(
                "".join(rng.choice(STOCK) for _ in range(rng.randint(1, 9))) + (str(i) if rng.random() < 0.7 else "")
            )
    kept, expected = "", []
    for line in lines:
        repeated = len(line) >= 20 and line in kept
        expected.append("" if repeated else line)
        kept += "" if repeated else line + "\n"
    assert drop_repeated_paragraphs(lines) == expected
    assert 100 < expected.count("") < 1000


def test_a_paragraph_joined_line_by_line_ends_open_exactly_when_its_whole_text_does():
    rng = random.Random(11)
    pieces = [
        "开发区",
        "规上工业增加值完成",
        "项目",
        " ",
        "  ",
        "\t",
        "，",
        "。",
        "；",
        "12",
        "3.5",
        "亿元",
        "(一)",
        "一、",
        "【",
        "】",
        ".",
    ]
    for _ in range(3000):
        paragraph = OpenParagraph(["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20)))])
        for _ in range(rng.randint(1, 8)):
            still_open = paragraph.join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))))
            assert still_open == ends_open("".join(paragraph.parts))
