"""Normalise a report's raw text into clean paragraphs, one per line.

Input: the text a reader produced. Output: text in which
- full-width digits, letters and punctuation are half-width where numbers need it (１２．５％ →
  12.5%), Chinese sentence punctuation is uniform (half-width , ; : between words → ，；：);
- page furniture is gone: running titles repeated at page breaks, page numbers, image captions (▲…);
- a paragraph split by a page break (and the running title printed there) is joined again,
  including a number split from its unit;
- a paragraph that the page layout printed twice is kept once;
- text reprinted on the web reads like the original: traditional characters and pinyin glosses
  become plain simplified text (`simplifying.py`), doubled or stray punctuation (`,,` `,、` `。,`)
  is one mark, and the page's furniture goes (breadcrumbs, 发布时间/编辑 lines, share and comment
  buttons, photo credits, 标题/地址 footers); a metadata line keeps only its 来源.
City headings and "(供稿：…)" / "来源：…" lines are kept: segmentation needs them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from .simplifying import to_simplified

# Full-width ASCII variants (U+FF01..U+FF5E) map to ASCII by a fixed offset; the Chinese
# sentence marks among them stay Chinese.
KEEP_FULL_WIDTH = set("，；：！？")
CHAR_MAP: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in KEEP_FULL_WIDTH}
CHAR_MAP.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad")))  # zero-width marks
CHAR_MAP.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2212: ord("-"),  # minus sign
        0x2014: 0x2014,
        0x301D: ord("“"),
        0x301E: ord("”"),
        0x301F: ord("”"),
        0x2018: 0x2018,
        0x2019: 0x2019,
        0xFE50: ord("，"),
        0xFE51: ord("、"),
        0xFE54: ord("；"),
        0xFE55: ord("："),
    }
)

NEEDS_MAPPING = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(CHAR_MAP) if CHAR_MAP[cp] != cp) + "]")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
ASCII_COMMA = re.compile(r",\s*")
ASCII_SEMICOLON = re.compile(r";\s*")
ASCII_COLON = re.compile(r"(?<!\d):\s*|:\s*(?!\d)")
# A dash before a number written as an em dash or a full-width hyphen by OCR.
DASH_MINUS = re.compile(r"[—–](?=\d)")
# Spaces inside prose (OCR, and web pages that space out numbers: "签约项目 19 项，总投资 264.5 亿元");
# a space between two digits stays (it may separate two numbers).
INNER_SPACES = re.compile(
    r"(?<=[\u4e00-\u9fff，。；：、）)“”]) +(?=[\u4e00-\u9fff，。；：、（(“”\d])"
    r"|(?<=[\d%]) +(?=[\u4e00-\u9fff，。；：、（(“”])"
)
DECIMAL_GAP = re.compile(r"(?<=\d)\s*\.\s*(?=\d)")
# "4761.亿元": a decimal point left without its decimals before the unit.
BARE_POINT = re.compile(r"(?<=\d)\.(?=[亿万])")

CAPTION_MARKS = "▲△■□◆●◎☆★"  # a line opening with one is an image's caption
PAGE_NUMBER = re.compile(r"^(?:[-—\s]*\d{1,3}[-—\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
SOURCE_LINE = re.compile(r"^[(（]?\s*(?:供稿|来源|供稿单位|报送单位)\s*[：:]")
# A line ending in "；" stops inside a list of clauses, whose later items may leave the indicator
# unsaid: it is joined with the next line like any line broken mid-sentence.
SENTENCE_END = tuple("。！？：”’」』)")
HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十]+[章节部分]|【.*】$)"
)
TABLE_CELL_GAP = re.compile(r"\t| {2,}")
STOPS = re.compile(r"[。；！？]")
FULL_STOPS = re.compile(r"[。；]")
CLAUSE_MARKS = re.compile(r"[，。；！？]")
CLAUSE_MARKS_OR_DIGITS = re.compile(r"[，。；！？\d]")
# Runs of sentence marks left by reprints (8月27日,,省政府 / 2月28日,、6月6日 / 12%),,计划).
PUNCT_RUN = re.compile(r"[，、；：。！？]{2,}")
PUNCT_STRENGTH = {"，": 1, "、": 2, "：": 3, "；": 4, "。": 5, "！": 5, "？": 5}

# Web pages: furniture around the article. A metadata line holds two or more "field：value" pairs
# (发布时间：… 来源：… 编辑：…) or one field that is never a report's source line.
META_FIELD = re.compile(
    r"(?:(?:发布|发表|更新|上传)?(?:时间|日期)|文章来源|信息来源|来源|作者|编辑|责任编辑|责编|审核|审校|校对|"
    r"浏览(?:次数|量)?|点击(?:数|量|次数)?|阅读(?:数|量)?|访问量|字号|字体|所属地区|所属栏目|栏目)：\s*"
)
META_DATE = re.compile(r"20\d{2}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)")
META_SOURCE = re.compile(
    r"(?:文章|信息)?来源：\s*([^\s：]{2,30}?)(?=\s|$|(?:发布|发表|更新|作者|编辑|责任编辑|时间|日期))"
)
# What a page saved from the web shows somewhere; a report's own text has none of it.
WEB_SIGNS = (
    "来源：",
    "来源:",
    "发布",
    "编辑：",
    "编辑:",
    "作者：",
    "首页",
    "位置：",
    "分享",
    "评论",
    "打印",
    "http",
    "标题",
    "字号",
    "字体",
    "摄",
    "阅读",
    "浏览",
    "点击",
    "下载",
    "•",
    "|",
    ">",
    "»",
    "时间：",
    "时间:",
)
# Furniture that a line starts with (buttons, link lists, labels) or consists of.
WEB_FURNITURE = re.compile(
    "^(?:"
    + "|".join(
        [
            r"(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|当前版)：?.*",  # breadcrumbs
            r"[•·]?\s*(?:评论|网友评论|我要评论|发表评论|相关新闻|相关阅读|相关文章|相关链接|延伸阅读|推荐阅读|分享到|分享|"
            r"打印(?:本页)?|关闭(?:窗口|本页)?|返回顶部|返回列表|上一篇|下一篇|上一版|下一版|扫一扫|收藏|点赞|时间|字号|"
            r"翻译|搜索|复制|正文复制|手机下载|微信关注|APP下载|收录于话题|关键字|关键词|[(（]?(?:资料)?图片[)）]?|视频|"
            r"【[^】]{1,8}】)(?:[：\s].{0,30})?",  # share, print and comment buttons, link lists
            r"[(（]?(?:原标题|标题|地址|网址|链接|原文链接|本文链接)：.*",  # a headline repeated, a link
            r"https?://\S+",
            r"本篇文章\d+字.*",
            r"[^\u4e00-\u9fff\d]+",  # symbols only
        ]
    )
    + ")$"
)
# Furniture found inside a line: a path of links, a reading time, a footer. Looked for only in
# lines holding one of its marks.
WEB_PATH_MARKS = (">", "»", "＞", "|", "首页", "分钟")
WEB_PATH = re.compile(
    "^(?:"
    + "|".join(
        [
            r".*首页\s*[>»＞→/].*",
            r".*(?:>>|»|＞＞).*",
            r"[^，。；>]*(?:\s*>\s*[^，。；>]+){2,}",
            r".*(?:读完|阅读)约\d+分钟",
            r"(?=.*(?:关于我们|联系我们|网站地图|版权|声明|广告|招聘|反馈|ICP|About)).*\|.*\|.*",  # footers
        ]
    )
    + ")$"
)
# A photo's caption with its photographer (签约仪式现场。 刘勇 摄 / 图为…), or a credit alone.
PHOTO_CAPTION = re.compile(
    r"^(?:图为.*|.{0,60}[\s。（(]\s*[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*\s*摄(?:影)?[)）]?)$|^(?:记者\s*)?[\u4e00-\u9fff]{2,4}\s*摄$"
)

FURNITURE_MAX_CHARS = 40
PAGE_NUMBER_MAX_CHARS = 16
DUPLICATE_MIN_CHARS = 20
REPEAT_STRIDE = 10  # (stride + key - 1 = DUPLICATE_MIN_CHARS: see EarlierLines)
REPEAT_KEY_CHARS = DUPLICATE_MIN_CHARS - REPEAT_STRIDE + 1
HEADING_MAX_CHARS = 25
TITLE_MAX_CHARS = 64
WEB_LINE_MAX_CHARS = 160


def normalise(raw: str, city_heading: re.Pattern | None = None) -> str:
    """Return the cleaned text; `city_heading` recognises lines that open a city's section."""
    return normalise_with_joins(raw, city_heading)[0]


def normalise_with_joins(raw: str, city_heading: re.Pattern | None = None) -> tuple[str, list[int]]:
    """The cleaned text, and the offsets in it where a line break fell between two digits (the
    joined number, 9 / 8.72亿元 → 98.72亿元, may be two numbers: a person should look)."""
    text = to_simplified(raw)
    lines = [normalise_line(line) for line in text.split("\n")]
    if "\ufffd" in text or not encodes_as_gb2312(text):  # characters outside common simplified text
        lines = [drop_mojibake(line) for line in lines]
    if any(sign in text for sign in WEB_SIGNS):  # a page from the web, not a bulletin's text
        lines = [web_line(line) for line in lines]
    lines = drop_furniture(lines, city_heading)
    lines = drop_repeated_paragraphs(lines)
    joins: list[tuple[int, int]] = []
    paragraphs = join_split_paragraphs(lines, city_heading, joins)
    starts = [0]
    for paragraph in paragraphs:
        starts.append(starts[-1] + len(paragraph) + 1)
    return "\n".join(paragraphs), [starts[i] + at for i, at in joins]


def normalise_line(line: str) -> str:
    if not line:
        return line
    if NEEDS_MAPPING.search(line):
        line = line.translate(CHAR_MAP)
    if "." in line:
        line = DECIMAL_GAP.sub(".", line)
        if ".亿" in line or ".万" in line:
            line = BARE_POINT.sub("", line)
    ascii_marks = "," in line or ";" in line
    if "," in line:
        line = ASCII_COMMA.sub("，", THOUSANDS.sub("", line))
    if ";" in line:
        line = ASCII_SEMICOLON.sub("；", line)
    if ascii_marks:  # reprints double their ASCII marks (,, / ,、 / ,。): the strongest of a run stands
        line = PUNCT_RUN.sub(strongest_mark, line)
    if ":" in line:
        line = ASCII_COLON.sub("：", line)
    if "—" in line or "–" in line:
        line = DASH_MINUS.sub("-", line)
    line = line.strip()
    if " " in line and not looks_tabular(line):
        line = INNER_SPACES.sub("", line)
    return line


def encodes_as_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


@functools.cache
def _mojibake_re() -> re.Pattern:
    """Up to three hanzi outside GB2312 standing alone between marks (；顒。): bytes decoded with the
    wrong codec, not words. (Traditional text is converted before: what is left outside GB2312
    is rare.)"""
    rare = "".join(ch for ch in map(chr, range(0x3400, 0xA000)) if not encodes_as_gb2312(ch))
    return re.compile(f"(?<=[，。；：、！？])[{rare}]{{1,3}}(?=[，。；：、！？]|$)")


def drop_mojibake(line: str) -> str:
    """Mojibake fragments and replacement characters (�) out of a line; its digits stay."""
    if "\ufffd" not in line and encodes_as_gb2312(line):
        return line
    repaired = _mojibake_re().sub("", line.replace("\ufffd", ""))
    return PUNCT_RUN.sub(strongest_mark, repaired) if repaired != line else line


def strongest_mark(run: re.Match) -> str:
    return max(run.group(0), key=PUNCT_STRENGTH.__getitem__)


def web_line(line: str) -> str:
    """A web page's furniture line blanked; a metadata line reduced to its source. Furniture is
    short: a long line is text."""
    if not line or len(line) > WEB_LINE_MAX_CHARS:
        return line
    if line.endswith(("摄", "摄)", "摄）", "摄影")) or line.startswith("图为"):
        return "" if PHOTO_CAPTION.match(line) else line
    if "。" in line:
        return line
    fields = META_FIELD.findall(line) if "：" in line else []
    if fields and (len(fields) > 1 or not line.startswith(("来源", "(来源", "（来源"))) and not SOURCE_LINE.match(line):
        source, date = META_SOURCE.search(line), META_DATE.search(line)
        dated = f"（{date.group(0)}）" if date else ""  # the page's date tells which year 今年 is
        return f"来源：{source.group(1)}{dated}" if source else (f"发布：{date.group(0)}" if date else "")
    if WEB_FURNITURE.match(line) or (any(mark in line for mark in WEB_PATH_MARKS) and WEB_PATH.match(line)):
        return ""
    return line


def looks_tabular(line: str) -> bool:
    """Cells split by tabs or runs of spaces, or by single spaces on a line with no sentence marks
    (a table row as PDF text layers give it); OCR's stray spaces inside prose are removed."""
    return bool(TABLE_CELL_GAP.search(line)) or (line.count(" ") >= 2 and not CLAUSE_MARKS.search(line))


def is_protected(line: str, city_heading: re.Pattern | None) -> bool:
    return bool(SOURCE_LINE.match(line) or (city_heading and city_heading.match(line)))


def drop_furniture(lines: list[str], city_heading: re.Pattern | None) -> list[str]:
    """Blank out captions, page numbers and short lines that repeat (running titles)."""
    counts = Counter(line for line in lines if line)
    out: list[str] = []
    for line in lines:
        if not line:
            out.append(line)
        elif line[0] in CAPTION_MARKS or (len(line) <= PAGE_NUMBER_MAX_CHARS and PAGE_NUMBER.match(line)):
            out.append("")
        elif (
            counts[line] > 1
            and len(line) <= FURNITURE_MAX_CHARS
            and not CLAUSE_MARKS_OR_DIGITS.search(line)
            and not is_protected(line, city_heading)
        ):
            out.append("")
        else:
            out.append(line)
    return out


def drop_repeated_paragraphs(lines: list[str]) -> list[str]:
    """A long line that already stands, whole, in an earlier line was printed twice by the layout."""
    earlier = EarlierLines()
    out = []
    for line in lines:
        if len(line) >= DUPLICATE_MIN_CHARS:
            if earlier.hold(line):
                out.append("")
                continue
            earlier.add(line)
        out.append(line)
    return out


class EarlierLines:
    """The long lines kept so far, indexed so that whether one of them holds a line costs time in
    that line's length, not in the text read so far (a search of all of it for every line made a
    bulletin of thousands of pages take minutes).

    A line printed twice whole is in a set. Otherwise: each line indexes its REPEAT_KEY_CHARS
    characters at every REPEAT_STRIDE-th position. Where a line of DUPLICATE_MIN_CHARS or more
    stands inside an earlier one, all of its positions of one remainder modulo REPEAT_STRIDE fall
    on that line's stride, and the key at each of them names that line. So the keys at the line's
    first REPEAT_STRIDE positions name every earlier line that may hold it, and those are
    searched. Where they name more lines than the line has characters (stock phrases open it),
    searching them all would cost more than looking up all of its keys: then each remainder's
    least named key is taken."""

    def __init__(self):
        self.lines: list[str] = []
        self.whole: set[str] = set()
        self.index: dict[str, list[int]] = {}

    def add(self, line: str) -> None:
        number = len(self.lines)
        self.lines.append(line)
        self.whole.add(line)
        for at in range(0, len(line) - REPEAT_KEY_CHARS + 1, REPEAT_STRIDE):
            self.index.setdefault(line[at : at + REPEAT_KEY_CHARS], []).append(number)

    def hold(self, line: str) -> bool:
        if line in self.whole:
            return True
        key, stride, get = REPEAT_KEY_CHARS, REPEAT_STRIDE, self.index.get
        named = [get(line[at : at + key], ()) for at in range(stride)]
        if sum(map(len, named)) > len(line):
            keys = [get(line[at : at + key], ()) for at in range(len(line) - key + 1)]
            named = [min(keys[remainder::stride], key=len) for remainder in range(stride)]
        return any(line in self.lines[number] for numbers in named for number in numbers)


def is_heading(line: str) -> bool:
    """A short line without sentence punctuation stands alone (title, heading, signature, date);
    one that ends in a number has lost its unit to a page break."""
    if line[-1].isdigit() or line[-1] == ".":
        return False
    if HEADING.match(line) and not STOPS.search(line):
        return len(line) <= 2 * HEADING_MAX_CHARS
    return len(line) <= HEADING_MAX_CHARS and not CLAUSE_MARKS.search(line)


def title_count(lines: list[str]) -> int:
    """How many of the first non-blank lines are the document's title (a news page's headline and
    subtitle, a report's name): short lines without a full stop that do not break off mid-number.
    A headline may hold commas (…丨新乡：39个项目签约，37个项目开工) when a byline or heading
    follows it; a first line with commas and text after it is a paragraph the page broke. A
    headline's figures sum up the body's in headline words, often without their subject: the
    title is not read for facts."""
    text = [line for line in lines if line]
    count = 0
    for i, line in enumerate(text):
        if (
            len(line) > TITLE_MAX_CHARS
            or FULL_STOPS.search(line)
            or is_table_row(line)
            or line[-1] in "0123456789.，、"
        ):
            break
        following = text[i + 1] if i + 1 < len(text) else ""
        if "，" in line and not (SOURCE_LINE.match(following) or (following and is_heading(following))):
            break
        count += 1
    return count


def is_table_row(line: str) -> bool:
    return looks_tabular(line.strip())


def ends_open(line: str) -> bool:
    """A line that stops mid-sentence: the page broke inside it."""
    return not line.endswith(SENTENCE_END) and not is_heading(line) and not is_table_row(line)


def join_split_paragraphs(
    lines: list[str], city_heading: re.Pattern | None, digit_joins: list[tuple[int, int]] | None = None
) -> list[str]:
    """Join a line that ends mid-sentence with the next text line, across blank lines and any
    heading printed at the page break; such a heading moves below the joined paragraph. Joins
    between two digits are noted in `digit_joins` as (paragraph index, offset in the paragraph)."""
    paragraphs: list[list[str]] = []  # the lines of each paragraph
    pending_headings: list[str] = []
    open_paragraph: OpenParagraph | None = None
    titles = title_count(lines)
    for line in lines:
        if not line:
            continue
        if len(paragraphs) < titles:  # the title lines stand alone
            paragraphs.append([line])
            continue
        if open_paragraph:
            if is_protected(line, city_heading) and not SOURCE_LINE.match(line):
                pending_headings.append(line)
                continue
            if not is_heading(line) and not is_table_row(line) and not SOURCE_LINE.match(line):
                if digit_joins is not None and open_paragraph.parts[-1][-1:].isdigit() and line[:1].isdigit():
                    digit_joins.append((len(paragraphs) - 1, open_paragraph.length))
                if not open_paragraph.join(line):
                    open_paragraph = None
                    paragraphs.extend([heading] for heading in pending_headings)
                    pending_headings = []
                continue
            paragraphs.extend([heading] for heading in pending_headings)
            pending_headings = []
        paragraphs.append([line])
        open_paragraph = OpenParagraph(paragraphs[-1]) if ends_open(line) else None
    paragraphs.extend([heading] for heading in pending_headings)
    return ["".join(parts) for parts in paragraphs]


class OpenParagraph:
    """A paragraph that stops mid-sentence, joined with the lines that continue it. Whether it still
    stops mid-sentence (`ends_open`) is told from the line just joined and from counts kept line by
    line: copying and rescanning the joined text at each line cost a paragraph of n lines n² (a
    text whose lines never end a sentence is one paragraph)."""

    def __init__(self, parts: list[str]):
        self.parts = parts  # the paragraph's lines so far, appended to in place
        self.length = len(parts[0])
        self.spaces = parts[0].count(" ")
        self.cell_gap = bool(TABLE_CELL_GAP.search(parts[0]))
        self.clause_marks = bool(CLAUSE_MARKS.search(parts[0]))

    def join(self, line: str) -> bool:
        """Append `line`; whether the paragraph still ends open."""
        self.cell_gap = (
            self.cell_gap
            or bool(TABLE_CELL_GAP.search(line))
            or (self.parts[-1].endswith(" ") and line.startswith(" "))
        )
        self.parts.append(line)
        self.length += len(line)
        self.spaces += line.count(" ")
        self.clause_marks = self.clause_marks or bool(CLAUSE_MARKS.search(line))
        if line.endswith(SENTENCE_END):
            return False
        if self.length <= 2 * HEADING_MAX_CHARS or self.cell_gap or (self.spaces >= 2 and not self.clause_marks):
            return ends_open("".join(self.parts))  # it may be a heading or a table row: the whole tells
        return True  # too long for a heading; no cell gap, and clause marks or too few spaces for a row
