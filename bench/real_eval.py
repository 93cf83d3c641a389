#!/usr/bin/env python3
"""Precision, recall and F1 of the extractor on the real-text development set (`samples/real/`).

    .venv/bin/python bench/real_eval.py [--verbose [PAGE_ID ...]] [--markdown]

The set is real public pages about development zones that no one here wrote. The repository
keeps only our labels (`samples/real/labels/`) and each page's address, query words and SHA-256
(`samples/real/pages.jsonl`); the page texts live in the git-ignored `samples/real/texts/` and are
scored when present (see `samples/real/README.md` for how to obtain them again). Each page is
read through the same path as a landed report (`read_document` → `extract_document`) and scored
with the acceptance scorer (`../shared/acceptance/score.py`, imported by path), page by page and
pooled: overall, Shanxi's pages alone, per kind of page and per script. The last line is the
summary. With --verbose, every miss and extra row of the named pages (all when none is named);
with --markdown, the per-page table as Markdown for `docs/extraction.md`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devzone.extraction import extract_document, read_document  # noqa: E402
from devzone.extraction.reference import load_reference  # noqa: E402

REAL = ROOT / "samples" / "real"
SCORER = Path(os.environ.get("DEVZONE_SCORER", ROOT.parent / "shared" / "acceptance" / "score.py"))
GOALS = {"precision": 0.95, "f1": 0.90}


def load_scorer():
    spec = importlib.util.spec_from_file_location("acceptance_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages() -> list[dict]:
    lines = (REAL / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def labels(page_id: str) -> list[dict]:
    path = REAL / "labels" / f"{page_id}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_line(name: str, s: dict) -> str:
    return (
        f"{name:<34} {s['expected']:>4} {s['emitted']:>4} {s['correct']:>4}   "
        f"{s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", nargs="*", metavar="PAGE_ID")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    scorer = load_scorer()
    ref = load_reference()

    present, missing, changed = [], [], []
    for page in load_pages():
        path = REAL / "texts" / f"{page['id']}.txt"
        if not path.exists():
            missing.append(page["id"])
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != page["sha256"]:
            changed.append(page["id"])
        present.append((page, path))
    if not present:
        print(
            f"no page texts in {REAL / 'texts'}: nothing to score ({len(missing)} pages listed; "
            "see samples/real/README.md to obtain them)"
        )
        return 0

    rows, pooled = [], defaultdict(lambda: ([], []))
    for page, path in present:
        expected = labels(page["id"])
        actual = extract_document(read_document(path), None, ref).facts
        verbose = args.verbose is not None and (not args.verbose or page["id"] in args.verbose)
        out = io.StringIO()
        s = scorer.score(expected, actual, verbose, out)
        rows.append((page, s))
        if verbose and out.getvalue():
            print(f"--- {page['id']}\n{out.getvalue()}", end="")
        groups = ["overall", f"kind:{page['kind']}", f"script:{page['script']}"]
        if page["province"] == "山西":
            groups.append("shanxi")
        for g in groups:
            pooled[g][0].extend(expected)
            pooled[g][1].extend(actual)

    totals = {g: scorer.score(e, a) for g, (e, a) in sorted(pooled.items())}
    if args.markdown:
        print("| page | province | kind | script | expected | emitted | correct | precision | recall | F1 |")
        print("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
        for page, s in rows:
            figures = " | ".join(
                "—" if not s["expected"] and not s["emitted"] else f"{s[k]:.3f}" for k in ("precision", "recall", "f1")
            )  # nothing to find, nothing found
            print(
                f"| {page['id']} | {page['province']} | {page['kind']} | {page['script']} | {s['expected']} | "
                f"{s['emitted']} | {s['correct']} | {figures} |"
            )
        for g, s in totals.items():
            print(
                f"| **{g}** | | | | {s['expected']} | {s['emitted']} | {s['correct']} | "
                f"{s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"
            )
    else:
        print(f"{'page':<34} {'exp':>4} {'emit':>4} {'ok':>4}   prec   rec    f1")
        for page, s in rows:
            print(score_line(page["id"], s))
        print()
        for g, s in totals.items():
            print(score_line(g, s))
    if missing:
        print(f"\n{len(missing)} listed pages have no text here: {', '.join(missing)}")
    if changed:
        print(f"text differs from the recorded SHA-256 (scored anyway): {', '.join(changed)}")
    o, sx = totals["overall"], totals.get("shanxi")
    summary = (
        f"real pages: {len(present)} scored, precision={o['precision']:.3f} recall={o['recall']:.3f} f1={o['f1']:.3f}"
    )
    if sx:
        summary += f"; Shanxi: precision={sx['precision']:.3f} f1={sx['f1']:.3f}"
    met = all(t[k] >= v for t in (o, sx or o) for k, v in GOALS.items())
    print(summary + f" (goal precision>={GOALS['precision']}, f1>={GOALS['f1']}: {'PASS' if met else 'FAIL'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
