"""The genre's words: units, growth and target phrases, subjects, the "三个一批" campaign's
stages, steps, rates and scopes, and the shapes of numbers that are not facts. One place for the
vocabulary that `extracting.py` reads the reports with; each pattern says what it is for.
"""

from __future__ import annotations

import re

from .reference import QUOTES, alternation

# -- numbers and units ---------------------------------------------------------------------
UNIT_SCALE = {
    "万亿元": ("亿元", 1e4),
    "亿元": ("亿元", 1.0),
    "亿": ("亿元", 1.0),
    "万元": ("亿元", 1e-4),
    "元": ("亿元", 1e-8),
    "亿美元": ("亿美元", 1.0),
    "万美元": ("亿美元", 1e-4),
    "万人次": ("万人次", 1.0),
    "人次": ("万人次", 1e-4),
    "万平方米": ("万平方米", 1.0),
    "平方米": ("万平方米", 1e-4),
    "亩": ("亩", 1.0),
    "个": ("个", 1.0),
    "家": ("家", 1.0),
    "项": ("项", 1.0),
    "宗": ("宗", 1.0),
    "件": ("件", 1.0),
    "%": ("%", 1.0),
}
UNIT_KIND = {
    "亿元": "money",
    "亿美元": "usd",
    "万人次": "visits",
    "万平方米": "floor",
    "亩": "land",
    "个": "count",
    "家": "count",
    "项": "count",
    "宗": "count",
    "件": "count",
    "%": "percent",
}
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>-?\d+(?:\.\d+)?)\s*"
    r"(?P<unit>个百分点|百分点|万亿元|亿元|万元|亿美元|万美元|万人次|人次|万平方米|平方米|亿(?![美人])|元|亩|个|家|项|宗|件|%)"
)

# -- words of the genre --------------------------------------------------------------------
GROWTH_BEFORE = re.compile(
    r"(?<!年均)(?<!平均)(?:(?P<yoy>(?:同比|比上年|比去年|较上年|较去年)(?:同期)?)(?P<word>增速|增幅|增长率|增长|增|提高|上升|下降|降幅|减少|下滑|回落|降|减)?"
    r"|(?P<word_only>增速|增幅|增长率|增长|增|提高|上升|下降|降幅|减少|下滑|回落|降|减))"
    r"(?:为|了|达|达到|不低于|不少于|不高于|超过|保持在|保持|在)?$"
)
NOT_A_SUBJECT_BEFORE = re.compile(
    r"(?:在|于|与|参与|参加|高于|低于|快于|慢于|超过|超出|领先|落后|较|比|占|居|位列|排名)$"
)
# A county named as an authority (和顺县委, 太谷区人民政府) is not the subject of the figures.
COUNTY_AS_AUTHORITY = re.compile(r"委|政府|人大|政协|领导|县长|区长|市长|书记|党|纪委|法院|检察")
# A text about the "三个一批" campaign names it (or its batches); project counts and investments in
# other texts (a city's 招商引资 signings, a county's key projects) are not campaign figures.
CAMPAIGN_TEXT = re.compile(
    r"三个一批|签约一批|开工一批|投产一批|签约(?:项目)?开工率|开工项目投产率|投产项目达产率|达产率"
)
NEGATIVE_GROWTH = {"下降", "降幅", "减少", "下滑", "回落", "降", "减"}
GROWTH_ANYWHERE = re.compile(r"同比|增速|增幅|增长|下降|降幅|减少")
DELTA_BEFORE = re.compile(r"(?:增加|减少|增长|下降|增收|减收|多|少)了?$")
PRIOR_YEAR = re.compile(r"(?:去年|上年)(?:同期)?(?:为|是|完成|实现|达到)?$|同期为$|由$|从$")
# "总投资35亿元的XX项目": the number describes a named thing; it is not a stated figure.
ATTRIBUTIVE = re.compile(r"的(?!目标|任务)")
SHARE_BEFORE = re.compile(r"(?:占|比重|占比|比例)[^，；。]{0,12}$")
TARGET = re.compile(r"力争|目标任务|目标值|目标为|目标是|预期目标|年度目标|全年目标|任务目标|确保")
VERB_ONLY = re.compile(
    r"^(?:共|累计|分别|已|全年|上半年)?(?:完成|实现|达到|达|为|是|计|有|共|增至|增加到|增长到|提高到|提高至|提升到|提升至|"
    r"上升到|上升至|扩大到|扩大至|跃升至|跃升到)?(?:了|的)?$"
)
TIME_WORDS = re.compile(
    r"\d{4}年(?:度)?|\d{1,2}-\d{1,2}月(?:份)?|\d{1,2}月(?:份|底|末)?|\d{1,2}日|上半年|下半年|前三季度|一季度|今年以来|年内|"
    r"全年|今年|本年(?:度)?|当年|年初|年底|年中|目前|当前|截至目前|截止目前"
)

# Subjects. 我市/本市 is the city the text is about; 全省/我省/山西省 the province, unless a ranking
# or a comparison follows (全省第一, 全省平均) or precedes (居全省, 高于全省: NOT_A_SUBJECT_BEFORE).
ZONE_WORD = re.compile(r"开发区|园区|经开区|高新区|示范区")
AREA_ZONES = r"(?:各类|各|所有)?(?:工业类|经济类|国家级|省级以上|省级)?(?:经济技术开发区|经济开发区|开发区|园区)"
CITYWIDE = rf"(?:全市|我市|本市)(?:{AREA_ZONES})?|各(?:开发区|园区)"
# Another province's own totals (河南省共签约项目560个) are that province's: no city either.
PROVINCES = (
    "北京市|天津市|河北省|山西省|内蒙古自治区|辽宁省|吉林省|黑龙江省|上海市|江苏省|浙江省|安徽省|福建省|江西省|山东省|"
    "河南省|湖北省|湖南省|广东省|广西壮族自治区|海南省|重庆市|四川省|贵州省|云南省|西藏自治区|陕西省|甘肃省|青海省|"
    "宁夏回族自治区|新疆维吾尔自治区"
)
PROVINCE = (
    rf"(?:山西)?(?:全省|我省|本省)(?:{AREA_ZONES})?(?!第|前|首|平均|的|增速|比重|总量|同期|排名|范围)"
    rf"|山西省(?:{AREA_ZONES})?(?!第|前|首|平均)"
)
OTHER_PROVINCE = re.compile(rf"(?P<province>(?:{alternation(PROVINCES.split('|'))})(?:{AREA_ZONES})?(?!第|前|首|平均))")

# Campaign ("三个一批") words; rates and steps before stages so that 开工项目投产率 is one rate.
RATES = {
    "signed": "签约项目开工率|签约开工率|开工率",
    "started": "开工项目投产率|投产率",
    "in_production": "投产项目达产率|达产率",
}
STEPS = {  # projects of a stage that moved on to the next step
    "signed": "签约已开工项目|签约已开工|已开工项目|已开工",
    "started": "开工已投产项目|开工已投产|已投产项目|已投产",
    "in_production": "达产产业项目|投产已达产|达产项目|已达产(?!后)|达产(?!后)",
}
# A list of two or more stages: before 项目 it is a total over the stages (集中签约、开工、投产的项目
# 42个); elsewhere it is the campaign's name (签约一批、开工一批、投产一批“三个一批”活动).
STAGE_VERB = r"(?:新|集中|全面|竣工)?(?:签约|开工|投产)(?:一批)?"
STAGE_LIST = rf"{STAGE_VERB}(?:[、和及与]?{STAGE_VERB})+"
CAMPAIGN = r"三个一批|" + STAGE_LIST
STAGES = {
    "all": rf"{STAGE_LIST}(?:的)?(?:重点)?(?=项目)",
    "signed": "签约一批|签约(?:重大|重点)?项目|集中签约|新签约项目|新签约|签约(?=\\s*(?:项目)?\\s*-?\\d)",
    "started": "开工一批|开工(?:重大|重点)?项目|集中开工|新开工项目|新开工|开工(?=\\s*(?:项目)?\\s*-?\\d)",
    "in_production": "投产一批|投产(?:重大|重点)?项目|集中投产|新投产项目|新投产|投产(?=\\s*(?:项目)?\\s*-?\\d)",
}
INDUSTRIAL = r"产业项目(?!投资)"
# Running totals; several rounds taken together (在开展的7次“三个一批”活动中, 前六期) are one too.
ROUNDS = r"[\d一二三四五六七八九十两]+(?:次|期|轮)"
MONTH_RANGE = re.compile(r"-\d{1,2}月")
CAMPAIGN_NAME_IN = re.compile("三个一批")
# (Matched from the character after the number: a scan trying every digit would cost more than
# the rest of the reading.)
SCOPE_CUMULATIVE = (
    r"以来|截至|截止|累计|全年共|今年共|(?<=\d)-\d{1,2}月"
    r"|(?<=[\d一二三四五六七八九十两])(?<!第\d)(?<!第\d\d)(?<!第[一二三四五六七八九十])(?:次|期|轮)"
    rf"(?:三个一批)?(?:项目建设)?活动(?:中|以来)|前{ROUNDS}"
)
SCOPE_EVENT = r"第[\d一二三四五六七八九十]+(?:次|批|轮|期)|本次|此次|本轮|本批|本期"
MONEY_VERB = r"(?:为|达|达到|约|共|合计|计|逾|超|超过|近)?$"
MONEY_OUTPUT = re.compile(r"(?:预计|可实现|达产后)?(?:年产值|年销售收入)" + MONEY_VERB)
MONEY_COMPLETED = re.compile(r"(?:累计|已)?完成(?:投资)?" + MONEY_VERB)
MONEY_INVESTMENT = re.compile(
    r"(?:(?:计划)?总投资(?:额)?|(?:签约|协议|计划)?投资(?:额)?|签约(?:金)?额|金额)" + MONEY_VERB
)
# A campaign count counts projects: "项目N个", "N个项目", "N个签约项目", "签约项目N项". The words before
# 项目 may only be the campaign's own (共推进项目, “签约一批”项目, 已开工项目): "先进制造业项目327个",
# "10亿元以上项目196个" and "签约外资项目28个" are breakdowns of a stage, not its figures.
CAMPAIGN_QUALIFIER = re.compile(
    r"^(?:共|共计|总共|累计|合计|总计|其中|本次|此次|本期|当日|在|活动|涉及|包括|推进|实施|开展|举行|组织|推动|完成|"
    r"新|新建|续建|集中|全面|竣工|建成|已|签约|开工|投产|一批|三个一批|产业|重点|项目|中|的|有|计|达|为|"
    r"[\d一二三四五六七八九十两]+(?:次|期|轮|批))*$"
)
# A clause that ends in a campaign word before its count (已开工项目108个, 签约一批项目15个, 产业项目48个).
CAMPAIGN_WORD_END = re.compile(r"(?:项目|一批|签约|开工|投产|达产|已开工|已投产)(?:共|有|达|计|为|数)?$")
# The stage can follow the count: "10个签约项目", "46个三个一批项目", "132个项目签约落地",
# "20个重点项目集中签约、开工、投产".
POST_STAGE = re.compile(  # matched right after "N个"
    r"(?:重点)?(?:(?P<before>三个一批|(?:新|集中)?(?:签约|开工|投产))项目"
    r"|项目(?:集中)?(?P<after>(?:签约|开工|投产)(?:[、和及与]?(?:签约|开工|投产))*))"
)
STAGE_OF_VERB = {"签约": "signed", "开工": "started", "投产": "in_production", "三个一批": "all"}
# A year that dates what follows; not a running total's start (2022年以来) nor a comparison's base.
DATED_YEAR = re.compile(
    r"(?<![较比与同到至])(20\d{2})年(?!(?:\d{1,2}月(?:份)?)?(?:\d{1,2}日)?(?:以来|起|至今|来|同期|相比|底前|末前))"
)
# The years a document names, for the year it reports on; not those it aims at (到2025年, 力争…).
SENTENCE_OF_FIGURES = re.compile(r"[^。！？]+")
ROUND_YEAR = re.compile(rf"(20\d{{2}})年(?:度)?(?:第|前)?{ROUNDS}")
THIS_YEAR = re.compile(r"今年|本年")
PAGE_HEAD = 8  # paragraphs at the top of a page where its date stands
PAGE_DATE = re.compile(r"(20\d{2})(?:年|-|/|\.)\d{1,2}(?:月|-|/|\.)\d{1,2}")
# "工业投资绝对量前三位的开发区分别是…", "增速前三位的开发区分别是…": a ranking lists zones with
# their values, or with their growths.
RANKING = (
    r"(?P<ranked_by>绝对量|总量|规模|增速|增幅|增长率)(?:排名|居)?前[一二三四五六七八九十\d]+(?:位|名)"
    r"的(?:开发区|园区)(?:分别)?(?:是|为|有)"
)
GROWTH_RANKS = ("增速", "增幅", "增长率")
# "总投资42.8亿元的19个开工项目": an amount that describes a counted set of projects is its investment.
AGGREGATE_AFTER = re.compile(r"的\d+个")
# "10亿元以上项目196个", "税收500万元以上企业": a size class, not a figure.
# "超1000亿元园区达到9家", "突破6000亿元大关": an amount that classes or marks something.
CLASSIFIER_AFTER = re.compile(r"园区|开发区|经开区|高新区|企业|大关")
# "亩均税收30.5万元/亩": a ratio, not an amount.
RATIO_AFTER = re.compile(r"/|每")
THRESHOLD = re.compile(r"(?:及)?以[上下](?=[\u4e00-\u9fff])")
RESIDUE_NOISE = re.compile(r"[\s，,；;。！？：:、()（）“”\"'‘’「」『』-]|该区|全区|高新区|经开区|开发区|园区|示范区")
# Money words that say a number is not an indicator when no indicator is named.
OTHER_MONEY = re.compile(r"总投资|投资额|资金|贷款|融资|基金|奖补|补贴|补助|销售额|产值|收入|利润|税")

TRAILING_ZONE = re.compile(r"[(（]([^()（）]{2,20})[)）]")
TARGET_CLAUSE_END = re.compile(r"[，,；;。！？]")
SUBJECT_WORDS = re.compile(CITYWIDE + "|" + PROVINCE + "|其中|[，,；;：:、()（）\\s]")
GROWTH_HEADER = re.compile(r"增速|增幅|增长|同比")
NUMERIC_CELL = re.compile(r"(-?\d+(?:\.\d+)?)%?|[-—/]+")
# A spreadsheet's cell that states no figure (a blank cell is missing too).
MISSING_CELL = re.compile(r"[-—－–/／…]+|无|空")
# A spreadsheet column under an indicator that is not its figure: the prior year's, a change in
# points, a share, a rate of completion, a rank.
NOT_A_VALUE_HEADER = re.compile(r"上年|去年|同期(?!增)|百分点|比重|占比|完成率|进度|排名|排序|位次")
# Of an indicator's several value columns (本月 and 1-N月累计), the running total is the report's.
CUMULATIVE_HEADER = re.compile(r"累计|\d{1,2}-\d{1,2}月|1至\d{1,2}月")
BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]")
ANY_DIGIT = re.compile(r"\d")
QUOTE_CHAR = re.compile(f"[{QUOTES}]")
CLAUSE_BREAK = re.compile(r"[，,；;。！？：、]")
SENTENCE_BREAK = re.compile(r"[；;。！？]")
FULL_STOP = re.compile("。")


QUOTES_GONE = {ord(q): None for q in QUOTES}


def strip_quotes(text: str) -> str:
    return text.translate(QUOTES_GONE)
