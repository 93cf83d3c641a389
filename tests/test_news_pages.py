"""News pages in the shapes real published pages give the genre (devzone/synthetic/news.py): the
extractor reads every shape exactly, in simplified and in traditional reprints (issue 9)."""

import collections
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from devzone.extraction import extract_text  # noqa: E402
from devzone.synthetic.news import SHAPES, generate_pages  # noqa: E402


def test_every_shape_of_news_page_is_read_exactly(scorer):
    pages = generate_pages(180, seed=2024)
    assert collections.Counter(doc.split("_", 3)[3][:-4] for doc, _, _ in pages) == {s: 30 for s in SHAPES}
    expected = [f for _, _, facts in pages for f in facts]
    actual = [f for doc, text, _ in pages for f in extract_text(text, doc, None)]
    result = scorer.score(expected, actual)
    assert (result["precision"], result["recall"]) == (1.0, 1.0), result


def test_the_generator_is_deterministic():
    assert generate_pages(12, seed=5) == generate_pages(12, seed=5)
