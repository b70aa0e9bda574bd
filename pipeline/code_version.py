"""A key for "the code that made this": it changes whenever one of the source files does, so
a result kept from an earlier run (a carried-over workbook, a loaded StatBank snapshot) is made
again after an upgrade instead of trusted."""

from __future__ import annotations

import hashlib
from pathlib import Path


def code_key(*sources: Path) -> str:
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()
