"""A lookahead of the characters a regex's match can start with, to let `re` skip positions.

`re` tries an alternation of groups at every position of the text; prefixed with `(?=[…])` of the
characters the groups can start with, it skips most positions at once (the extractor's scans ran
three times slower without it). The first characters are read from the pattern's parse tree,
which only `re`'s own parser gives: `re._parser`, not a public API. So this is the one place that
touches it, `tests/test_extraction_wordings.py` pins its answers, and if a Python release moves
the parser the prefix is left out (the same matches, found more slowly) rather than failing.
"""

from __future__ import annotations

import re


def first_chars_lookahead(pattern: str) -> str:
    """`(?=[…])` of the characters a match of `pattern` can start with; '' when they cannot be
    known (the parser is unavailable). Raises ValueError when `pattern` can match the empty string
    or uses a construct this reading does not handle, so a new pattern is never silently slower."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]
    except ImportError:
        return ""
    return f"(?={first_chars(pattern, _parser, _constants)})"


def first_chars(pattern: str, parser, c) -> str:
    """A character class of what a match of `pattern` can start with."""
    chars: set[str] = set()
    digits = False

    def walk(items) -> bool:  # True when the sequence can match empty (look further)
        nonlocal digits
        for op, arg in items:
            if op is c.LITERAL:
                chars.add(chr(arg))
                return False
            if op is c.IN:
                for kind, value in arg:
                    if kind is c.LITERAL:
                        chars.add(chr(value))
                    elif kind is c.RANGE:
                        chars.update(map(chr, range(value[0], value[1] + 1)))
                    elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                        digits = True
                    else:
                        raise ValueError(f"no first-character class for {pattern!r}")
                return False
            if op is c.BRANCH:
                if not any([walk(branch) for branch in arg[1]]):
                    return False
            elif op is c.SUBPATTERN:
                if not walk(arg[3]):
                    return False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                if not walk(arg[2]) and arg[0] > 0:
                    return False
            elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            else:
                raise ValueError(f"no first-character class for {pattern!r}")
        return True

    if walk(parser.parse(pattern)):
        raise ValueError(f"{pattern!r} can match the empty string")
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + ("\\d" if digits else "") + "]"
