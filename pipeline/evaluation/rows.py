"""Reading fields from prediction rows, whatever they are: schema records, dicts, table rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def get_field(row: Any, name: str) -> Any:
    """``row[name]`` or ``row.name``, with pandas' NaN/NA nulls turned into None."""
    v = row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v
