"""The what-if path of the RIPS liability: the organisation total for many reserve bases at once.

The same arithmetic as ``liability.person_reserve`` in integers: amounts in öre (int64), factors
and weights in 1e-8 (``domain.annuity``), a part's reserve = (öre × factor + 5e9) // 1e10 kronor
(half up, amounts are never negative), so the totals equal the exact path to the krona.
Expected payments: the amounts of parts with the same (sex, age, start) are summed first, then
multiplied by their weights in Python integers (exact, no overflow).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from domain.annuity import FACTOR_SCALE, age_in_months, annuity_factor_array, payment_weights
from domain.liability import (
    ZERO,
    LiabilityAssumptions,
    LiabilityTotals,
    ReserveBasis,
    make_totals,
    start_month,
)
from domain.mortality import sex_key

_HALF = 5 * 10**9  # half of 1e10 (öre × 1e-8 -> kronor)
_DIV = 10**10
_MAX_AGE = 4095  # months; beyond any table (survival 0), keeps (group, age) keys apart
_MAX_ORE = 10**9  # öre × factor (< 9e9) stays below 2^63 up to 10 million kronor a year


def _ore(amount: Decimal) -> int:
    scaled = amount * 100
    if scaled != scaled.to_integral_value() or scaled < 0:
        raise ValueError("amounts must be whole öre and not negative")
    return int(scaled)


def vector_totals(bases: Sequence[ReserveBasis], a: LiabilityAssumptions) -> LiabilityTotals:
    categories: dict[str, int] = {}
    # one row per benefit part
    person_cat: list[int] = []
    part_person: list[int] = []
    part_ore: list[int] = []
    part_before: list[bool] = []
    part_group: list[int] = []  # index into groups (sex, start)
    part_age: list[int] = []
    groups: dict[tuple[str, int], int] = {}
    at = a.at
    for i, basis in enumerate(bases):
        person_cat.append(categories.setdefault(basis.category, len(categories)))
        if not basis.benefits:
            continue
        age = min(max(0, age_in_months(basis.birth_date, at)), _MAX_AGE)
        sex = sex_key(basis.sex)
        for b in basis.benefits:
            key = (sex, start_month(b, a))
            part_group.append(groups.setdefault(key, len(groups)))
            part_person.append(i)
            part_ore.append(_ore(b.yearly_amount))
            part_before.append(b.earned_before_1998)
            part_age.append(age)
    n_cat = len(categories)
    before_by_cat = [0] * n_cat
    after_by_cat = [0] * n_cat
    expected: dict[int, int] = {}
    if part_ore:
        ore = np.array(part_ore, dtype=np.int64)
        ages = np.array(part_age, dtype=np.int64)
        group = np.array(part_group, dtype=np.int64)
        before = np.array(part_before, dtype=bool)
        cat = np.array(person_cat, dtype=np.int64)[np.array(part_person, dtype=np.int64)]
        factor = np.zeros(len(ore), dtype=np.int64)
        for (sex, start), g in groups.items():
            table = annuity_factor_array(a.mortality, sex, a.discount_rate, start)
            rows = group == g
            factor[rows] = table[np.minimum(ages[rows], len(table) - 1)]
        if int(ore.max()) <= _MAX_ORE:
            reserve = (ore * factor + _HALF) // _DIV
        else:  # very large amounts: Python integers
            reserve = np.array([(int(o) * int(f) + _HALF) // _DIV for o, f in zip(ore, factor, strict=True)],
                               dtype=object)
        for c in range(n_cat):
            in_cat = cat == c
            before_by_cat[c] = int(reserve[in_cat & before].sum())
            after_by_cat[c] = int(reserve[in_cat & ~before].sum())
        # expected payments: amounts summed per (sex, start, age), then × weights
        combined = (group * 4096 + ages)
        keys, inverse = np.unique(combined, return_inverse=True)
        sums = np.zeros(len(keys), dtype=object)
        np.add.at(sums, inverse, ore.astype(object))
        by_index = {g: key for key, g in groups.items()}
        for key_value, amount in zip(keys.tolist(), sums.tolist(), strict=True):
            sex, start = by_index[key_value // 4096]
            for offset, weight in payment_weights(a.mortality, sex, key_value % 4096, start, at.month):
                year = at.year + offset
                expected[year] = expected.get(year, 0) + amount * weight
    names = list(categories)
    by_category = {
        names[c]: (Decimal(before_by_cat[c]), Decimal(after_by_cat[c])) for c in range(n_cat)
    }
    scale = Decimal(100 * FACTOR_SCALE)
    return make_totals(
        persons=len(bases),
        before=Decimal(sum(before_by_cat)) if n_cat else ZERO,
        after=Decimal(sum(after_by_cat)) if n_cat else ZERO,
        by_category=by_category,
        expected={y: Decimal(v) / scale for y, v in expected.items()},
        rate=a.payroll_tax_rate if bases else ZERO,  # as total_liability of no reserves
    )
