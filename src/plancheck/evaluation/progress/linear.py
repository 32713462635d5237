"""linear: least-squares line through the series, projected to the target year.

The line ``x = a + b t`` is fitted to every value from the base year to --as-of (at least two
years). The target is on track when the line's value in the target year meets the target; the
result also gives the year the line reaches the target value (``projected_year``), if it does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import ProgressMethod, empty_output


class Linear(ProgressMethod):
    name = "linear"
    version = "1"
    source = "ordinary least squares on the observed series"
    compounds = False

    def assess(self, frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame)


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    out = empty_output(frame.index)
    n, st, sy, stt, sty = (frame[c].to_numpy(dtype=float) for c in ("n", "st", "sy", "stt", "sty"))
    reason = pd.Series(None, index=frame.index, dtype=object)
    reason[frame["n"].fillna(0) < 2] = "fewer than two values from the base year on"
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (n * sty - st * sy) / (n * stt - st * st)
        intercept = (sy - slope * st) / n
        t0 = frame["t0"].to_numpy(dtype=float)
        years_to_target = frame["T"].to_numpy(dtype=float) - t0
        g = frame["growth"].to_numpy(dtype=float)
        x0 = frame["x0"].to_numpy(dtype=float)
        target = np.where(
            np.isnan(g), frame["xT"].to_numpy(dtype=float), x0 * np.power(1 + g, years_to_target)
        )
        projected = intercept + slope * years_to_target
        reach = t0 + (target - intercept) / slope
    higher = frame["higher"].to_numpy(dtype=bool)
    meets = np.where(higher, projected >= target, projected <= target)
    heading = np.where(higher, slope > 0, slope < 0)
    reach = np.where(heading & np.isfinite(reach), np.ceil(reach - 1e-9), np.nan)
    ok = reason.isna().to_numpy() & np.isfinite(projected)
    out.loc[ok, "category"] = np.where(meets, "projected_to_meet", "projected_to_miss")[ok]
    out.loc[ok, "on_track"] = meets[ok]
    out.loc[ok, "observed_rate"] = slope[ok]
    out.loc[ok, "projected_value"] = projected[ok]
    out.loc[ok, "projected_year"] = reach[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        out.loc[ok, "score"] = ((projected - x0) / (target - x0))[ok]
    out["reason"] = reason
    return out
