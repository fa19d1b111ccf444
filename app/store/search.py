"""Turning what a person types into a safe FTS5 query."""

import re

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def fts_query(text: str) -> str:
    """Each word becomes a quoted prefix term, all required: ``"acme"* "2026"*``.

    Quoting makes FTS5 operators in the input (AND, NEAR, quotes, colons) plain text.
    """
    terms = WORD.findall(text)[:MAX_TERMS]
    return " ".join(f'"{t}"*' for t in terms) or '""'
