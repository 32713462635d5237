"""Integer keys for (indicator, region, year), numbered by the catalogue's order.

The canonical actuals carry this key so that repeated rows are found, and targets joined to
their actuals, by hashing one 64-bit integer instead of three text columns (millions of rows
at national scale).
"""

from __future__ import annotations

import numpy as np

YEARS = 10_000  # years are four digits (the readers insist): key = pair * YEARS + year


def pair_keys(indicator_no: np.ndarray, region_no: np.ndarray, regions: int) -> np.ndarray:
    """One integer per (indicator, region) from their catalogue numbers; -1 where one is -1."""
    pair = indicator_no.astype("int64") * max(regions, 1) + region_no
    return np.where((indicator_no < 0) | (region_no < 0), -1, pair)


def row_keys(
    indicator_no: np.ndarray, region_no: np.ndarray, years: np.ndarray, regions: int
) -> np.ndarray:
    """The key of each row; negative where the indicator or region is unknown."""
    years = np.asarray(years, dtype="int64")
    if len(indicator_no) and min(indicator_no.min(), region_no.min()) >= 0:
        # Every name known (a table's kept rows): the arithmetic alone, no masks, in place.
        key = indicator_no.astype("int64")
        key *= max(regions, 1)
        key += region_no
        key *= YEARS
        key += years
        return key
    pairs = pair_keys(indicator_no, region_no, regions)
    return np.where(pairs < 0, -1, pairs * YEARS + years)
