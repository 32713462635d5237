"""unsd: the UN Statistics Division's progress assessment (SDG Progress Chart, 2023 method).

The value is extrapolated to the target year at the observed compound annual growth rate since
the base year, ``X̂_T = X_k (1 + CAGR_o)^(T − t_k)``, and the share of the required change it would
achieve, ``P = (X̂_T − X_0) / (X_T − X_0)``, is banded: P ≥ 0.95 target met or almost met (on track);
0.10 ≤ P < 0.95 fair progress, acceleration needed; P < 0.10 stagnation or regression. These three
bands are the 2023 Technical Note's method as transcribed by EUSTAT; the five-band variant of later
UN reports could not be verified and is not used (docs/methods.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import ProgressMethod, cagr, empty_output, insufficient


class Unsd(ProgressMethod):
    name = "unsd"
    version = "2023"
    source = "UN DESA Statistics Division, SDG Progress Chart Technical Note 2023, as transcribed by EUSTAT"
    compounds = True

    def assess(self, frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame)


BANDS = ((0.95, "target_met_or_almost_met"), (0.10, "fair_progress_acceleration_needed"))
AWAY = "stagnation_or_regression"


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    out = empty_output(frame.index)
    reason = insufficient(frame)
    k = (frame["tk"] - frame["t0"]).to_numpy(dtype=float)
    remaining = (frame["T"] - frame["tk"]).to_numpy(dtype=float)
    x0, xk, xT = (frame[c].to_numpy(dtype=float) for c in ("x0", "xk", "xT"))
    g = frame["growth"].to_numpy(dtype=float)
    n = (frame["T"] - frame["t0"]).to_numpy(dtype=float)
    target = np.where(np.isnan(g), xT, x0 * np.power(1 + g, n))
    observed = cagr(x0, xk, k)
    projected = xk * np.power(1 + observed, remaining)
    reason[(target == x0) & reason.isna()] = (
        "the target equals the base value: no change is required"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (projected - x0) / (target - x0)
    category = np.full(share.shape, AWAY, dtype=object)
    for bound, name in reversed(BANDS):
        category = np.where(share >= bound, name, category)
    ok = reason.isna().to_numpy()
    out.loc[ok, "category"] = category[ok]
    out.loc[ok, "on_track"] = (category == BANDS[0][1])[ok]
    out.loc[ok, "observed_rate"] = observed[ok]
    out.loc[ok, "score"] = share[ok]
    out.loc[ok, "projected_value"] = projected[ok]
    out["reason"] = reason
    return out
