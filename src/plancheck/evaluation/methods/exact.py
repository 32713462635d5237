"""Exact decimals, vectorised: each value an int64 numerator over an int64 denominator.

``51.50`` is 5150/100 and equals ``51.5`` (515/10); a unit factor such as 万元 → 亿元 is 1/10000,
so ``0.027`` (fraction) times 100 is exactly ``2.7`` (percent). Products and cross-multiplications
stay in int64 while they provably fit (checked in float64 with a factor-2 margin below 2^63); a
value that does not fit (more than 18 digits, an exponent, a huge product) is marked not
``exact`` and its caller compares it with :class:`~fractions.Fraction` instead, one row at a time.
At national scale that leaves a handful of rows, where a loop over all of them cost seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

_LIMIT = 2.0**62  # |x| below this in float64 means |x| < 2^63 exactly, with room for rounding
_INT64_MAX = 2**63 - 1
_MAX_DIGITS = 18  # 10^18 < 2^63: any 18-digit integer fits


@dataclass(frozen=True)
class Rationals:
    """num / den per row (den > 0, reduced); where ``exact`` is False the pair means nothing."""

    num: np.ndarray  # int64
    den: np.ndarray  # int64
    exact: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.num)

    def __mul__(self, other: Rationals) -> Rationals:
        num, num_fits = _product(self.num, other.num)
        den, den_fits = _product(self.den, other.den)
        return _reduced(num, den, self.exact & other.exact & num_fits & den_fits)

    def __add__(self, other: Rationals) -> Rationals:
        left, left_fits = _product(self.num, other.den)
        right, right_fits = _product(other.num, self.den)
        den, den_fits = _product(self.den, other.den)
        # |left|, |right| < 2^62 each, so their sum fits in int64.
        fits = left_fits & right_fits & den_fits
        return _reduced(left + right, den, self.exact & other.exact & fits)

    def __truediv__(self, other: Rationals) -> Rationals:
        """self / other, for a non-zero ``other`` (a zero divisor leaves the row not exact)."""
        sign = np.where(other.num < 0, -1, 1)
        inverse = Rationals(other.den * sign, np.abs(other.num), other.exact & (other.num != 0))
        return self * inverse

    def take(self, rows: np.ndarray) -> Rationals:
        return Rationals(self.num[rows], self.den[rows], self.exact[rows])

    def where(self, mask: np.ndarray, other: Rationals) -> Rationals:
        """This value where ``mask`` holds, else ``other``'s."""
        return Rationals(
            np.where(mask, self.num, other.num),
            np.where(mask, self.den, other.den),
            np.where(mask, self.exact, other.exact),
        )

    def power(self, exponents: np.ndarray) -> Rationals:
        """Each value to a small non-negative integer power (repeated products, checked)."""
        exponents = np.asarray(exponents, dtype="int64")
        result = constant(1, len(self))
        for step in range(int(exponents.max(initial=0))):
            result = result.where(exponents <= step, result * self)
        return result

    def sign(self) -> np.ndarray:
        return np.sign(self.num)

    def floats(self) -> np.ndarray:
        """float(num / den), correctly rounded where both fit in 53 bits (NaN elsewhere)."""
        small = (np.abs(self.num) <= 2**53) & (self.den <= 2**53) & self.exact
        with np.errstate(invalid="ignore"):
            quotient = self.num.astype("float64") / self.den.astype("float64")
        return np.where(small, quotient, np.nan)

    def fraction(self, i: int) -> Fraction:
        return Fraction(int(self.num[i]), int(self.den[i]))


def constant(value: int, n: int) -> Rationals:
    return Rationals(
        np.full(n, value, dtype="int64"), np.ones(n, dtype="int64"), np.ones(n, dtype=bool)
    )


def ratio(numerator: int, denominator: int, n: int) -> Rationals:
    return Rationals(
        np.full(n, numerator, dtype="int64"),
        np.full(n, denominator, dtype="int64"),
        np.ones(n, dtype=bool),
    )


def compare(a: Rationals, b: Rationals) -> tuple[np.ndarray, np.ndarray]:
    """(sign of a − b, whether that sign is exact) per row."""
    left, left_fits = _product(a.num, b.den)
    right, right_fits = _product(b.num, a.den)
    # |left|, |right| < 2^62 each, so their difference fits in int64.
    return np.sign(left - right), a.exact & b.exact & left_fits & right_fits


def from_decimal_text(texts: Sequence[Any] | np.ndarray | pd.Series) -> Rationals:
    """Decimal text (``-12.50``, ``.5``, ``7``) → rationals; exponents and long numbers not exact.

    A text is read when it is an optional sign, then digits with at most one point among them
    (at least one digit, at most 18): told by Arrow's plain string kernels, without a regex.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = _arrow_strings(texts)
    n = len(array)
    if n == 0:
        return constant(0, 0)
    array = pc.fill_null(array, "")
    negative = pc.starts_with(array, "-")
    signed = pc.or_(negative, pc.starts_with(array, "+"))
    unsigned = pc.if_else(signed, pc.utf8_slice_codeunits(array, 1), array)
    digits = pc.replace_substring(unsigned, ".", "", max_replacements=1)
    count = pc.utf8_length(digits)
    usable = pc.and_(pc.ascii_is_decimal(digits), pc.less_equal(count, _MAX_DIGITS))
    usable_mask = usable.to_numpy(zero_copy_only=False)
    magnitude = pc.cast(pc.if_else(usable, digits, "0"), pa.int64()).to_numpy()
    num = np.where(negative.to_numpy(zero_copy_only=False), -magnitude, magnitude)
    dot = pc.find_substring(array, ".").to_numpy()
    length = pc.utf8_length(array).to_numpy()
    scale = np.where(usable_mask & (dot >= 0), length - dot - 1, 0).astype("int64")
    den = np.power(np.int64(10), scale)
    return _reduced(num.astype("int64"), den, usable_mask.astype(bool))


def _arrow_strings(texts: Sequence[Any] | np.ndarray | pd.Series) -> Any:
    """The texts as an Arrow string array: taken as they are from an Arrow-backed column (no
    Python strings made), else converted (None is a null)."""
    import pyarrow as pa

    if isinstance(texts, pd.Series):
        dtype = texts.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            return pa.array(texts.array)
    return pa.array(np.asarray(texts, dtype=object), pa.string())


def from_objects(values: Sequence[Any] | np.ndarray | pd.Series) -> Rationals:
    """Decimal / Fraction / int objects → rationals, worked out once per distinct object.

    Objects are told apart by identity, which costs no hashing: the cached catalogue shares
    one object per distinct value, so 285,000 targets carry a few hundred factors. ``None``
    (no value) is not exact.
    """
    return _per_object(values, _pair_of)


def floats_of(values: Sequence[Any] | np.ndarray | pd.Series) -> np.ndarray:
    """float() of each Decimal / Fraction object, once per distinct object (None → NaN)."""
    made = _per_distinct(values, lambda v: np.nan if v is None else float(v))
    return np.asarray(made, dtype="float64")


def _pair_of(value: Any) -> tuple[int, int, bool]:
    if value is None:
        return 0, 1, False
    if isinstance(value, Decimal):
        if not value.is_finite():
            return 0, 1, False
        num, den = value.as_integer_ratio()  # in C: no Fraction made
    elif isinstance(value, Fraction | int):
        num, den = value.numerator, value.denominator
    else:
        return 0, 1, False  # a float is not a decimal as written
    fits = abs(num) <= _INT64_MAX and den <= _INT64_MAX
    return (num, den, True) if fits else (0, 1, False)


def _per_object(values: Any, pair: Callable[[Any], tuple[int, int, bool]]) -> Rationals:
    objects = np.asarray(values, dtype=object)
    ids = np.fromiter(map(id, objects), dtype="uint64", count=len(objects))
    distinct, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    pairs = [pair(v) for v in objects[first]]
    num = np.array([p[0] for p in pairs], dtype="int64")
    den = np.array([p[1] for p in pairs], dtype="int64")
    exact = np.array([p[2] for p in pairs], dtype=bool)
    inverse = inverse.reshape(-1)
    if len(distinct) == 0:
        return constant(0, 0)
    return Rationals(num[inverse], den[inverse], exact[inverse])


def _per_distinct(values: Any, make: Callable[[Any], Any]) -> np.ndarray:
    objects = np.asarray(values, dtype=object)
    if len(objects) == 0:
        return np.array([], dtype=object)
    ids = np.fromiter(map(id, objects), dtype="uint64", count=len(objects))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    made = np.array([make(v) for v in objects[first]], dtype=object)
    return made[inverse.reshape(-1)]


def _product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a * b in int64 and whether it fits (where it does not, the product is 0)."""
    fits = np.abs(a.astype("float64") * b.astype("float64")) < _LIMIT
    return np.where(fits, a * b, 0), fits


def _reduced(num: np.ndarray, den: np.ndarray, exact: np.ndarray) -> Rationals:
    num = np.where(exact, num, 0).astype("int64")
    den = np.where(exact, den, 1).astype("int64")
    common = np.gcd(num, den)
    common[common == 0] = 1
    return Rationals(num // common, den // common, exact)


def conversion_factors(given: np.ndarray, wanted: np.ndarray) -> Rationals:
    """The exact factor from each ``given`` unit to its ``wanted`` one, once per distinct pair."""
    from ... import units

    if len(given) == 0:
        return constant(1, 0)
    given_codes, _ = pd.factorize(given)
    wanted_codes, wanted_units = pd.factorize(wanted)
    pair_codes = given_codes.astype("int64") * len(wanted_units) + wanted_codes
    _, first, inverse = np.unique(pair_codes, return_index=True, return_inverse=True)
    factors = np.empty(len(first), dtype=object)
    factors[:] = [units.conversion_factor(str(given[i]), str(wanted[i])) for i in first.tolist()]
    made = from_objects(factors)
    inverse = inverse.reshape(-1)
    return Rationals(made.num[inverse], made.den[inverse], made.exact[inverse])
