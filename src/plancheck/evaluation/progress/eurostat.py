"""eurostat: observed against required compound annual growth (the EU SDG monitoring method).

``CAGR_o = (X_k / X_0)^(1/k) − 1`` since the base year and ``CAGR_r = (X_T / X_0)^(1/N) − 1`` from
the base value to the target by the target year, compared as ``R = d · CAGR_o / |CAGR_r|`` with
``d = +1`` when higher is better and ``−1`` when lower is better (Statistics Canada's published form
of the Eurostat-inspired ratio; it equals ``CAGR_o / CAGR_r`` whenever the target lies in the good
direction from the base). Categories, lower bounds inclusive: significant progress (R ≥ 0.95),
moderate progress (0.6 ≤ R < 0.95), insufficient progress (0 ≤ R < 0.6), movement away (R < 0).
Only significant progress counts as on track.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import ProgressMethod, cagr, empty_output, insufficient


class Eurostat(ProgressMethod):
    name = "eurostat"
    version = "1"
    source = (
        "Eurostat SDG monitoring report categories; ratio thresholds 0.95/0.6/0 as published by "
        "Statistics Canada's progress methodology (open-sdg docs) and implemented in sdg-build"
    )
    compounds = True

    def assess(self, frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame)


THRESHOLDS = (
    (0.95, "significant_progress"),
    (0.6, "moderate_progress"),
    (0.0, "insufficient_progress"),
)
AWAY = "movement_away"


def ratio_category(ratio: np.ndarray) -> np.ndarray:
    category = np.full(ratio.shape, AWAY, dtype=object)
    for bound, name in reversed(THRESHOLDS):
        category = np.where(ratio >= bound, name, category)
    return category


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    out = empty_output(frame.index)
    reason = insufficient(frame)
    k = (frame["tk"] - frame["t0"]).to_numpy(dtype=float)
    n = (frame["T"] - frame["t0"]).to_numpy(dtype=float)
    x0, xk, xT = (frame[c].to_numpy(dtype=float) for c in ("x0", "xk", "xT"))
    g = frame["growth"].to_numpy(dtype=float)
    observed = cagr(x0, xk, k)
    required = np.where(np.isnan(g), cagr(x0, xT, n), g)
    reason[(required == 0) & reason.isna()] = (
        "the target equals the base value: no growth is required"
    )
    direction = np.where(frame["higher"].to_numpy(dtype=bool), 1.0, -1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = direction * observed / np.abs(required)
    category = ratio_category(ratio)
    ok = reason.isna().to_numpy()
    out.loc[ok, "category"] = category[ok]
    out.loc[ok, "on_track"] = (category == THRESHOLDS[0][1])[ok]
    out.loc[ok, "observed_rate"] = observed[ok]
    out.loc[ok, "required_rate"] = required[ok]
    out.loc[ok, "score"] = ratio[ok]
    out["reason"] = reason
    return out
