"""The documentation sites open offline: the Data Docs of the session's pipeline run (their pages,
GX's static files, devzone's index) name nothing outside the machine, every link leads to a file on
disk, Home leads to devzone's index, the index has a section per month; `make docs`'s exposures.

The static files come from vendor/data_docs/ (`make` fetches them, vendor/fetch.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from conftest import ROOT

from devzone import publishing, settings
from devzone.extraction.reference import load_reference
from devzone.quality import data_docs, gate, offline_site
from devzone.quality.frames import read_month

ATTRIBUTE = re.compile(r"""\b(?:src|href)=(["'])(.*?)\1""", re.S)
CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""")
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # http:, https:, file:, //host, ...
OUTSIDE = re.compile(r"""https?://[^\s"'<>)]+""")
VENDOR_FILES = ("bootstrap.min.css", "bootstrap.min.js", "jquery.min.js", "popper.min.js", "all.min.css")


def gx_templates() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render" / "view" / "templates"


def links(text: str) -> list[str]:
    """Every address a page or stylesheet loads or links: src, href and CSS url(...)."""
    return [m[2] for m in ATTRIBUTE.finditer(text)] + [m[2] for m in CSS_URL.finditer(text)]


def site_files(folder: Path) -> list[Path]:
    """The site's pages (devzone's index and GX's pages) and the stylesheets they load."""
    return (
        sorted(folder.glob("*.html"))
        + sorted((folder / "data_docs").rglob("*.html"))
        + sorted((folder / "data_docs" / "static" / "vendor").rglob("*.css"))
    )


def target(page: Path, address: str) -> Path:
    return (page.parent / unquote(address.split("#", 1)[0].split("?", 1)[0])).resolve()


@pytest.fixture(scope="module")
def docs(built_home) -> Path:
    """The session's home's Data Docs folder, as the pipeline left it."""
    folder = built_home[0] / "data_docs"
    assert (folder / "index.html").is_file()
    return folder


def test_no_page_of_the_site_names_an_address_outside_the_machine(docs):
    pages = site_files(docs)
    assert len([p for p in pages if p.suffix == ".html"]) > 5, pages
    outside = [
        (str(p.relative_to(docs)), a)
        for p in pages
        for a in links(p.read_text(encoding="utf-8"))
        if SCHEME.match(a) and not a.startswith("data:")
    ]
    assert outside == []


def test_every_local_address_of_the_site_is_a_file_on_disk(docs):
    missing = [
        (str(p.relative_to(docs)), a)
        for p in site_files(docs)
        for a in links(p.read_text(encoding="utf-8"))
        if a and not a.startswith(("#", "data:")) and not target(p, a).is_file()
    ]
    # Font Awesome's TrueType fallbacks are not vendored: a browser reads the WOFF2 font beside each
    fallbacks = [(p, a) for p, a in missing if a.endswith(".ttf") and "fontawesome" in p]
    assert all(target(docs / p, a[: -len(".ttf")] + ".woff2").is_file() for p, a in fallbacks)
    assert [m for m in missing if m not in fallbacks] == []


def test_the_pages_load_the_vendored_styles_and_scripts_without_integrity_attributes(docs):
    for page in (docs / "data_docs").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = {Path(a).name for a in links(text) if "static/vendor/" in a}
        assert set(VENDOR_FILES) <= loaded, (page, loaded)
        # a page opened from file:// cannot make the CORS request `crossorigin` asks for
        assert "integrity=" not in text and "crossorigin=" not in text, page
        # the scripts dropped are used by no page: no chart (vega), no filter control (datepicker)
        assert "vegaEmbed(" not in text and "data-filter-control" not in text, page
        assert "newsletter" not in text and "great-expectations-web-assets" not in text, page


def test_the_home_link_of_every_page_leads_to_devzones_index(docs):
    pages = sorted((docs / "data_docs").rglob("*.html"))
    assert {p.relative_to(docs / "data_docs").parts[0] for p in pages} == {"expectations", "validations"}
    for page in pages:
        homes = re.findall(r'<a href="([^"]*)">Home</a>', page.read_text(encoding="utf-8"))
        assert homes and {target(page, h) for h in homes} == {(docs / "index.html").resolve()}, page


CELL = re.compile(r"<t([dh])\b[^>]*>(?:\s*<div[^>]*>)?\s*(.*?)\s*(?:</div>\s*)?</t\1>", re.S)
FAILING_TABLE = re.compile(r'<table class="table-bordered table-sm devzone-failing-rows">(.*?)</table>', re.S)


def test_failing_rows_show_as_tables_of_names_and_words_not_row_indexes_or_flags(docs):
    """A failing expectation's page lists its rows as the app does (Chinese column names, city and
    zone names, the value, the sentence, 是/否), never GX's row indexes, values as True/False or
    the pandas code that finds the rows."""
    cities = {c.name for c in load_reference().cities}
    pages = sorted((docs / "data_docs" / "validations").rglob("*.html"))
    tables = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        tables += FAILING_TABLE.findall(text)
        assert data_docs.MARKER not in text and "df.filter(" not in text, page
        assert "Unexpected Value" not in text and "Sampled Unexpected Values" not in text, page
        cells = CELL.findall(text)
        assert not [v for _, v in cells if v in ("True", "False")], page  # no flag as a table cell
        assert ("h", "Index") not in cells, page  # no column of row indexes
    assert tables, "the session's run has failing expectations (cities that did not report)"
    for table in tables:
        heads = [v for kind, v in CELL.findall(table) if kind == "h"]
        values = [v for kind, v in CELL.findall(table) if kind == "d"]
        assert heads and all(re.search(r"[\u4e00-\u9fff]", h) for h in heads), heads  # Chinese column names
        assert "城市" in heads and cities & set(values), table
        assert not {"True", "False"} & set(values), table
    # the city that did not report, by name, with 否 (not False) under 本月已报送
    filed = [t for t in tables if "本月已报送" in t]
    assert filed and all("<td>否</td>" in t for t in filed)
    # the stored results keep the readable rows, not GX's indexes
    stored = [
        json.loads(p.read_text(encoding="utf-8")) for p in (docs / "gx" / "uncommitted" / "validations").rglob("*.json")
    ]
    failed = [
        r["result"]
        for s in stored
        for r in s["results"]
        if not r["success"] and r["result"].get(data_docs.FAILING_ROWS)
    ]
    assert failed and not [r for r in failed if "unexpected_index_list" in r or "partial_unexpected_index_list" in r]


def test_the_index_has_a_section_per_month_validated_newest_first(docs):
    text = (docs / "index.html").read_text(encoding="utf-8")
    stored = docs / "gx" / "uncommitted" / "validations"
    months = {p.name for p in stored.glob("*/*") if p.is_dir()}
    assert months, "the session's run stored no validation"
    sections = re.findall(r"<section id='month-([^']*)'><h2>月份 months? ([^<]*)</h2>", text)
    assert {s for s, _ in sections} == months and all(s == h for s, h in sections)
    assert len(sections) == len(months)  # one section each
    assert [s for s, _ in sections] == sorted(months, key=data_docs.month_order, reverse=True)
    assert any(gate.WINDOW_SEPARATOR in m for m in months), months  # the session's run is a backfill
    # every month's validations sit in its section, linking their pages; the contents link each section
    for month in months:
        section = text.split(f"<section id='month-{month}'>", 1)[1].split("</section>", 1)[0]
        assert "data_docs/validations/" in section and f"/{month}/" in section
        assert f"href='#month-{month}'" in text
    assert "<script" not in text and ">run<" not in text


def test_every_outside_address_of_gxs_page_templates_is_vendored_or_dropped():
    """A GX upgrade that loads another file (or another version) fails here, not silently offline."""
    urls = offline_site.vendored_urls()
    found = {
        url
        for path in gx_templates().glob("*.j2")
        if not path.name.startswith("markdown")
        for url in OUTSIDE.findall(path.read_text(encoding="utf-8"))
    }
    assert found
    unknown = [u for u in found if u not in urls and not u.startswith(offline_site.DROPPED)]
    assert unknown == []
    vendor = offline_site.VENDOR_DIR
    assert (vendor / offline_site.STAMP).read_text().strip() == offline_site.lock_digest(), "run make"
    assert all((vendor / local).is_file() for local in urls.values())


def raw_gx_page() -> str:
    """The head, navigation bar and footer of a page as GX renders it (its own templates' text)."""
    t = gx_templates()
    head = t.joinpath("page.j2").read_text(encoding="utf-8").split("<style>", 1)[0]
    scripts = t.joinpath("js_script_imports.j2").read_text(encoding="utf-8")
    navbar = t.joinpath("top_navbar.j2").read_text(encoding="utf-8").split("-%}\n\n", 1)[-1]
    navbar = navbar.replace("{{ home_url }}", "../../../../index.html").replace(
        '{{ static_images_dir + "logo-long.png" | add_data_context_id_to_url }}',
        "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1",
    )
    footer = t.joinpath("cloud-footer.j2").read_text(encoding="utf-8")
    style = "<style>.navbar-brand a {background: url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png')}</style>"
    return (
        head
        + style
        + scripts
        + '<link rel="shortcut icon" href="../../../static/images/favicon.ico"/>'
        + navbar
        + footer
    )


def test_a_home_built_before_is_made_offline_once_and_later_builds_rewrite_only_their_own_pages(built_home, tmp_path):
    home, _ = built_home
    folder = tmp_path / "data_docs"
    shutil.copytree(home / "data_docs", folder)
    site = folder / "data_docs"
    # a home built before the pages were made offline: GX's page with its CDN links, no static copy
    old = site / "validations" / "cross_checks" / "2020-01" / "20200101T000000.000000Z" / "cross_checks-2020-01.html"
    old.parent.mkdir(parents=True)
    old.write_text(raw_gx_page(), encoding="utf-8")
    assert "https://maxcdn.bootstrapcdn.com" in old.read_text(encoding="utf-8")
    shutil.rmtree(site / "static" / "vendor")

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        ref = load_reference()
        months = sorted(p.name for p in (home / "landing").iterdir())
        frames = {m: read_month(con, m, ref, suites=["cross_checks"]) for m in months[:2]}
    finally:
        con.close()
    index = data_docs.build_data_docs(
        gate.run_month(months[0], frames[months[0]], ref, suites=["cross_checks"]), folder
    )

    text = old.read_text(encoding="utf-8")
    assert [a for a in links(text) if SCHEME.match(a)] == []
    assert [a for a in links(text) if not a.startswith("#") and not target(old, a).is_file()] == []
    assert re.findall(r'<a href="([^"]*)">Home</a>', text) == ["../../../../../index.html"]
    assert "devzone · 数据质量" in text and "newsletter" not in text and "none" in text
    copied = site / "static" / "vendor" / offline_site.STAMP
    copied_at = copied.stat().st_mtime_ns
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}

    data_docs.build_data_docs(gate.run_month(months[1], frames[months[1]], ref, suites=["cross_checks"]), folder)
    assert copied.stat().st_mtime_ns == copied_at  # the static files are not copied again
    assert all(p.stat().st_mtime_ns == at for p, at in pages.items() if "/validations/" in str(p))
    new = [p for p in site.rglob("*.html") if p not in pages]
    assert len(new) == 1 and f"/{months[1]}/" in str(new[0])
    assert [a for a in links(new[0].read_text(encoding="utf-8")) if SCHEME.match(a)] == []
    assert f"<section id='month-{months[1]}'>" in index.read_text(encoding="utf-8")


def test_a_page_opened_from_disk_in_a_browser_asks_nothing_outside_and_draws_its_tables(docs, tmp_path):
    """In headless Chromium (apt-get install chromium), its outside connections refused: the page's
    own requests, from Chromium's network log, are none, and bootstrap-table (jQuery, Bootstrap)
    ran."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on this machine")
    page = next((docs / "data_docs" / "validations").rglob("*.html"))
    netlog = tmp_path / "net.json"
    done = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--log-net-log={netlog}", "--virtual-time-budget=3000",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fixed-table-container" in done.stdout  # bootstrap-table drew the tables
    log = json.loads(netlog.read_text(encoding="utf-8"))
    asked = [
        e["params"]["url"]
        for e in log["events"]
        if "url" in (e.get("params") or {})
        and str(e["params"].get("network_isolation_key", "")).startswith("file://")  # the page's, not Chromium's
    ]
    assert asked == []


def test_the_exposures_declare_the_serving_file_and_the_app_over_every_served_mart():
    manifest = json.loads((settings.DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    served = {
        n["unique_id"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith(publishing.SERVED_PREFIXES)
    }
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {"serving_file", "managers_app"}
    assert exposures["serving_file"]["type"] == "application"
    assert exposures["managers_app"]["type"] == "dashboard"
    for exposure in exposures.values():
        assert set(exposure["depends_on"]["nodes"]) == served, exposure["name"]
        assert exposure["owner"]["name"] == "devzone team" and exposure["description"].strip()


def test_make_docs_says_what_to_do_when_the_home_has_no_warehouse(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.dbt_docs"],
        env={**os.environ, "DEVZONE_HOME": str(tmp_path)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "make run" in done.stderr
    assert not (tmp_path / "dbt_docs").exists()


def test_a_tarball_whose_integrity_differs_from_the_lock_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "vendor"))
    try:
        import fetch
    finally:
        sys.path.remove(str(ROOT / "vendor"))
    tarball = tmp_path / "pkg-1.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        data = b"body{}"
        info = tarfile.TarInfo("package/dist/a.css")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    good = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert fetch.integrity(tarball) == good
    monkeypatch.setattr(fetch, "npm_pack", lambda specs, destination: {"pkg@1.0.0": tarball})

    def lock(name: str, integrity: str) -> Path:
        path = tmp_path / f"{name}.lock.json"
        package = {"name": "pkg", "version": "1.0.0", "integrity": integrity, "files": ["dist/a.css"]}
        path.write_text(json.dumps({"packages": [package], "urls": {"https://x/a.css": "pkg-1.0.0/dist/a.css"}}))
        return path

    with pytest.raises(fetch.FetchError, match="integrity"):
        fetch.fetch(lock("bad", "sha512-" + base64.b64encode(bytes(64)).decode()), tmp_path / "bad")
    assert not (tmp_path / "bad").exists() and not (tmp_path / "bad.partial").exists()
    made = fetch.fetch(lock("good", good), tmp_path / "good")
    assert (made / "pkg-1.0.0" / "dist" / "a.css").read_bytes() == b"body{}"
    assert (made / fetch.STAMP).is_file()
