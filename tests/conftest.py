import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_REPORT = SHARED / "seeds" / "000_ba67b8aa7711c97e.txt"
SEED_FACTS = SHARED / "acceptance" / "seed_facts.jsonl"
SCORE_PY = SHARED / "acceptance" / "score.py"
SAMPLES = ROOT / "samples"
SAMPLE_MONTHS = sorted(p.name for p in (SAMPLES / "reports").iterdir())


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
    from orchestration.definitions import monthly

    runner.copy_samples(SAMPLES / "reports", home / "landing")
    # Every sample month in one run: a single-run backfill over the months' range.
    keys = monthly.get_partition_keys()
    span = keys[keys.index(SAMPLE_MONTHS[0]): keys.index(SAMPLE_MONTHS[-1]) + 1]
    return home, {"backfill": runner.run_months(span)}
