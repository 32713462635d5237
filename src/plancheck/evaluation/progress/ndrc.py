"""ndrc: the time-progress requirement of Chinese plan monitoring (年度/中期评估).

After k of the plan's N years, a level or share target has achieved the share
``(X_k − X_0) / (X_T − X_0)`` of its required change; it meets the progress requirement when
that share is at least the time progress ``k / N``. An average-growth target g meets it when the
cumulative index ``X_k / X_0`` is at least ``(1 + g)^k``. Verdicts: 提前完成 (completed early: the
whole change achieved), 达到进度要求 (on schedule), 滞后 (lagging).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import ProgressMethod, empty_output, insufficient


class Ndrc(ProgressMethod):
    name = "ndrc"
    version = "1"
    source = (
        "NDRC and provincial mid-term evaluations of five-year plans (达到进度要求 / 滞后; "
        "the energy-intensity rule of 20/40/60/80/100 % of the five-year target by year 1…5)"
    )
    compounds = False

    def assess(self, frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame)


CATEGORIES = {"completed_early": "提前完成", "on_schedule": "达到进度要求", "lagging": "滞后"}


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    out = empty_output(frame.index)
    k = (frame["tk"] - frame["t0"]).to_numpy(dtype=float)
    n = (frame["T"] - frame["t0"]).to_numpy(dtype=float)
    x0, xk, xT = (frame[c].to_numpy(dtype=float) for c in ("x0", "xk", "xT"))
    g = frame["growth"].to_numpy(dtype=float)
    is_growth = ~np.isnan(g)
    reason = insufficient(frame)
    # Level targets only need a base and a latest value, not positive ones.
    level_reason = pd.Series(None, index=frame.index, dtype=object)
    level_reason[frame["tk"].isna()] = "no value up to the as-of year"
    level_reason[frame["x0"].isna() & level_reason.isna()] = "no value for the base year"
    level_reason[(frame["tk"] <= frame["t0"]) & level_reason.isna()] = (
        "only the base-year value: one point"
    )
    level_reason[(xT == x0) & level_reason.isna()] = (
        "the target equals the base value: no change is required"
    )
    reason = reason.where(is_growth, level_reason)
    with np.errstate(divide="ignore", invalid="ignore"):
        time_progress = k / n
        share = (xk - x0) / (xT - x0)
        index_observed = xk / x0
        index_required = np.power(1 + g, k)
    observed = np.where(is_growth, index_observed, share)
    required = np.where(is_growth, index_required, time_progress)
    higher = frame["higher"].to_numpy(dtype=bool)
    met_share = np.where(
        is_growth,
        np.where(higher, observed >= required, observed <= required),
        share >= time_progress,
    )
    done = ~is_growth & (share >= 1)
    category = np.where(done, "completed_early", np.where(met_share, "on_schedule", "lagging"))
    ok = reason.isna().to_numpy()
    out.loc[ok, "category"] = category[ok]
    out.loc[ok, "on_track"] = (done | met_share)[ok]
    out.loc[ok, "score"] = observed[ok]  # share of the change achieved, or the cumulative index
    out.loc[ok, "observed_rate"] = observed[ok]
    out.loc[ok, "required_rate"] = required[ok]
    out["reason"] = reason
    return out
