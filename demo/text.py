"""Column-wise text helpers that also work on empty columns (a tiny municipality has some)."""

from __future__ import annotations

import numpy as np


def zfill(values: np.ndarray, width: int) -> np.ndarray:
    """Integers as zero-padded text, as an object array."""
    values = np.asarray(values, dtype=np.int64)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    return np.char.zfill(values.astype(str), width).astype(object)


def concat(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of text columns and constants, as an object array."""
    arrays = [p for p in parts if not isinstance(p, str)]
    size = np.asarray(arrays[0]).size if arrays else 1
    out = np.full(size, "", dtype=object)
    for part in parts:
        out = out + (part if isinstance(part, str) else np.asarray(part, dtype=object))
    return out
