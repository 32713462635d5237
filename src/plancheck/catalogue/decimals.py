"""A targets table's exact figures (``value``, ``value_max``) as Decimal objects, at positions.

A table built from the models holds them as Decimal objects. A table read from the cache (or
made as it is stored) holds them as their exact text, ``str(value)``, in pandas' Arrow text:
making 285,000 Decimals on every load costs more than all the rest of the table, while judging
reads a figure only at a near tie. ``Decimal(str(value))`` is ``value`` itself (same digits,
same exponent), so either form gives the same objects to whoever asks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def _made(text: object) -> Decimal | None:
    return Decimal(text) if isinstance(text, str) else None  # a missing text: no figure


class Decimals:
    """``column``'s figures: ``[i]`` → a Decimal or None; ``[rows]`` → an object array."""

    def __init__(self, column: pd.Series) -> None:
        self._objects: np.ndarray | None = None
        self._texts: pd.Series | None = None
        if column.dtype == object:
            self._objects = column.to_numpy()
        else:
            self._texts = column

    @overload
    def __getitem__(self, at: int) -> Any: ...  # a Decimal, or None: no figure
    @overload
    def __getitem__(self, at: np.ndarray) -> np.ndarray: ...
    def __getitem__(self, at: int | np.ndarray) -> Any:
        if self._objects is not None:
            return self._objects[at]
        assert self._texts is not None
        if not hasattr(at, "__len__"):
            return _made(self._texts.iloc[int(at)])
        import numpy as np

        texts = self._texts.iloc[at].tolist()
        made = np.empty(len(texts), dtype=object)
        made[:] = [_made(text) for text in texts]
        return made

    def floats(self) -> np.ndarray:
        """float() of each figure (NaN where none): ``float(Decimal(t))`` is ``float(t)``."""
        import numpy as np

        column = self._objects if self._objects is not None else self._texts
        assert column is not None
        given = column.tolist()
        return np.array([np.nan if v is None or v != v else float(v) for v in given], "float64")
