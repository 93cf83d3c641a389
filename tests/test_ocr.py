"""OCR of scanned reports (`devzone/extraction/ocr.py`) on pages we draw ourselves
(`devzone/synthetic/scans.py`): real OCR, on few and small pages, so the file stays under a minute."""

import io
import json

import pytest

from devzone.extraction import ReadError
from devzone.extraction.ocr import ScanText, needs_ocr, scan_image, scan_pdf
from devzone.synthetic.scans import font_path, scanned_image, scanned_pdf

SENTENCES = (
    "上半年开发区运行情况\n"
    "1-6月，全市开发区规上工业增加值完成123.45亿元，同比增长6.7%。\n"
    "示范区实现营业收入456.78亿元，同比下降3.2%；新签约项目12个，总投资78.90亿元。\n"
    "开发区\t营业收入（亿元）\t增速（%）\n"
    "大同经开区\t45.67\t8.9\n"
)
TWO_COLUMNS = (
    "两栏排版测试\n"
    "甲段：1-6月，全市开发区规上工业增加值完成123.45亿元，同比增长6.7%，固定资产投资完成45.60亿元。\n"
    "乙段：示范区实现营业收入456.78亿元，同比下降3.2%；新签约项目12个，总投资78.90亿元，"
    "开工项目9个，总投资34.56亿元，投产项目5个。\n"
)
SMALL_PAGE = (8.27, 3.9)  # inches: a strip of A4 width, quick to OCR


@pytest.fixture(scope="module")
def sentences_pdf() -> bytes:
    return scanned_pdf(SENTENCES, dpi=150, page_inches=(8.27, 4.5))


@pytest.fixture(scope="module")
def sentences_scan(sentences_pdf) -> ScanText:
    return scan_pdf(sentences_pdf, "bulletin.pdf")


def text_layer_page(canvas, text: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("SimHei", str(font_path().parent / "SimHei.ttf")))
    canvas.setFont("SimHei", 12)
    canvas.drawString(60, 760, text)
    canvas.showPage()


def text_pdf(text: str, encrypt=None) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt=encrypt, invariant=1)
    text_layer_page(canvas, text)
    canvas.save()
    return buffer.getvalue()


def mixed_pdf() -> bytes:
    """Page 1 with a text layer, page 2 a scanned picture only."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    text_layer_page(canvas, "文字层：固定资产投资完成98.76亿元，同比增长5.4%。")
    picture = ImageReader(
        io.BytesIO(scanned_image("图片页\n营业收入完成321.09亿元，同比增长7.8%。", page_inches=SMALL_PAGE))
    )
    canvas.setPageSize((595, 595 * SMALL_PAGE[1] / SMALL_PAGE[0]))
    canvas.drawImage(picture, 0, 0, width=595, height=595 * SMALL_PAGE[1] / SMALL_PAGE[0])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_sentences_in_the_genre_come_back_with_their_numbers_exact(sentences_scan):
    lines = sentences_scan.text.splitlines()
    assert "1-6月，全市开发区规上工业增加值完成123.45亿元，同比增长6.7%。" in lines
    assert "示范区实现营业收入456.78亿元，同比下降3.2%；新签约项目12个，总投资78.90亿元。" in lines
    assert (sentences_scan.reader, sentences_scan.pages, sentences_scan.ocr_pages) == ("ocr", 1, 1)
    assert sentences_scan.mean_confidence is not None and sentences_scan.mean_confidence > 0.9


def test_a_table_row_comes_back_as_one_line_with_its_cells_in_order(sentences_scan):
    lines = sentences_scan.text.splitlines()
    assert "大同经开区 45.67 8.9" in lines
    header = next(line for line in lines if line.startswith("开发区"))
    assert header.split()[1:] and "营业收入" in header.split()[1] and "增速" in header.split()[2]


def test_the_title_is_its_own_line_and_chinese_gets_no_spaces(sentences_scan):
    lines = sentences_scan.text.splitlines()
    assert lines[0] == "上半年开发区运行情况"
    assert not any(" " in line for line in lines if not line.startswith(("开发区", "大同")))


def test_the_same_bytes_give_the_same_text(sentences_pdf, sentences_scan):
    again = scan_pdf(sentences_pdf, "bulletin.pdf")
    assert again.text == sentences_scan.text
    assert again.low_confidence_lines == sentences_scan.low_confidence_lines


def test_a_scan_round_trips_through_json(sentences_scan):
    assert ScanText.from_json(json.loads(json.dumps(sentences_scan.to_json()))) == sentences_scan


def test_a_two_column_page_is_read_column_by_column():
    scan = scan_image(scanned_image(TWO_COLUMNS, columns=2, page_inches=SMALL_PAGE), "two_columns.png")
    lines = scan.text.splitlines()
    assert lines[0] == "两栏排版测试"
    first = next(line for line in lines if line.startswith("甲段"))
    second = next(line for line in lines if line.startswith("乙段"))
    assert first == TWO_COLUMNS.splitlines()[1]
    # the second paragraph starts in the left column and runs on at the head of the right one
    assert second == TWO_COLUMNS.splitlines()[2]
    assert lines.index(first) < lines.index(second)


def test_a_mixed_pdf_keeps_its_text_layer_and_ocrs_the_picture_page():
    scan = scan_pdf(mixed_pdf(), "mixed.pdf")
    assert (scan.reader, scan.pages, scan.ocr_pages) == ("mixed", 2, 1)
    first, second = scan.text.split("\n\n")
    assert "文字层：固定资产投资完成98.76亿元，同比增长5.4%。" in first
    assert "营业收入完成321.09亿元，同比增长7.8%。" in second.splitlines()


def test_needs_ocr_tells_scans_and_pictures_from_text_pdfs(sentences_pdf):
    assert not needs_ocr(text_pdf("文字层：营业收入完成12.34亿元。"), ".pdf")
    assert needs_ocr(sentences_pdf, ".pdf")
    assert needs_ocr(mixed_pdf(), ".PDF")
    assert needs_ocr(b"anything", ".png") and needs_ocr(b"anything", ".tiff")
    assert not needs_ocr("全市开发区".encode(), ".txt")


def test_a_truncated_picture_raises_a_read_error_naming_the_file():
    damaged = scanned_image("截断的图片\n营业收入完成1.23亿元。", page_inches=SMALL_PAGE)[:400]
    with pytest.raises(ReadError) as caught:
        scan_image(damaged, "damaged.png")
    assert caught.value.path == "damaged.png" and "truncated" in caught.value.reason
    with pytest.raises(ReadError, match="not a picture"):
        scan_image(b"this is not a picture at all", "notes.jpg")


def test_an_encrypted_pdf_raises_a_read_error_saying_what_to_do():
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = text_pdf("加密文件", encrypt=StandardEncryption("user-secret", "owner-secret"))
    with pytest.raises(ReadError) as caught:
        scan_pdf(locked, "locked.pdf")
    assert caught.value.path == "locked.pdf"
    assert "encrypted" in caught.value.reason and "unprotected copy" in caught.value.reason


def test_a_damaged_pdf_raises_a_read_error():
    with pytest.raises(ReadError, match="not a valid PDF"):
        scan_pdf(b"%PDF-1.4\n1 0 obj garbage", "broken.pdf")


def test_each_frame_of_a_multi_page_tiff_is_a_page():
    from PIL import Image

    frames = [
        Image.open(io.BytesIO(scanned_image(f"第{n}页\n营业收入完成{n}1.23亿元。", page_inches=(8.27, 3.2))))
        for n in (1, 2)
    ]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    scan = scan_image(buffer.getvalue(), "two_pages.tif")
    assert (scan.reader, scan.pages, scan.ocr_pages) == ("ocr", 2, 2)
    first, second = scan.text.split("\n\n")
    assert "营业收入完成11.23亿元。" in first and "营业收入完成21.23亿元。" in second
