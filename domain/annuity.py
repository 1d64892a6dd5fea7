"""Life-annuity factors and expected-payment weights for the RIPS liability, shared by the exact
per-person path and the NumPy what-if path, so both give the same kronor by construction.

Reading (RIPS 07 [S26]: the reserve is the present value of the earned pension): the pension is
paid monthly in advance, 1/12 of the yearly amount at the start of each month, the first month
right after the calculation date; a person whose age in completed months is ``a`` is paid at month
k (k = 0, 1, ...) when a + k >= the start month (payment age × 12). With D(m) = v^(m/12) l(m) and
N(m) = sum of D(k) for k >= m, the factor of 1 krona a year is

    factor(a, start) = N(max(a, start)) / (12 D(a))

(a deferred annuity before the start, an immediate one from it), rounded half up to 8 decimals.
The real discount rate values a price-indexed amount at today's level (RIPS 17 [S38]).

The expected payments of a calendar year are weights × amount, undiscounted: the weight of a year
is sum l(a + k) / (12 l(a)) over the paid months k of that year, computed in integers (l scaled by
10^12, rounded half up) and rounded half up to 8 decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

import numpy as np

from domain.mortality import PRECISION, monthly_survival

FACTOR_SCALE = 10**8  # factors and weights are multiples of 1e-8
_FACTOR_QUANTUM = Decimal(1) / FACTOR_SCALE
_L_SCALE = 10**12


@lru_cache(maxsize=256)
def annuity_factors(code: str, sex: str, rate: Decimal, start_month: int) -> tuple[Decimal, ...]:
    """factor(a, start_month) for every age in months a = 0 .. max_age*12 (0 where l(a) = 0)."""
    survival = monthly_survival(code, sex)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        v_month = (Decimal(1) / (Decimal(1) + rate)) ** (Decimal(1) / 12) if rate else Decimal(1)
        d: list[Decimal] = []
        discount = Decimal(1)
        for value in survival:
            d.append(discount * value)
            discount *= v_month
        n = [Decimal(0)] * (len(d) + 1)
        for m in range(len(d) - 1, -1, -1):
            n[m] = n[m + 1] + d[m]
        out = []
        for a, da in enumerate(d):
            if da == 0:
                out.append(Decimal(0))
                continue
            out.append((n[max(a, start_month)] / (12 * da)).quantize(_FACTOR_QUANTUM, rounding=ROUND_HALF_UP))
    return tuple(out)


@lru_cache(maxsize=256)
def annuity_factor_array(code: str, sex: str, rate: Decimal, start_month: int) -> np.ndarray:
    """The same factors as int64 multiples of 1e-8 (for the NumPy path)."""
    return np.array([int(f * FACTOR_SCALE) for f in annuity_factors(code, sex, rate, start_month)], dtype=np.int64)


@lru_cache(maxsize=32)
def _scaled_survival(code: str, sex: str) -> tuple[np.ndarray, np.ndarray]:
    """l scaled by 10^12 as int64 (half up) and its prefix sums (cum[m] = sum of l(j), j < m)."""
    scaled = [int((v * _L_SCALE).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in monthly_survival(code, sex)]
    values = np.array(scaled, dtype=np.int64)
    cum = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=cum[1:])
    return values, cum


@lru_cache(maxsize=65536)
def payment_weights(code: str, sex: str, age_month: int, start_month: int, first_month: int) -> tuple[tuple[int, int], ...]:
    """(year offset, weight × 1e8) of the expected payments of 1 krona a year, for each calendar
    year with a payment. Month k after the calculation date falls in year offset
    (first_month + k) // 12, where first_month is the calculation date's month (1-12): offset 1 is
    the year after the calculation date's year."""
    values, cum = _scaled_survival(code, sex)
    last = len(values) - 1  # l(last) = 0
    if age_month >= last or values[age_month] == 0:
        return ()
    k_first = max(0, start_month - age_month)
    k_end = last - age_month
    if k_first >= k_end:
        return ()
    offsets = np.arange((first_month + k_first) // 12, (first_month + k_end - 1) // 12 + 1)
    lo = np.maximum(offsets * 12 - first_month, k_first)
    hi = np.minimum(offsets * 12 - first_month + 12, k_end)
    diff = cum[age_month + hi] - cum[age_month + lo]  # <= 12 l(a) <= 1.2e13
    den = 12 * int(values[age_month])
    # diff * 1e8 / den, half up, in two int64 steps (diff * 1e4 and remainder * 1e4 stay < 9e18)
    q1, r1 = np.divmod(diff * 10**4, den)
    q2, r2 = np.divmod(r1 * 10**4, den)
    weight = q1 * 10**4 + q2 + (2 * r2 >= den)
    return tuple((int(o), int(w)) for o, w in zip(offsets, weight, strict=True) if w)


def age_in_months(birth, at) -> int:
    """Completed months of age on ``at`` (born 15 June 1960: 786 months on 31 December 2025)."""
    months = (at.year - birth.year) * 12 + at.month - birth.month
    return months - 1 if at.day < birth.day else months
