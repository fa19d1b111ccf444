"""JSON as our file formats write and read it: canonical bytes, and no duplicate keys.

A duplicate key is refused rather than letting the last one win, so two readers of
the same file (ours, a person, another tool) can never see different values.
"""

import json
from typing import Any


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads` that refuses a key given twice."""
    doc: dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise ValueError(f"duplicate key {key!r}")
        doc[key] = value
    return doc


def canonical(value: object) -> bytes:
    """Sorted keys, no spaces, ASCII: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
