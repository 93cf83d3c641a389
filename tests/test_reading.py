"""Reading: encodings, formats, and a clear error for each kind of bad input."""

import codecs
import hashlib
import io

import pytest

from devzone.extraction import ReadError, extract_document, read_bytes, read_document

REPORT = "1-6月，全市开发区规上工业增加值完成12.5亿元，同比增长6.1%。"


def test_utf8_plain_and_bom(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_bytes(REPORT.encode("utf-8"))
    bom = tmp_path / "b.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + REPORT.encode("utf-8"))
    a, b = read_document(plain), read_document(bom)
    assert a.text == b.text == REPORT
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")
    assert a.doc_id == hashlib.sha256(REPORT.encode("utf-8")).hexdigest()
    assert a.size == len(REPORT.encode("utf-8"))


def test_gb18030(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    doc = read_document(path)
    assert doc.text == REPORT and doc.encoding == "gb18030"


def test_short_gbk_text_that_is_also_valid_utf8_keeps_the_more_chinese_reading():
    # These UTF-8 bytes also decode as GB18030 (to "浣犲ソ锛屽紑鍙戝尯", all CJK code points):
    # the reading made of commonly used characters must win.
    data = "你好，开发区".encode()
    doc = read_bytes(data, "x.txt")
    assert doc.text == "你好，开发区" and doc.encoding == "utf-8"


def test_gb18030_bytes_that_also_decode_as_utf8_are_read_as_gb18030():
    # Two-byte GB sequences that happen to form valid UTF-8 are rare but possible in short text.
    text = "开发区"
    data = text.encode("gb18030")
    doc = read_bytes(data, "y.txt")
    assert doc.text == text and doc.encoding == "gb18030"


@pytest.mark.parametrize(
    "mark, codec",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_text_with_a_byte_order_mark_reads_as_its_utf8_would(mark, codec):
    text = REPORT + "\n工业投资完成8.2亿元。"
    doc = read_bytes(mark + text.encode(codec), "unicode.txt")
    assert doc.text == read_bytes(text.encode("utf-8"), "plain.txt").text == text
    assert doc.encoding == codec


# A page as a browser saves it: the article sits among a navigation bar that lists other cities'
# zones, a breadcrumb, hidden keywords, a sidebar, a search form, a footer and scripts.
WEB_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>晋城经开区一季度主要指标稳中有进_晋城开发区网</title>
  <style>.top-nav { color: #c00 }</style>
  <script>var hot = "太原经开区规上工业增加值增长12%";</script>
</head>
<body>
  <div id="top-nav"><ul><li><a href="/ty">太原经开区</a></li><li><a href="/dt">大同经开区</a></li>
    <li><a href="/sz">朔州经开区</a></li></ul></div>
  <nav><a href="/">首页</a> <a href="/news">运城经开区要闻</a></nav>
  <div class="breadcrumb">首页 &gt; 新闻中心 &gt; 开发区动态</div>
  <div style="display: none">太原 大同 阳泉 长治 开发区 项目</div>
  <form class="search"><input name="q"> 站内搜索</form>
  <div class="main">
    <h1>晋城经开区一季度主要指标稳中有进</h1>
    <p class="date">2024-04-15</p>
    <p>\u3000\u3000一季度，晋城经开区规上工业增加值完成<b>12.3</b>亿元，同比增长8.1%。</p>
    <p>固定资产投资完成5.6亿元，<br>同比增长4.2%。</p>
    <table>
      <tr><th>开发区</th><th><p>营业收入(亿元)</p></th><th>增速(%)</th></tr>
      <tr><td>晋城经开区</td><td>88.1</td><td>6.5</td></tr>
    </table>
  </div>
  <aside class="sidebar">相关新闻：长治高新区签约项目12个</aside>
  <div class="site_footer">版权所有 晋城开发区网 吕梁经开区友情链接</div>
  <script>document.write("忻州经开区");</script>
</body>
</html>
"""
ARTICLE = [
    "晋城经开区一季度主要指标稳中有进",
    "2024-04-15",
    "一季度，晋城经开区规上工业增加值完成12.3亿元，同比增长8.1%。",
    "固定资产投资完成5.6亿元，",
    "同比增长4.2%。",
    "开发区\t营业收入(亿元)\t增速(%)",
    "晋城经开区\t88.1\t6.5",
]


def test_a_web_page_saved_as_txt_reads_as_its_title_and_article_without_navigation_or_scripts():
    doc = read_bytes(WEB_PAGE.encode("utf-8"), "saved_page.txt")
    assert doc.encoding == "html/utf-8"
    assert doc.text.split("\n") == ARTICLE  # the headline that repeats the title stands once, first


def test_a_web_pages_figures_are_its_articles_zone_not_the_zones_its_navigation_lists():
    facts = extract_document(read_bytes(WEB_PAGE.encode("utf-8"), "saved_page.txt"), "2024-03").facts
    assert {(f["city"], f["zone"]) for f in facts} == {("晋城市", "晋城经开区")}
    assert {f["metric"]: f["value"] for f in facts} == {
        "industrial_value_added": 12.3,
        "fixed_asset_investment": 5.6,
        "operating_revenue": 88.1,
    }


def test_an_html_file_is_read_in_the_charset_it_declares(tmp_path):
    page = WEB_PAGE.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    for name in ("page.html", "page.htm"):
        path = tmp_path / name
        path.write_bytes(page.encode("gb18030"))
        doc = read_document(path)
        assert doc.encoding == "html/gb18030"
        assert doc.text.split("\n") == ARTICLE


def test_a_page_wrapped_in_a_form_keeps_its_article_and_drops_its_search_form():
    page = WEB_PAGE.replace('<div id="top-nav">', '<form id="form1" method="post"><div id="top-nav">').replace(
        "</body>", "</form></body>"
    )
    assert read_bytes(page.encode("utf-8"), "aspx_page.html").text.split("\n") == ARTICLE


def test_a_web_page_without_a_headline_keeps_its_title_first():
    page = "<html><head><title>长治高新区项目建设情况</title></head><body><p>长治高新区签约项目12个。</p></body></html>"
    assert read_bytes(page.encode("utf-8"), "page.html").text.split("\n") == [
        "长治高新区项目建设情况",
        "长治高新区签约项目12个。",
    ]


def test_a_docx_cell_merged_across_columns_is_read_once(tmp_path):
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "规上工业增加值(亿元)"
    table.cell(0, 2).text = "增速(%)"
    for j, value in enumerate(["28.9", "28.9", "5.2"]):  # two cells of the same value stay two
        table.cell(1, j).text = value
    path = tmp_path / "merged.docx"
    d.save(str(path))
    assert read_document(path).text.split("\n") == ["规上工业增加值(亿元)\t增速(%)", "28.9\t28.9\t5.2"]


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、主要指标")
    table = d.add_table(rows=2, cols=3)
    for i, cells in enumerate([["开发区名称", "规上工业增加值(亿元)", "增速(%)"], ["介休经开区", "28.9", "5.2"]]):
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    d.add_paragraph("以上数据来自统计部门。")
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "r.docx"
    path.write_bytes(buf.getvalue())
    doc = read_document(path)
    assert doc.encoding == "docx"
    assert doc.text.split("\n") == [
        "一、主要指标",
        "开发区名称\t规上工业增加值(亿元)\t增速(%)",
        "介休经开区\t28.9\t5.2",
        "以上数据来自统计部门。",
    ]


def test_pdf_text_layer(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "r.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, REPORT)
    c.save()
    doc = read_document(path)
    assert doc.encoding == "pdf"
    assert "12.5亿元" in doc.text and "规上工业增加值" in doc.text


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("report.xlsx", b"PK\x03\x04 not really", "not a valid .xlsx file"),
        ("report.ods", b"PK\x03\x04 not really", "unsupported file type .ods"),
        ("report", REPORT.encode(), "unsupported file type (none)"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("junk.txt", bytes(range(256)) * 4, "decodes neither as UTF-8 nor as GB18030"),
        ("bin.txt", b"\x00\x01\x02abc\x00" * 10, "binary content"),
        ("latin.txt", b"Monthly report, no Chinese at all.", "no Chinese text"),
        ("bad_bom.txt", b"\xef\xbb\xbf\xff\xfe\xfa", "byte order mark but is not valid UTF-8"),
        (
            "odd.txt",
            codecs.BOM_UTF16_LE + "开发区".encode("utf-16-le") + b"\x41",
            "starts with a UTF-16-LE byte order mark but is not valid UTF-16-LE",
        ),
        ("lone.txt", codecs.BOM_UTF16_BE + b"\xd8\x00\x00\x41", "byte order mark but is not valid UTF-16-BE"),
        ("beyond.txt", codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00", "byte order mark but is not valid UTF-32-BE"),
        ("ctl16.txt", codecs.BOM_UTF16_LE + "开发区\x01".encode("utf-16-le"), "binary content"),
        ("english.html", b"<html><body><p>Monthly report</p></body></html>", "no Chinese text"),
        (
            "english.txt",
            b"<!DOCTYPE html><html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav><p>Report</p></body></html>",
            "no Chinese text",
        ),
        ("scripts.htm", "<html><body><script>var a = '开发区';</script></body></html>".encode(), "no text in file"),
        ("broken.docx", b"this is not a zip file", "not a valid .docx file"),
        ("broken.pdf", b"%PDF-1.4 garbage garbage", "not a valid PDF"),
    ],
)
def test_bad_input_names_file_and_reason(name, data, reason):
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert str(info.value).startswith(f"{name}: ")
    assert reason in info.value.reason


def test_a_pdf_page_without_a_text_layer_is_read_by_ocr_and_a_page_without_words_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 300))  # small: OCR time grows with the page
    c.rect(50, 50, 200, 200, fill=1)  # an image-like page, no text
    c.save()
    with pytest.raises(ReadError, match="scan.pdf: no text found by OCR"):
        read_document(path)


def test_a_password_protected_pdf_is_refused_with_what_to_do(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 700, "report")
    c.save()
    with pytest.raises(ReadError, match="locked.pdf: encrypted PDF.*unprotected copy"):
        read_document(path)


@pytest.mark.parametrize(("name", "advice"), [("report.doc", "save as .docx"), ("report.wps", "save as .docx")])
def test_a_legacy_office_file_is_refused_with_the_format_to_save_it_in(name, advice):
    with pytest.raises(ReadError, match=f"{name}: unsupported file type: .*{advice}"):
        read_bytes(b"\xd0\xcf\x11\xe0 legacy bytes", name)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="gone.txt: cannot open file"):
        read_document(tmp_path / "gone.txt")
