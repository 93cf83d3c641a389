"""Reading: encodings, formats, and a clear error for each kind of bad input."""
import hashlib
import io

import pytest

from orchestration.extraction import ReadError, read_bytes, read_document

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
    data = "你好，开发区".encode("utf-8")
    doc = read_bytes(data, "x.txt")
    assert doc.text == "你好，开发区" and doc.encoding == "utf-8"


def test_gb18030_bytes_that_also_decode_as_utf8_are_read_as_gb18030():
    # Two-byte GB sequences that happen to form valid UTF-8 are rare but possible in short text.
    text = "开发区"
    data = text.encode("gb18030")
    doc = read_bytes(data, "y.txt")
    assert doc.text == text and doc.encoding == "gb18030"


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
        "一、主要指标", "开发区名称\t规上工业增加值(亿元)\t增速(%)", "介休经开区\t28.9\t5.2", "以上数据来自统计部门。",
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
        ("report.xlsx", b"PK\x03\x04 not really", "unsupported file type .xlsx"),
        ("report", REPORT.encode(), "unsupported file type (none)"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("junk.txt", bytes(range(256)) * 4, "decodes neither as UTF-8 nor as GB18030"),
        ("bin.txt", b"\x00\x01\x02abc\x00" * 10, "binary content"),
        ("latin.txt", "Monthly report, no Chinese at all.".encode(), "no Chinese text"),
        ("bad_bom.txt", b"\xef\xbb\xbf\xff\xfe\xfa", "byte order mark but is not valid UTF-8"),
        ("broken.docx", b"this is not a zip file", "not a valid .docx file"),
        ("broken.pdf", b"%PDF-1.4 garbage garbage", "not a valid PDF"),
    ],
)
def test_bad_input_names_file_and_reason(name, data, reason):
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert str(info.value).startswith(f"{name}: ")
    assert reason in info.value.reason


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)  # an image-like page, no text
    c.save()
    with pytest.raises(ReadError, match="scan.pdf: PDF has no text layer"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="gone.txt: cannot open file"):
        read_document(tmp_path / "gone.txt")
