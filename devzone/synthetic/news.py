"""Synthetic news pages in the shapes real published pages give the genre, with their true facts.

The real-text development set (samples/real/) showed how the genre reads outside the cities'
bulletins: short news items with a headline, a dateline or a metadata line, web furniture, the
subject stated once (by the headline, by the place that holds the campaign round, by the page's
source), figures attached to a counted set of projects, and numbers that are not facts around
them (a single named project's investment, breakdowns by sector or size, the province's economy,
where a figure started, last year's figures). Reprints come in traditional characters, some with
pinyin glosses. This module writes new pages of our own in those shapes, so that CI guards every
shape without third-party text (tests/test_news_pages.py).

    pages = generate_pages(200, seed=9)  # [(file name, text, facts)], deterministic
"""

from __future__ import annotations

import functools
import random
import re

import opencc

from .reports import _rows, cn, fmt, load_cities

SHAPES = ("city_round", "zone_round", "county_round", "province_round", "province_review", "zone_statistics")
GLOSSES = {"發": "fā", "區": "qū", "項": "xiàng", "產": "chǎn", "進": "jìn", "設": "shè"}
GLOSSED = re.compile("[" + "".join(GLOSSES) + "]")
PROJECT_NAMES = (
    "新型建材产业园",
    "高端装备零部件",
    "光伏组件智能制造",
    "生物基新材料",
    "智能仓储物流园",
    "新能源电池回收利用",
    "精密铸造",
    "功能性食品加工",
    "碳基新材料",
    "现代煤化工配套",
)
FURNITURE_TOP = ("当前位置：首页 > 新闻中心 > 开发区动态", "【字体：大 中 小】", "• 手机下载")
FURNITURE_END = ("分享到：", "责任编辑：{editor}", "相关新闻", "评论", "打印本页 关闭窗口")
EDITORS = ("王丽", "张强", "李娜", "赵敏", "刘洋")


@functools.cache
def _s2t():
    return opencc.OpenCC("s2t")


@functools.cache
def counties_with_namesake_zones() -> tuple[tuple[str, str, str], ...]:
    """(county name, its city, the zone named after it) for counties whose zone carries their name."""
    cities = {r["city_code"]: r["city_name"] for r in _rows("cities.csv")}
    zones: dict[str, list[str]] = {}
    for z in _rows("zones.csv"):
        zones.setdefault(z["county_code"], []).append(z["short_name"])
    out = []
    for c in _rows("counties.csv"):
        named = [z for z in zones.get(c["county_code"], []) if c["short_name"] and z.startswith(c["short_name"])]
        if len(named) == 1 and c["county_name"].endswith("县"):
            out.append((c["county_name"], cities[c["city_code"]], named[0]))
    return tuple(out)


class _Page:
    def __init__(self, rng: random.Random, doc: str):
        self.rng, self.doc = rng, doc
        self.facts: list[dict] = []

    def pipe(self, city, zone, scope, stage, measure, value):
        self.facts.append(
            {
                "doc": self.doc,
                "period": None,
                "type": "pipeline",
                "city": city,
                "zone": zone,
                "scope": scope,
                "stage": stage,
                "measure": measure,
                "value": value,
            }
        )

    def ind(self, city, zone, metric, value, yoy):
        self.facts.append(
            {
                "doc": self.doc,
                "period": None,
                "type": "indicator",
                "city": city,
                "zone": zone,
                "metric": metric,
                "value": value,
                "unit": "亿元",
                "yoy_pct": yoy,
                "basis": "actual",
            }
        )

    def money(self, lo: float, hi: float) -> float:
        return round(self.rng.uniform(lo, hi), 2)

    def stages(self, city, zone, scope, style: str) -> str:
        """The three stages with their counts and investments, in one of the genre's wordings."""
        rng = self.rng
        parts = []
        labels = {
            "quoted": (
                "“签约一批”项目{n}个，总投资{v}亿元",
                "“开工一批”项目{n}个，计划总投资{v}亿元",
                "“投产一批”项目{n}个，总投资{v}亿元",
            ),
            "new": (
                "新签约项目{n}个，总投资{v}亿元",
                "新开工项目{n}个，总投资{v}亿元",
                "新投产项目{n}个，总投资{v}亿元",
            ),
            "massed": (
                "集中签约项目{n}个，签约投资额{v}亿元",
                "集中开工项目{n}个，投资{v}亿元",
                "竣工投产项目{n}个，投资{v}亿元",
            ),
            "after": (
                "总投资{v}亿元的{n}个签约项目前期手续加快办理",
                "总投资{v}亿元的{n}个开工项目全面铺开",
                "总投资{v}亿元的{n}个投产项目均已复工",
            ),
        }[style]
        total_n, total_v = 0, 0.0
        for stage, label in zip(("signed", "started", "in_production"), labels, strict=True):
            n, v = rng.randint(3, 60), self.money(5, 120)
            total_n, total_v = total_n + n, total_v + v
            self.pipe(city, zone, scope, stage, "projects", n)
            self.pipe(city, zone, scope, stage, "investment", v)
            parts.append(label.format(n=n, v=fmt(v)))
        return "；".join(parts) + "。"

    def single_project(self) -> str:
        rng = self.rng
        return (
            f"此次{rng.choice(['签约', '开工'])}的{rng.choice(PROJECT_NAMES)}项目总投资{fmt(self.money(1, 40))}亿元，"
            f"建成后可实现年产值{fmt(self.money(2, 60))}亿元。"
        )

    def breakdown(self) -> str:
        rng = self.rng
        return (
            f"从项目规模看，10亿元以上项目{rng.randint(2, 12)}个；从产业分布看，先进制造业项目{rng.randint(3, 20)}个，"
            f"现代服务业项目{rng.randint(1, 9)}个。"
        )

    def dress(self, title: str, body: list[str], source: str | None) -> str:
        rng = self.rng
        lines = [rng.choice(FURNITURE_TOP), title]
        meta = f"发布时间：2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:3{rng.randint(0, 9)}"
        lines.append(meta + (f"  来源：{source}" if source else "") + f"  编辑：{rng.choice(EDITORS)}")
        lines += body
        lines += [f.format(editor=rng.choice(EDITORS)) for f in rng.sample(FURNITURE_END, 3)]
        return "\n".join(lines)


def _city_round(p: _Page, cities) -> str:
    rng = p.rng
    city = rng.choice(cities)
    zone = rng.choice(city.zones)
    n = rng.randint(2, 9)
    total = rng.randint(30, 150)
    total_v, output = p.money(60, 400), p.money(30, 300)
    p.pipe(city.name, None, "event", "all", "projects", total)
    p.pipe(city.name, None, "event", "all", "investment", total_v)
    p.pipe(city.name, None, "event", "all", "expected_annual_output", output)
    body = [
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{city.name}开发区第{cn(n)}次“三个一批”活动在{zone.short}举行。"
        f"本次活动共推进项目{total}个，总投资{fmt(total_v)}亿元，预计年产值{fmt(output)}亿元。",
        "其中，" + p.stages(city.name, None, "event", rng.choice(["quoted", "new", "massed"])),
        p.single_project() + p.breakdown(),
    ]
    return p.dress(f"{city.name}开发区第{cn(n)}次“三个一批”活动举行", body, f"{city.short}日报")


def _zone_round(p: _Page, cities) -> str:
    rng = p.rng
    city = rng.choice(cities)
    zone = rng.choice(city.zones)
    body = [p.stages(city.name, zone.short, "event", "after")]
    total = sum(f["value"] for f in p.facts if f["measure"] == "projects")
    p.pipe(city.name, zone.name, "event", "all", "projects", total)  # as this sentence names the zone
    body[0] += f"连日来，{zone.name}{total}个“三个一批”项目有序推进。"
    body.append(p.single_project())
    return p.dress(f"{zone.short}{total}个“三个一批”项目加速推进", body, None)


def _county_round(p: _Page, cities) -> str:
    rng = p.rng
    county, city, _ = rng.choice(counties_with_namesake_zones())
    year = rng.randint(2021, 2025)
    body = [
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{county}{year}年度第{cn(rng.randint(1, 4))}期“三个一批”活动在县经开区举行。",
        f"县委负责同志宣布项目开工，与会人员观摩了{rng.choice(PROJECT_NAMES)}项目现场。",
        "当日活动涉及" + p.stages(city, county, "event", "massed"),
    ]
    return p.dress(f"{county}举行“三个一批”活动", body, None)


def _province_round(p: _Page, cities) -> str:
    rng = p.rng
    city = rng.choice(cities)
    year, n = rng.randint(2021, 2025), rng.randint(1, 4)
    signed = rng.randint(150, 420)
    p.pipe(None, None, "event", "signed", "projects", signed)
    a, v = rng.randint(5, 40), p.money(8, 90)
    p.pipe(city.name, None, "event", "signed", "projects", a)
    p.pipe(city.name, None, "event", "signed", "investment", v)
    body = [
        f"全省开发区{year}年第{cn(n)}次“三个一批”活动在各市同步举行。本次活动全省共签约项目{signed}个。",
        f"我市在本次活动中签约项目{a}个，总投资{fmt(v)}亿元。" + p.breakdown(),
    ]
    return p.dress("全省开发区“三个一批”活动同步举行", body, f"{city.short}日报")


def _province_review(p: _Page, cities) -> str:
    rng = p.rng
    rounds = rng.randint(4, 9)
    body = [
        f"近年来，全省开发区主引擎作用持续增强，全省固定资产投资同比增长{rng.randint(20, 95) / 10}%。"
        f"在已组织开展的{rounds}次“三个一批”活动中，" + p.stages(None, None, "cumulative", "new").replace("新", "")
    ]
    return p.dress("全省开发区建设取得新成效", body, None)


def _zone_statistics(p: _Page, cities) -> str:
    rng = p.rng
    city = rng.choice(cities)
    zone = rng.choice(city.zones)
    start, end = p.money(50, 200), p.money(210, 480)
    value, growth = p.money(5, 60), round(rng.uniform(-12, 35), 1)
    year = rng.randint(2022, 2025)
    p.ind(city.name, zone.name, "industrial_value_added", end, None)
    p.ind(city.name, zone.name, "industrial_investment", value, growth)
    word = f"同比增长{fmt(growth, 1)}%" if growth >= 0 else f"同比下降{fmt(-growth, 1)}%"
    body = [
        f"{year - 1}年前三季度，{zone.name}工业投资完成{fmt(p.money(3, 40))}亿元，同比增长{rng.randint(2, 30)}%。",
        f"{year}年1-{rng.randint(3, 11)}月，{zone.name}工业投资完成{fmt(value)}亿元，{word}。"
        f"{zone.name}规上工业增加值从{fmt(start)}亿元增至{fmt(end)}亿元，年均增长{rng.randint(50, 199) / 10}%，"
        f"亩均税收{rng.randint(10, 60)}.{rng.randint(1, 9)}万元/亩。",
    ]
    return p.dress(f"{zone.short}高质量发展势头强劲", body, None)


BUILDERS = {
    "city_round": _city_round,
    "zone_round": _zone_round,
    "county_round": _county_round,
    "province_round": _province_round,
    "province_review": _province_review,
    "zone_statistics": _zone_statistics,
}


def reprint(text: str, rng: random.Random) -> str:
    """The page as a mirror site serves it: traditional characters, sometimes with pinyin glosses
    and doubled punctuation."""
    text = _s2t().convert(text)
    if rng.random() < 0.5:
        text = GLOSSED.sub(lambda m: f"{m.group(0)}({GLOSSES[m.group(0)]})", text)
        text = text.replace("，", ",,").replace("。", ",。")
    return text


def generate_pages(n: int, seed: int) -> list[tuple[str, str, list[dict]]]:
    rng = random.Random(seed)
    cities = [c for c in load_cities() if c.zones]
    pages = []
    for i in range(n):
        shape = SHAPES[i % len(SHAPES)]
        doc = f"news_{seed}_{i:04d}_{shape}.txt"
        page = _Page(rng, doc)
        text = BUILDERS[shape](page, cities)
        if rng.random() < 0.3:
            text = reprint(text, rng)
        pages.append((doc, text, page.facts))
    return pages
