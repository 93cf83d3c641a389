import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_REPORT = SHARED / "seeds" / "000_ba67b8aa7711c97e.txt"
SEED_FACTS = SHARED / "acceptance" / "seed_facts.jsonl"
SCORE_PY = SHARED / "acceptance" / "score.py"


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
