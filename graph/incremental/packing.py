"""How the ledger keeps a unit's rows and what its checks need again: compressed text.

Rows are N-Triples lines (a row never holds a line break: the N-Triples writer escapes them),
sorted, one a line; the rest is JSON: data, never code (a ledger may come with a project from
elsewhere).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from typing import Any


def pack_rows(rows: Iterable[str]) -> bytes:
    """Rows as the ledger keeps them: sorted, one a line (a row never holds a line break: the
    N-Triples writer escapes them), compressed."""
    return zlib.compress("\n".join(sorted(rows)).encode("utf-8"), 1)


def unpack_rows(data: bytes) -> frozenset[str]:
    text = zlib.decompress(data).decode("utf-8")
    return frozenset(text.split("\n")) if text else frozenset()


def packed(value: Any) -> bytes | None:
    """JSON, compressed: data, never code (a ledger may come with a project from elsewhere)."""
    if value is None:
        return None
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)


def unpacked(data: bytes | None) -> Any:
    return None if data is None else json.loads(zlib.decompress(data))
