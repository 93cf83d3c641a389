"""The bundled sample reports and their hand-labelled facts are well formed.

samples/reports/YYYY-MM/<name>.<txt|docx|pdf|xlsx>  a city's report (or its table of indicators), filed under the last month it covers
samples/expected/YYYY-MM/<name>.jsonl         its facts, one JSON object a line (the contract of
                                               /work/shared/acceptance/README.md, plus the extension
                                               metric codes listed below)

Only the standard library, python-docx, pdfplumber and openpyxl are used; nothing of the project is
imported.
"""

import json
import math
import pathlib
import re
import unicodedata
from collections import Counter

import pytest

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "samples"
REPORTS = SAMPLES / "reports"
EXPECTED = SAMPLES / "expected"
REPORT_EXTS = {".txt", ".docx", ".pdf", ".xlsx", ".jpg"}
PROSE_EXTS = {".txt", ".docx", ".pdf"}  # a spreadsheet is a table, not a report of 1500+ characters
SOURCES = SAMPLES / "sources"  # the texts the scans (an image-only PDF, a photo) were rendered from
MONTH = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")

CITIES = {"太原市", "大同市", "阳泉市", "长治市", "晋城市", "朔州市", "晋中市", "运城市", "忻州市", "临汾市", "吕梁市"}

METRIC_UNITS = {
    # the contract
    "industrial_value_added": "亿元",
    "industrial_investment": "亿元",
    "fixed_asset_investment": "亿元",
    "industrial_project_investment": "亿元",
    "operating_revenue": "亿元",
    "tax_revenue": "亿元",
    "import_export": "亿元",
    "foreign_investment_used": "亿美元",
    "tourist_visits": "万人次",
    "overnight_visitors": "万人次",
    "forest_coverage": "%",
    "filed_projects": "个",
    "commitment_eligible_projects": "个",
    "commitment_projects": "个",
    "commitment_procedures": "项",
    "standard_land_parcels": "宗",
    "standard_land_area": "亩",
    "standard_factory_area_in_use": "万平方米",
    "standard_factory_area_new": "万平方米",
    "proxy_service_projects": "个",
    # extension codes (same row shape)
    "industrial_output": "亿元",
    "total_profit": "亿元",
    "general_budget_revenue": "亿元",
    "funds_in_place": "亿元",
    "new_enterprises_above_size": "个",
}
SCOPES = {"cumulative", "event"}
STAGES = {"signed", "started", "in_production", "all"}
MEASURES = {
    "projects",
    "investment",
    "advanced_projects",
    "advanced_investment",
    "completed_investment",
    "industrial_projects",
    "industrial_investment",
    "rate_pct",
    "expected_annual_output",
}
COUNT_MEASURES = {"projects", "advanced_projects", "industrial_projects"}

INDICATOR_FIELDS = {"doc", "period", "type", "city", "zone", "metric", "value", "unit", "yoy_pct", "basis"}
PIPELINE_FIELDS = {"doc", "period", "type", "city", "zone", "scope", "stage", "measure", "value"}


# ------------------------------------------------------------------------------------ helpers
def report_files():
    return sorted(p for p in REPORTS.rglob("*") if p.is_file() and p.suffix in REPORT_EXTS)


def expected_files():
    return sorted(EXPECTED.rglob("*.jsonl"))


def expected_for(report):
    return EXPECTED / report.parent.name / (report.stem + ".jsonl")


def load_rows(path):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - reported by the assertion
                pytest.fail(f"{path} line {n}: {e}")
    return rows


def decode_txt(path):
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def is_scan(path):
    """A photo, or a PDF rendered from a text of samples/sources/ (no text layer)."""
    return (SOURCES / f"{path.stem}.txt").exists() and path.suffix in (".pdf", ".jpg")


def report_text(path):
    if is_scan(path):
        return (SOURCES / f"{path.stem}.txt").read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return decode_txt(path)
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            parts.extend("\t".join(c.text for c in row.cells) for row in t.rows)
        return "\n".join(parts)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join(
            "\t".join("" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row) for row in rows
        )
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join((page.extract_text() or "") for page in pdf.pages)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def number_forms(v):
    v = abs(v)
    forms = {f"{v:g}", f"{v:.1f}", f"{v:.2f}", f"{v:.4f}".rstrip("0").rstrip(".")}
    if float(v).is_integer():
        forms.add(str(int(v)))
    return forms


def states_number(text, v, unit=None):
    """True when the report text (full-width folded) writes the number v (sign aside)."""
    for f in number_forms(v):
        if re.search(r"(?<![\d.])" + re.escape(f) + r"(?![\d])", text):
            return True
    if unit == "亿元":  # labelled in 亿元 from a figure written in 万元 (or in a column headed （万元）)
        wan = v * 10000
        after = "(?:万元|(?![\\d.]))" if "(万元)" in text else "万元"  # (text NFKC-folded)
        if abs(wan - round(wan)) < 1e-6 and re.search(rf"(?<![\d.]){round(abs(wan))}{after}", text):
            return True
    return False


# ------------------------------------------------------------------------------------ layout
def test_layout_and_pairing():
    reports = report_files()
    assert reports, "no sample reports"
    for p in reports:
        assert MONTH.match(p.parent.name), f"{p}: folder must be YYYY-MM"
        assert p.parent.parent == REPORTS, f"{p}: reports sit directly in a month folder"
        assert expected_for(p).is_file(), f"{p} has no expected file"
    stems = {(p.parent.name, p.stem) for p in reports}
    assert len(stems) == len(reports), "two reports share a name in one month"
    for e in expected_files():
        assert MONTH.match(e.parent.name), f"{e}: folder must be YYYY-MM"
        assert (e.parent.name, e.stem) in stems, f"{e} has no report"


def test_coverage_of_the_set():
    reports = report_files()
    assert len(reports) >= 10
    months = {p.parent.name for p in reports}
    assert len(months) >= 4
    assert {m[:4] for m in months} >= {"2023", "2024"}
    cities = set()
    for e in expected_files():
        cities |= {r["city"] for r in load_rows(e) if r.get("city")}
    assert len(cities) >= 7, cities


# ------------------------------------------------------------------------------------ formats
def test_encodings_and_formats():
    txts = [p for p in report_files() if p.suffix == ".txt"]
    gb, bom = [], []
    for p in txts:
        raw = p.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            bom.append(p)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            gb.append(p)
            raw.decode("gb18030")  # it must still be a valid GB18030 text
    assert len(gb) == 1, f"exactly one .txt must be GB18030 (not UTF-8): {gb}"
    assert "市" in gb[0].read_bytes().decode("gb18030")
    assert bom, "at least one .txt must be UTF-8 with a BOM"
    assert [p for p in report_files() if p.suffix == ".docx"], "no .docx sample"
    assert [p for p in report_files() if p.suffix == ".pdf"], "no .pdf sample"


@pytest.mark.parametrize("path", [p for p in report_files() if p.suffix == ".docx"], ids=lambda p: p.name)
def test_docx_opens_with_zone_table(path):
    import docx

    d = docx.Document(str(path))
    assert d.paragraphs and any(p.text.strip() for p in d.paragraphs)
    assert d.tables, "the .docx must hold a real Word table"
    t = d.tables[0]
    header = [c.text for c in t.rows[0].cells]
    assert header[0] == "开发区名称"
    assert len(t.rows) >= 3
    zones = {r["zone"] for r in load_rows(expected_for(path)) if r.get("zone")}
    for row in t.rows[1:]:
        assert row.cells[0].text in zones, f"table row {row.cells[0].text!r} is not a labelled zone"


@pytest.mark.parametrize("path", [p for p in report_files() if is_scan(p)], ids=lambda p: p.name)
def test_a_scan_has_no_text_layer_and_its_source_text_states_every_labelled_number(path):
    from PIL import Image

    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            assert pdf.pages and not any((page.extract_text() or "").strip() for page in pdf.pages)
            assert all(page.images for page in pdf.pages), "each page is a picture"
    else:
        assert Image.open(path).size[0] > 800, "a photo of a page"
    assert load_rows(expected_for(path)), "a scan has labelled facts"


@pytest.mark.parametrize(
    "path", [p for p in report_files() if p.suffix == ".pdf" and not is_scan(p)], ids=lambda p: p.name
)
def test_pdf_opens_with_text_layer(path):
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        assert pdf.pages
        text = "\n".join((page.extract_text() or "") for page in pdf.pages)
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 500, "no Chinese text layer"
    assert "开发区名称" in text


@pytest.mark.parametrize("path", [p for p in report_files() if p.suffix == ".xlsx"], ids=lambda p: p.name)
def test_xlsx_opens_with_zone_table(path):
    import openpyxl

    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert "开发区" in str(sheet["A1"].value), "the title stands in A1"
    names = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert "开发区名称" in names and "合计" in names
    assert sheet.merged_cells.ranges, "the header is merged over two rows"
    zones = {r["zone"] for r in load_rows(expected_for(path)) if r.get("zone")}
    assert zones and zones <= set(names), zones - set(names)


@pytest.mark.parametrize(
    "path", [p for p in report_files() if p.suffix in PROSE_EXTS and not is_scan(p)], ids=lambda p: p.name
)
def test_report_length(path):
    n = len(re.findall(r"[\u4e00-\u9fff]", report_text(path)))
    assert 1500 <= n <= 6000, f"{path.name}: {n} Chinese characters"


# ------------------------------------------------------------------------------------ rows
@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.parent.name + "/" + p.name)
def test_rows_follow_the_contract(path):
    rows = load_rows(path)
    assert rows, f"{path} is empty"
    report = [p for p in report_files() if p.parent.name == path.parent.name and p.stem == path.stem]
    assert len(report) == 1
    for r in rows:
        assert r.get("doc") == report[0].name, r
        assert r.get("period") == path.parent.name, r
        assert r.get("city") is None or r["city"] in CITIES, r
        assert r.get("zone") is None or (isinstance(r["zone"], str) and r["zone"].strip()), r
        if r.get("type") == "indicator":
            assert set(r) == INDICATOR_FIELDS, r
            assert r["metric"] in METRIC_UNITS, r
            assert r["unit"] == METRIC_UNITS[r["metric"]], r
            assert r["basis"] in ("actual", "target"), r
            assert r["value"] is None or is_number(r["value"]), r
            assert r["yoy_pct"] is None or is_number(r["yoy_pct"]), r
            assert r["value"] is not None or r["yoy_pct"] is not None, f"row states nothing: {r!r}"
        elif r.get("type") == "pipeline":
            assert set(r) == PIPELINE_FIELDS, r
            assert r["scope"] in SCOPES, r
            assert r["stage"] in STAGES, r
            assert r["measure"] in MEASURES, r
            assert is_number(r["value"]), r
            if r["measure"] in COUNT_MEASURES:
                assert isinstance(r["value"], int), r
        else:
            pytest.fail(f"unknown row type: {r!r}")


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.parent.name + "/" + p.name)
def test_coordinates_are_unique(path):
    keys = []
    for r in load_rows(path):
        if r["type"] == "indicator":
            keys.append(("I", r["city"], r["zone"], r["metric"], r["basis"]))
        else:
            keys.append(("P", r["city"], r["zone"], r["scope"], r["stage"], r["measure"]))
    dup = [k for k, n in Counter(keys).items() if n > 1]
    assert not dup, dup


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.parent.name + "/" + p.name)
def test_reported_rates_match_investments(path):
    """rate_pct = advanced_investment / investment * 100 within 0.01 (rounded or truncated).

    For the in-production stage the 达产率 is taken over the 产业项目 when those are labelled
    (industrial_investment), else over the stage's investment.
    """
    sets = {}
    for r in load_rows(path):
        if r["type"] == "pipeline":
            sets.setdefault((r["city"], r["zone"], r["scope"], r["stage"]), {})[r["measure"]] = r["value"]
    checked = 0
    for key, m in sets.items():
        if "rate_pct" not in m or "advanced_investment" not in m:
            continue
        base = m.get("industrial_investment") if key[3] == "in_production" else None
        base = base if base is not None else m.get("investment")
        if base is None:
            continue
        computed = m["advanced_investment"] / base * 100
        assert abs(computed - m["rate_pct"]) <= 0.01 + 1e-9, (key, m["rate_pct"], computed)
        checked += 1
    for key, m in sets.items():
        if "advanced_projects" in m and "projects" in m and key[3] != "in_production":
            assert m["advanced_projects"] <= m["projects"], key
        if "advanced_investment" in m and "investment" in m and key[3] == "signed":
            assert m["advanced_investment"] <= m["investment"], key


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.name)
def test_labelled_numbers_are_in_the_text(path):
    text = unicodedata.normalize("NFKC", report_text(path))
    for r in load_rows(expected_for(path)):
        if r["value"] is not None:
            assert states_number(text, r["value"], r.get("unit") or "亿元"), f"value not in text: {r!r}"
        if r.get("yoy_pct") is not None:
            assert states_number(text, r["yoy_pct"]), f"growth not in text: {r!r}"
