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
            meta = expectation["meta"]
            row = (
                f"| {meta['severity'].upper()} | `{readable}` | {meta['rule'].replace('|', '/')} "
                f"| {meta['rule_zh'].replace('|', '/')} |"
            )
            assert row in readme, f"README lacks the rule of {suite}: {readable}"


def test_the_layout_table_names_every_top_level_folder_and_only_paths_that_exist():
    """The README's layout says where things live: every path it names exists, and every folder of
    the checkout that holds code or data is named."""
    import re
    import subprocess

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set()
    for row in layout.splitlines():
        if row.startswith("| `"):
            first_cell = row.split("|")[1]
            named |= {p.rstrip("/") for p in re.findall(r"`([^`]+)`", first_cell)}
    prefixes = {"orchestration/", "devzone/"}
    for path in named:
        candidates = [ROOT / path] + [ROOT / p / path for p in prefixes]
        assert any(c.exists() for c in candidates), f"README layout names {path}, which does not exist"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    top = {t.split("/")[0] for t in tracked if "/" in t and not t.startswith(".")}
    named_tops = {p.split("/")[0] for p in named}
    assert top <= named_tops, f"folders the layout does not name: {sorted(top - named_tops)}"
