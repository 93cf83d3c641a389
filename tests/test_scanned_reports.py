"""Scanned reports through the warehouse: the OCR job's steps, the OCR cache, what raw.documents
records of each scan, and OCR's doubts carried to the facts as review reasons.

OCR itself (layout, reading order, errors) is tested in test_ocr.py; the scans' facts against their
labels in test_acceptance.py (the bundled scans) and test_scanned_samples.py (a sample rendered as a scan)."""

import duckdb
from conftest import ROOT, SAMPLE_MONTHS, use_home

from devzone import ocr_cache
from devzone.extraction import Document, extract_document, reading
from devzone.synthetic.scans import scanned_image

SCAN_MONTH = "2024-12"
SCANS = ("changzhi_2024-12.pdf", "jinzhong_2024-12.jpg")
SMALL_PAGE = (8.27, 3.5)  # inches: an A4-wide strip of a few lines, so each OCR takes a second or two
NOTICE = "晋城市开发区\n1-6月，全市开发区规上工业增加值完成56.78亿元，同比增长4.3%。\n"


def test_raw_documents_record_the_reader_pages_and_confidence_of_each_scan(built_home):
    home, _ = built_home
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select file_name, encoding, reader, pages, ocr_seconds, ocr_confidence from raw.documents "
            "where period = ? order by file_name",
            [SCAN_MONTH],
        ).fetchall()
        text_pdf = con.execute(
            "select reader, pages, ocr_seconds from raw.documents where file_name = 'jincheng_2024-06.pdf'"
        ).fetchone()
        served = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
        readers = dict(
            served.execute("select file_name, reader from rpt_documents where period = ?", [SCAN_MONTH]).fetchall()
        )
        served.close()
    finally:
        con.close()
    assert [r[:4] for r in rows] == [
        ("changzhi_2024-12.pdf", "pdf", "ocr", 1),
        ("jinzhong_2024-12.jpg", "jpg", "ocr", 1),
    ]
    for _name, _encoding, _reader, _pages, seconds, confidence in rows:
        assert seconds > 0 and 0.9 < confidence <= 1.0
    assert text_pdf == ("text_layer", 3, None)
    assert readers == {"changzhi_2024-12.pdf": "ocr", "jinzhong_2024-12.jpg": "ocr"}


def test_a_zone_misread_by_ocr_goes_to_its_reference_zone_and_asks_for_review(built_home):
    """The scan's 潞城经开区 comes back from OCR as 路城经开区 (the water radical lost)."""
    home, _ = built_home
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        zone, code, reasons, evidence = con.execute(
            "select zone, zone_code, review_reasons, evidence from raw.indicator_facts "
            "where period = ? and file_name = 'changzhi_2024-12.pdf' and value = 71.83",
            [SCAN_MONTH],
        ).fetchone()
    finally:
        con.close()
    assert (zone, code, reasons) == ("潞城经开区", "140406-JK", "ocr_zone_variant")
    assert "路城经开区" in evidence  # the sentence as OCR read it


def test_a_fact_on_a_line_ocr_doubted_is_marked_for_review():
    text = "晋城市开发区\n1-6月，全市开发区规上工业增加值完成56.78亿元，同比增长4.3%；固定资产投资完成12.34亿元。\n"
    document = Document("d" * 64, "scan.png", "scan.png", 1, "png", text, reader="ocr")
    doubted = Document(
        "d" * 64,
        "scan.png",
        "scan.png",
        1,
        "png",
        text,
        reader="ocr",
        low_confidence_lines=("固定资产投资完成12.34亿元。",),
    )
    reasons = {f["metric"]: f["review_reasons"] for f in extract_document(doubted, "2024-06").facts}
    assert reasons == {"industrial_value_added": [], "fixed_asset_investment": ["ocr_low_confidence"]}
    assert all(not f["review_reasons"] for f in extract_document(document, "2024-06").facts)


def test_the_cache_reads_each_scan_once_whatever_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVZONE_OCR_CACHE", str(tmp_path / "cache"))
    calls = []
    real = reading.ocr_scan
    monkeypatch.setattr(reading, "ocr_scan", lambda data, path: calls.append(path.name) or real(data, path))
    picture = scanned_image(NOTICE, page_inches=SMALL_PAGE)
    first = reading.read_bytes(picture, "a.png", ocr_cache.cached_scan)
    again = reading.read_bytes(picture, "copy of a.png", ocr_cache.cached_scan)
    assert calls == ["a.png"]
    assert (again.text, again.ocr_confidence, again.reader) == (first.text, first.ocr_confidence, "ocr")
    assert "56.78" in first.text
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1


def test_the_build_read_each_scan_in_its_own_dagster_step_and_a_rerun_has_nothing_to_read(built_home):
    """The session's build started with an empty OCR cache (tests/conftest.py): `devzone run` ran the
    OCR job first, one step per scan under the multiprocess executor, each filling the cache; a
    re-run finds nothing to read and starts no OCR run."""
    from dagster import DagsterEventType

    from orchestration.assets.scans import scan_paths
    from orchestration.runner import instance, read_scans

    home, summaries = built_home
    [build] = summaries.values()
    use_home(home)
    dagster = instance()
    [ocr_run] = [r for r in map(dagster.get_run_by_id, build.run_ids) if r.job_name == "read_scans"]
    steps = {
        e.step_key
        for e in dagster.all_logs(ocr_run.run_id, of_type=DagsterEventType.STEP_SUCCESS)
        if e.step_key.startswith("scanned_texts.read_scan[")
    }
    assert steps == {
        "scanned_texts.read_scan[2024_12_0_changzhi_202412]",
        "scanned_texts.read_scan[2024_12_1_jinzhong_202412]",
    }
    starts = [
        e
        for e in dagster.all_logs(ocr_run.run_id)
        if e.dagster_event and e.dagster_event.event_type_value == "STEP_WORKER_STARTED"
    ]
    assert len(starts) >= 2  # each step in its own process
    assert scan_paths(SAMPLE_MONTHS) == []
    assert read_scans(dagster, SAMPLE_MONTHS, {}) is None


def test_the_bundled_scans_are_the_renderings_of_their_source_texts(tmp_path):
    """samples/make_binary_samples.py renders samples/sources/*.txt with fixed seeds: rendering
    again gives the committed bytes, so the scans are not edited by hand."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_binary_samples", ROOT / "samples" / "make_binary_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.make_scans(tmp_path)
    assert [p.name for p in rendered] == list(SCANS)
    for path in rendered:
        assert path.read_bytes() == (ROOT / "samples" / "reports" / SCAN_MONTH / path.name).read_bytes(), path.name
