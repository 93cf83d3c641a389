"""Plain simplified Chinese from reprinted web text: traditional characters and pinyin glosses.

Mirror and reprint sites serve the genre in traditional characters (開發區, 億元), and some of them
print a pinyin gloss after every character with more than one reading (開發(fā)區(qū), 項(xiàng)目). The
extractor's vocabulary, the reference names and the fact contract are simplified, so such text
is converted before anything reads it. The conversion is OpenCC's `t2s` (a maintained
dictionary, not a table of our own), applied only to text that shows traditional characters:
OpenCC also rewrites a few characters that are valid simplified text (乾, 於, 後), and a
simplified report must come out of normalisation as it went in.
"""

from __future__ import annotations

import functools
import re

REPRINT_SIGNS_WITHIN = 3000  # characters
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A gloss: a bracketed pinyin syllable with a tone mark right after a hanzi. Brackets holding
# Chinese, digits or plain Latin words (GDP, PPP) are not glosses.
PINYIN_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{TONED}]*[{TONED}])[a-z{TONED}]{{1,7}}[)）]")


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def _traditional_re() -> re.Pattern:
    """Characters that only traditional text uses: those OpenCC changes that are not GB2312
    simplified characters themselves (乾, 於 and 後 are, and stay out of the trigger)."""
    chars = "".join(map(chr, range(0x4E00, 0xA000)))
    converted = _converter().convert(chars)
    only_traditional = []
    for before, after in zip(chars, converted, strict=True):
        if before != after:
            try:
                before.encode("gb2312")
            except UnicodeEncodeError:
                only_traditional.append(before)
    return re.compile("[" + "".join(only_traditional) + "]")


# One pattern per bracket: a literal first character lets `re` skip ahead (a class does not).
GLOSS_STARTS = (re.compile(f"\\([a-z]*[{TONED}]"), re.compile(f"（[a-z]*[{TONED}]"))


def looks_reprinted(head: str) -> bool:
    """Pinyin glosses or traditional-only characters in a text's first lines (a reprint shows from
    them). Most texts are plain simplified text, all GB2312, which one encode tells at C speed."""
    if any(gloss.search(head) for gloss in GLOSS_STARTS):
        return True
    try:
        head.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return bool(_traditional_re().search(head))


def to_simplified(text: str) -> str:
    """The text without pinyin glosses, in simplified characters converted one for one."""
    if not looks_reprinted(text[:REPRINT_SIGNS_WITHIN]):
        return text
    text = PINYIN_GLOSS.sub("", text)
    if not _traditional_re().search(text):
        return text
    converted = _converter().convert(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert one by one
        converted = "".join(_converter().convert(ch) for ch in text)
    return converted
