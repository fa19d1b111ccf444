"""Document number patterns such as ``INV-{YYYY}-{SEQ:04}``.

Tokens: ``{YYYY}`` and ``{YY}`` (the issue year), ``{MM}`` (the issue month) and
``{SEQ}`` or ``{SEQ:0N}`` (the sequence, zero-padded to N digits). A series that
restarts every year must show the year, or its numbers would repeat.
"""

import re
from datetime import date

from app.errors import ValidationError

TOKEN = re.compile(r"\{(YYYY|YY|MM|SEQ(?::0(\d))?)\}")
ALLOWED_TEXT = re.compile(r"^[A-Za-z0-9/_.#-]*$")
MAX_PATTERN = 40


def check_pattern(pattern: str, yearly_reset: bool) -> None:
    if not 1 <= len(pattern) <= MAX_PATTERN:
        raise ValidationError(f"pattern: 1 to {MAX_PATTERN} characters")
    tokens = [m.group(1) for m in TOKEN.finditer(pattern)]
    if sum(t.startswith("SEQ") for t in tokens) != 1:
        raise ValidationError("pattern: must contain {SEQ} (or {SEQ:04}) exactly once")
    if yearly_reset and not {"YYYY", "YY"} & set(tokens):
        raise ValidationError("pattern: a series that restarts every year must contain {YYYY}")
    if not ALLOWED_TEXT.match(TOKEN.sub("", pattern)):
        raise ValidationError("pattern: only letters, digits and - / _ . # around the tokens")


def format_number(pattern: str, seq: int, issued: date) -> str:
    def token(match: re.Match[str]) -> str:
        name, width = match.group(1), match.group(2)
        if name == "YYYY":
            return f"{issued.year:04d}"
        if name == "YY":
            return f"{issued.year % 100:02d}"
        if name == "MM":
            return f"{issued.month:02d}"
        return str(seq).zfill(int(width) if width else 1)

    return TOKEN.sub(token, pattern)
