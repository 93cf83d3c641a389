"""A web page as the text a reader sees of it: the page's title, then its article, a line a block.

A page saved from a browser (as .html, or as .txt: the reader tells markup by its first bytes,
whatever the suffix) holds more than its article: a navigation bar listing the province's other
cities and zones, breadcrumbs, a footer, scripts. Read as text, a line of them is a sentence like
any other: a tester's page had a zone sentence of its navigation read as a province-wide fact with
no city. So the page is parsed (lxml, not patterns: markup nests and breaks every pattern), what is
not the article goes (scripts and styles; hidden elements; nav, header, footer, aside and form;
elements whose id or class says navigation or furniture), and the rest is laid out as the extractor reads a report:
a line per block, table cells split by tabs (`tables.py` reads such rows as tables), and the
page's title first (`segmenting.py` reads the first line as the title).
"""

from __future__ import annotations

import codecs
import re

from lxml import etree, html

HTML_SNIFF_BYTES = 2048
DOCTYPE = re.compile(r"\s*<!doctype\s+html", re.IGNORECASE)
HTML_TAG = re.compile(r"<(?:html|body)[\s>/]", re.IGNORECASE)
META_CHARSET = re.compile(r"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
GB_CHARSETS = ("gb2312", "gbk", "gb18030")
ASCII_PROBE = '<meta charset="">'

NOT_TEXT = {"head", "script", "style", "noscript", "template", "select"}  # (a drop-down's options are links)
FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form"}
# Words of an id or class (whole, or a part between hyphens and underscores: top-nav, site_footer).
FURNITURE_NAMES = {
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "crumbs",
    "footer",
    "header",
    "sidebar",
    "share",
    "copyright",
}
NAME_PARTS = re.compile(r"[\s_-]+")  # (the words of "top-nav site_footer")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = {
    "address",
    "article",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
}
CELLS = {"td", "th"}
# A table cell holding no table and little text is a value (its <p>s stay on the row); a cell
# holding more is the page's layout, and its blocks are lines.
VALUE_CELL_MAX_CHARS = 200
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
CELL_GAP = re.compile(r" *\t[ \t]*")
SPACES = re.compile(r" {2,}")


def looks_like_html(head: str) -> bool:
    """Markup opens the text, or an <html> or <body> tag comes in its first bytes."""
    return bool(DOCTYPE.match(head) or HTML_TAG.search(head))


def declared_charset(head: str) -> str | None:
    """The codec for the charset a page's <meta> declares. A page declared GB2312 or GBK is read as
    GB18030, their superset (such pages use characters beyond GB2312, and browsers read them so).
    None when there is no declaration or it names no ASCII-based codec (a declaration readable
    before the page is decoded can only be true of one)."""
    m = META_CHARSET.search(head)
    try:
        name = codecs.lookup(m.group(1)).name if m else None
    except LookupError:
        return None
    if name in GB_CHARSETS:
        return "gb18030"
    return name if name and ASCII_PROBE.encode(name, "replace") == ASCII_PROBE.encode("ascii") else None


def page_text(markup: str) -> str:
    """The page's title, then its article's text: a line a block."""
    parser = html.HTMLParser(encoding="utf-8", huge_tree=True)  # (a bulletin's page may hold megabytes of text)
    try:
        root = html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing to parse ("Document is empty")
        return ""
    title_element = root.find(".//title")
    title = collapse(title_element.text_content()) if title_element is not None else ""
    for element in [e for e in root.iter() if is_furniture(e)] + ([title_element] if title_element is not None else []):
        element.drop_tree()  # (its tail, text after it, stays)
    heading = next(root.iter(*HEADINGS), None)
    if heading is not None and (said := collapse(heading.text_content())) and says_the_same(said, title):
        title = said  # the headline without the site's name around it, where it stands first
        heading.drop_tree()
    return "\n".join(([title] if title else []) + lines(root))


def collapse(text: str) -> str:
    return HTML_SPACE.sub(" ", text).strip()


def says_the_same(heading: str, title: str) -> bool:
    """The body's first heading is the page's title, or the title is it with the site's name
    before or after it (新闻标题_某某市人民政府网)."""
    return title.startswith(heading) or title.endswith(heading)


def is_furniture(element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction
        return True
    if tag in NOT_TEXT:
        return True
    if tag in ("html", "body"):
        return False
    if element.get("hidden") is not None or "display:none" in element.get("style", "").replace(" ", "").lower():
        return True  # not shown to a reader (keyword lists for search engines)
    names = set(NAME_PARTS.split(f"{element.get('class', '')} {element.get('id', '')}".lower()))
    if tag not in FURNITURE_TAGS and not names & FURNITURE_NAMES:
        return False
    if tag == "form" and element.xpath("boolean(.//p | .//article | .//h1 | .//h2 | .//h3)"):
        return False  # a form around the whole page (ASP.NET pages wrap their body in one)
    # An article's own header holds its headline and byline: only the page's header is furniture.
    return not (
        (tag == "header" or "header" in names) and any(a.tag in ("article", "main") for a in element.iterancestors())
    )


def lines(root) -> list[str]:
    """The text of the page's elements, a line a block, the cells of a table row split by tabs."""
    parts: list[str] = []
    value_cells: list[bool] = []  # for each table cell the walk is inside: whether it holds a value
    in_value_cell = in_pre = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in BLOCKS:
                parts.append(" " if in_value_cell else "\n")
            elif tag in CELLS:
                parts.append("\t")
                value_cells.append(is_value_cell(element))
                in_value_cell += value_cells[-1]
            in_pre += tag == "pre"
            if element.text:
                parts.append(element.text if in_pre else HTML_SPACE.sub(" ", element.text))
            continue
        if tag in BLOCKS:
            parts.append(" " if in_value_cell else "\n")
        elif tag in CELLS:
            in_value_cell -= value_cells.pop()
        in_pre -= tag == "pre"
        if element.tail:
            parts.append(element.tail if in_pre else HTML_SPACE.sub(" ", element.tail))
    out = []
    for line in "".join(parts).split("\n"):
        line = SPACES.sub(" ", CELL_GAP.sub("\t", line)).strip()
        if line:  # (the blank lines between blocks go)
            out.append(line)
    return out


def is_value_cell(cell) -> bool:
    return cell.find(".//table") is None and len(cell.text_content()) <= VALUE_CELL_MAX_CHARS
