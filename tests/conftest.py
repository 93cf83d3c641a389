import contextlib
import fcntl
import json
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_REPORT = SHARED / "seeds" / "000_ba67b8aa7711c97e.txt"
SEED_FACTS = SHARED / "acceptance" / "seed_facts.jsonl"
SCORE_PY = SHARED / "acceptance" / "score.py"
SAMPLES = ROOT / "samples"
SAMPLE_MONTHS = sorted(p.name for p in (SAMPLES / "reports").iterdir())


# Every home of the session shares one OCR cache (devzone/ocr_cache.py): a scan is OCR'd once per
# session, not once per home (both xdist workers share PYTEST_XDIST_TESTRUNUID). It starts empty, so
# the session home's build always runs the OCR job (test_scanned_reports.py reads its steps). Tests
# of the cache itself give their home its own.
os.environ.setdefault(
    "DEVZONE_OCR_CACHE",
    str(Path(tempfile.gettempdir()) / f"devzone-test-ocr-{os.environ.get('PYTEST_XDIST_TESTRUNUID') or os.getpid()}"),
)

DBT_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


def pytest_sessionstart(session):
    """The code location reads dbt's manifest as prepared by `make` (dagster-dbt's prepare step);
    a test session started with plain `pytest` after a model changed prepares it first, so the
    tests never see yesterday's graph."""
    project = ROOT / "dbt_project"
    manifest = project / "target" / "manifest.json"
    files = [f for name in DBT_PROJECT_FILES for f in [project / name, *(project / name).rglob("*")] if f.is_file()]
    if not manifest.exists() or manifest.stat().st_mtime < max(f.stat().st_mtime for f in files):
        from orchestration.project import devzone_dbt
        from orchestration.resources import dbt_resource

        dbt_resource().cli(["parse", "--quiet"], target_path=devzone_dbt.target_path).wait()


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def scorer():
    """The team's scorer from ../shared/acceptance/score.py."""
    if not SCORE_PY.exists():
        pytest.skip("../shared/acceptance is not beside the project")
    import importlib.util

    spec = importlib.util.spec_from_file_location("acceptance_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def use_home(path: Path) -> None:
    os.environ["DEVZONE_HOME"] = str(path)


# ---- the session's warehouse: built once, shared by every worker -----------------------------------
#
# `make test` runs the tests on two processes (pytest-xdist, `-n 2`). The first worker to need the
# session's home builds it (one pipeline run); the other finds it built, or waits for it, and both
# read the same home (tests that change inputs work on copies of it). A module's tests go to one
# worker together (its module- and session-scoped fixtures are set up once), except in
# SPLIT_MODULES, whose tests share no such fixture and each run the pipeline or the app on their
# own. The order: one test that needs the home first (its worker builds the home while the other
# runs tests that do not need it), then the tests that do not need the home, then the others (those
# that run the pipeline again on a copy of the home first); in each part the modules with the
# longest tests (SLOW_FIRST, longest first) lead.

BUILT_HOME = "built_home"
SPLIT_MODULES = ("test_pipeline.py", "test_app.py", "test_corrections_pipeline.py")
SLOW_FIRST = ("test_pipeline.py", "test_landing.py", "test_dbt_project.py", "test_quality_rules.py")


def xdist_scope(nodeid: str) -> str:
    """The unit of work a worker takes whole: the test in SPLIT_MODULES, else its module."""
    module = nodeid.split("::")[0]
    return nodeid if module.rsplit("/", 1)[-1] in SPLIT_MODULES else module


def pytest_collection_modifyitems(config, items):
    needs_home = {xdist_scope(item.nodeid) for item in items if BUILT_HOME in item.fixturenames}
    reruns = {xdist_scope(item.nodeid) for item in items if "copy_built_home" in item.fixturenames}
    first = {}
    for index, item in enumerate(items):
        first.setdefault(xdist_scope(item.nodeid), index)
    starter = next((item for item in items if item.nodeid in needs_home), None)  # a test alone in its scope

    def order(indexed) -> tuple:
        index, item = indexed
        scope = xdist_scope(item.nodeid)
        module = item.nodeid.split("::")[0].rsplit("/", 1)[-1]
        slow = SLOW_FIRST.index(module) if module in SLOW_FIRST else len(SLOW_FIRST)
        if scope in needs_home:
            return (item is not starter, True, scope not in reruns, slow, first[scope], index)
        return (True, False, False, slow, first[scope], index)

    items[:] = [item for _, item in sorted(enumerate(items), key=order)]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n 2` hands out whole `xdist_scope`s, in the collection's order (above)."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    config.option.loadscopereorder = False  # keep the order above (LoadScope sorts by size)
    return ScopeScheduling(config, log)


@contextlib.contextmanager
def file_lock(path: Path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session", autouse=True)
def scratch_home(tmp_path_factory):
    """DEVZONE_HOME is a scratch home until `built_home` points it at the session's home: tests
    that do not need the session's home may run before it is built, and none of them may write
    into the checkout's own .devzone/."""
    saved = os.environ.get("DEVZONE_HOME")
    use_home(tmp_path_factory.mktemp("scratch_home"))
    yield
    if saved is None:
        os.environ.pop("DEVZONE_HOME", None)
    else:
        os.environ["DEVZONE_HOME"] = saved


@pytest.fixture(scope="session")
def built_home(tmp_path_factory):
    """The session's warehouse: every sample month landed and published by one pipeline run (a
    single-run backfill), made by the first worker that needs it. Tests that change inputs work on
    copies of it."""
    import pickle

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the same for every worker
    home, made = shared / "devzone_home", shared / "devzone_home.summary"
    with file_lock(shared / "devzone_home.lock"):
        if not made.exists():
            if home.exists():
                pytest.fail(f"another worker failed to build the session's home in {home}")
            home.mkdir()
            use_home(home)
            from orchestration import runner
            from orchestration.partitions import monthly

            runner.copy_samples(SAMPLES / "reports", home / "landing")
            # Every sample month in one run: a single-run backfill over the months' range.
            keys = monthly.get_partition_keys()
            span = keys[keys.index(SAMPLE_MONTHS[0]) : keys.index(SAMPLE_MONTHS[-1]) + 1]
            made.write_bytes(pickle.dumps({"backfill": runner.run_months(span)}))
    use_home(home)
    return home, pickle.loads(made.read_bytes())


@pytest.fixture(scope="session")
def copy_built_home(built_home, tmp_path_factory):
    """Makes a private copy of the session's home (without its Dagster instance), for a test that
    changes inputs, and returns its path: the same path for every copy in this process (the tests
    use one copy at a time). dbt's parse, kept in dbt_target/, holds for one home path only: at one
    path each copy keeps the parse that the last run on a copy left, as a home keeps it from one
    run to the next, instead of parsing the whole project again."""
    import shutil

    home = tmp_path_factory.getbasetemp() / "home_copy"
    parse = home / "dbt_target"

    def copy() -> Path:
        if home.exists():
            for entry in home.iterdir():
                if entry == parse:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        kept = ("dbt_target",) if parse.exists() else ()
        shutil.copytree(built_home[0], home, ignore=shutil.ignore_patterns("dagster", *kept), dirs_exist_ok=True)
        return home

    return copy


@pytest.fixture
def home_copy(built_home, copy_built_home):
    """A private copy of the session's home, in use for the test (for tests that change inputs)."""
    home = copy_built_home()
    use_home(home)
    yield home
    use_home(built_home[0])


# ---- the managers' app (tests/test_app.py, tests/test_bulletin.py) ------------------------------


def expected_city_facts(month: str, metric: str) -> list[dict]:
    """The hand-labelled city-level (no zone) actual values of `metric` in the sample `month`."""
    return [
        f
        for path in sorted((SAMPLES / "expected" / month).glob("*.jsonl"))
        for f in load_jsonl(path)
        if f.get("type") == "indicator"
        and f.get("city")
        and f.get("zone") is None
        and f.get("metric") == metric
        and f.get("basis", "actual") == "actual"
    ]


def expected_city_fact(month: str, city: str, metric: str) -> dict:
    facts = [f for f in expected_city_facts(month, metric) if f["city"] == city]
    assert len(facts) == 1, facts
    return facts[0]


@pytest.fixture
def served(built_home, monkeypatch):
    """The app pointed at the session-built home's serving file."""
    home, _ = built_home
    assert (home / "serving.duckdb").exists()
    monkeypatch.setenv("DEVZONE_HOME", str(home))
    return home


@pytest.fixture
def downloaded(monkeypatch):
    """Read a download button's file as (file name, bytes), as a click would fetch it. AppTest gives
    each run a fresh in-memory media store and drops it afterwards; recording the stores (and their
    managers, which hold the files that the app makes only on click) lets a test fetch the file."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    stores, managers = [], []

    class RecordingStorage(MemoryMediaFileStorage):
        def __init__(self, media_endpoint: str) -> None:
            super().__init__(media_endpoint)
            stores.append(self)

    class RecordingManager(MediaFileManager):
        def __init__(self, storage) -> None:
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingManager)

    def read(button) -> tuple[str, bytes]:
        url = button.proto.url
        if not url and button.proto.deferred_file_id:  # made on click: click it
            url = managers[-1].execute_deferred(button.proto.deferred_file_id)
        assert url, "the button has no file"
        file = stores[-1].get_file(url.rsplit("/", 1)[-1])
        return file.filename, file.content

    return read


# ---- people's corrections, as the app shows them (tests/test_app.py, tests/test_bulletin.py) ------

CORRECTED_MONTH = "2023-06"


def record_sample_corrections(home: Path) -> dict:
    """People's decisions about statements of the sample month 2023-06, recorded in `home`'s
    journal with the command line (the keys from its warehouse's rpt_fact_lineage and the gate's
    failing rows): a value and a growth corrected, a statement rejected, a campaign figure
    corrected, the city-growth warning's other facts accepted as printed, and a missed fact added.
    Returns what was decided, for the tests to find in the corrected serving file."""
    import duckdb

    from orchestration.cli import main

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:

        def statement(where: str, params: list) -> dict:
            cursor = con.execute(
                "select correction_key, city_name, zone_name, zone_key, indicator_code, scope, stage, measure, "
                f"value, yoy_pct from rpt_fact_lineage where period = ? and is_selected and {where}",
                [CORRECTED_MONTH, *params],
            )
            names = [d[0] for d in cursor.description]
            found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            assert len({f["correction_key"] for f in found}) == 1, (where, params, found)
            return found[0]

        indicator = "fact_type = 'indicator' and basis = 'actual' and city_name = ? and zone_name is not distinct from ? and indicator_code = ?"
        value_fix = statement(indicator, ["太原市", None, "industrial_value_added"])
        growth_fix = statement(indicator, ["太原市", "清徐经开区", "industrial_value_added"])
        rejected = statement(indicator, ["太原市", "太原不锈钢产业园区", "total_profit"])
        campaign = statement(
            "fact_type = 'pipeline' and city_name = ? and zone_name is null and scope = ? and stage = ? and measure = ?",
            ["太原市", "cumulative", "started", "completed_investment"],
        )
        (failing,) = con.execute(
            "select failing_keys from fct_quality_result where period = ? and severity = 'WARN' "
            "and status = 'warning' and expectation_name like 'city_growth:%'",
            [CORRECTED_MONTH],
        ).fetchone()
    finally:
        con.close()
    accepted = sorted(set(failing.split(",")) - {value_fix["correction_key"]})
    assert accepted, failing

    decided = {
        "month": CORRECTED_MONTH,
        "value": {**value_fix, "new": round(value_fix["value"] + 1, 2), "reason": "表格错位，以附表为准", "by": "张工"},
        "yoy": {**growth_fix, "new": -growth_fix["yoy_pct"], "reason": "负号漏印", "by": "王工"},
        "rejected": {**rejected, "reason": "园区企业利润，非本指标", "by": "赵工"},
        "campaign": {
            **campaign,
            "new": round(campaign["value"] + 9, 2),
            "reason": "已完成投资以附表为准",
            "by": "赵工",
        },
        "accepted": {"keys": accepted, "reason": "原文如此，已与市里核实", "by": "刘工"},
        "added": {
            "city_name": "太原市",
            "indicator_code": "fixed_asset_investment",
            "value": 52.3,
            "yoy_pct": 4.1,
            "file_name": "taiyuan_2023-06.txt",
            "reason": "附表中有，正文漏读",
            "by": "孙工",
        },
    }
    for action, what in (("--value", "value"), ("--yoy", "yoy"), ("--value", "campaign")):
        d = decided[what]
        command = ["correct", d["correction_key"], action, str(d["new"]), "--reason", d["reason"], "--by", d["by"]]
        assert main(command) == 0, command
    d = decided["rejected"]
    assert main(["correct", d["correction_key"], "--reject", "--reason", d["reason"], "--by", d["by"]]) == 0
    d = decided["accepted"]
    for key in d["keys"]:
        assert main(["correct", key, "--accept", "--reason", d["reason"], "--by", d["by"]]) == 0
    d = decided["added"]
    added = [
        "add", "--month", CORRECTED_MONTH, "--city", d["city_name"], "--metric", d["indicator_code"],
        "--value", str(d["value"]), "--yoy", str(d["yoy_pct"]), "--document", d["file_name"],
        "--reason", d["reason"], "--by", d["by"],
    ]  # fmt: skip
    assert main(added) == 0
    return decided


@pytest.fixture(scope="session")
def corrected_home(built_home, copy_built_home, tmp_path_factory):
    """A home whose serving file shows people's corrections: a copy of the session's home with the
    decisions of `record_sample_corrections` recorded and 2023-06 run again (one pipeline run for
    the whole session, made by the first worker that needs it). Returns the folder of that serving
    file (the app reads nothing else) and of the journal, and what was decided."""
    import shutil

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the same for every worker
    folder, made = shared / "corrected_home", shared / "corrected_home.json"
    with file_lock(shared / "corrected_home.lock"):
        if not made.exists():
            if folder.exists():
                pytest.fail(f"another worker failed to build the corrected serving file in {folder}")
            folder.mkdir()
            home = copy_built_home()  # this process's copy: the serving file is kept elsewhere
            use_home(home)
            try:
                from orchestration import runner

                decided = record_sample_corrections(home)
                summary = runner.run_months([CORRECTED_MONTH])
                assert summary.success, runner.format_summary(summary)
                shutil.copy2(home / "serving.duckdb", folder / "serving.duckdb")
                shutil.copytree(home / "corrections", folder / "corrections")  # the journal, to run again
            finally:
                use_home(built_home[0])
            made.write_text(json.dumps(decided, ensure_ascii=False), encoding="utf-8")
    return folder, json.loads(made.read_text(encoding="utf-8"))
