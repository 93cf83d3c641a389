import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_REPORT = SHARED / "seeds" / "000_ba67b8aa7711c97e.txt"
SEED_FACTS = SHARED / "acceptance" / "seed_facts.jsonl"
SCORE_PY = SHARED / "acceptance" / "score.py"
SAMPLES = ROOT / "samples"
SAMPLE_MONTHS = sorted(p.name for p in (SAMPLES / "reports").iterdir())


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


@pytest.fixture(scope="session")
def built_home(tmp_path_factory):
    """The session's warehouse: every sample month landed and published by one pipeline run (a
    single-run backfill). Tests that change inputs work on copies of it."""
    home = tmp_path_factory.mktemp("devzone_home")
    use_home(home)
    from orchestration import runner
    from orchestration.partitions import monthly

    runner.copy_samples(SAMPLES / "reports", home / "landing")
    # Every sample month in one run: a single-run backfill over the months' range.
    keys = monthly.get_partition_keys()
    span = keys[keys.index(SAMPLE_MONTHS[0]) : keys.index(SAMPLE_MONTHS[-1]) + 1]
    return home, {"backfill": runner.run_months(span)}


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
