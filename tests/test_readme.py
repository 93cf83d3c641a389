"""The README explains every quality rule with its severity (its table is generated from the suites)."""

import json

from conftest import ROOT

from devzone import quality


def test_every_expectation_is_explained_in_the_readme_with_its_severity():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# devzone\n\n```sh\nmake run")
    for suite in quality.SUITE_NAMES:
        data = json.loads((ROOT / "expectations" / f"{suite}.json").read_text(encoding="utf-8"))
        for expectation, readable in zip(data["expectations"], quality.readable_ids(data["expectations"]), strict=True):
            row = f"| {expectation['meta']['severity'].upper()} | `{readable}` | {expectation['meta']['rule'].replace('|', '/')} |"
            assert row in readme, f"README lacks the rule of {suite}: {readable}"
