"""The population path vectorised over persons with NumPy: the same rules as the per-person path,
in int64 öre, for a chunk of persons at once (issue 2: 140 000 employees in seconds).

Nothing here is a new rule. Each step repeats the kernel's arithmetic (``kernel.pu_core``,
``livranta.intjanad_livranta_amount``, ``livranta.livranta_kernel``, ``benefit.time_months``,
``fap.fap_micro``, ``entitlements.dc_contribution_kapkl``, ``eligibility.eligibility_2023``,
``projection.path_contributions``, ``comparison_numbers.comparison_numbers``) with the same
integer rounding (half up as ``(2n + d) // 2d``), across an array of persons; the sources are named
in those modules. ``tests/domain/test_batch_vectorised.py`` compares every figure with
``batch.evaluate_person`` on generated histories.

Exactness:
- Every kernel step is exact integer arithmetic already (öre, FÅP levels x 10 000), so the arrays
  give the same integers.
- Rates and Decimal products with terminating decimals (DC 4.5 %, AKAP-KR 6 / 31.5 %, the
  tilläggsavgift, the early-withdrawal factor, a salary x months / 12) are exact rationals: computed
  as integers and rounded half up like ``round_ore`` / ``round_krona``.
- A PBB ratio (``at_level``) is a 28-digit Decimal quotient in the per-person path: the exact
  rational rounding agrees with it except at an exact half, and those values are recomputed with
  the per-person path's Decimal expression (``comparison_numbers.at_level``).
- The DC capitals (growth (1 + r)^n from ``comparison_numbers._power_sums``) and the annuity are
  28-digit Decimals: computed here in float64 from the same Decimal factors, with a guard: a value
  closer to a rounding boundary (half an öre or half a krona) than a margin far above the float
  error (``_GUARD_*``) marks the row, and that row's capitals are recomputed with the per-person
  path's Decimal functions (``capital_at``, ``round_krona``) on the same contributions, in the
  register's order. Elsewhere float and Decimal round the same way.

The vectorised path covers the common case; everything else is left to the scalar population path
(``batch._evaluate``) row by row, with the reason counted in ``VectorStats``:
- for the whole population: a calculation year other than 2022 with base year 2023 (``at`` in 2023
  before 31 December), real salary growth other than 0, a retirement age outside 61..65, or
  parameters that differ from year to year where this module assumes one value;
- for a person: not exactly one employment, an IPR 1997 part above the ceiling, a salary year
  before 1990 or after 2022, a duplicate salary year, a salary that is not a whole number of öre
  or is negative, a missing parameter (birth year without FÅP levels), a retirement year before
  2023, and an IPR 1997 with öre when the register's IPR is read as today's level.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter

import numpy as np

from domain.benefit import benefit_levels
from domain.comparison_numbers import IPR_2022_YEAR, _power_sums, at_constants, capital_at
from domain.comparison_numbers import at_level as cn_at_level
from domain.entitlements import _dc_year
from domain.kernel import level_int, pbb_int, salary_threshold_ore, year_constants
from domain.livranta import _rules
from domain.money import round_krona
from domain.parameters import MissingParameter, parameter
from domain.projection import supplementary_rate_values, year_table

FIRST_YEAR = 1990  # first year with PBB and förhöjt PBB in the parameter files
CALCULATION_YEAR = 2022
BASE_YEAR = 2023
RATE_SCALE = 1_000_000  # rates as integers x 10^6 (0.045 -> 45 000)
MICRO = 1_000_000  # kernel.MICRO_PER_KRONA
_FAR = 10**9  # an ongoing employment's last month index (as kernel.Prepared)
_MAX_ORE = 10**11  # salaries above a billion kronor take the per-person path (int64 headroom)
# float64 guard: a value this close to a rounding boundary is recomputed in Decimal (the float
# error of these sums is below 1e-15 relative; the margin is 100 times that, plus an absolute part).
_GUARD_REL = 1e-13
_GUARD_ABS = 1e-7
_ZERO = Decimal(0)
_ONE = Decimal(1)
i64 = np.int64


def _rate(value: Decimal) -> int:
    scaled = Decimal(value) * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {value} has more than six decimals")
    return int(scaled)


def _ore(value: Decimal) -> int:
    scaled = Decimal(value) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} is not a whole number of öre")
    return int(scaled)


def _half_up(numerator, denominator):
    """numerator / denominator rounded half up, for numerator >= 0 (arrays or ints)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _guarded_round(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x (float, >= 0) rounded half up to an integer, and the rows too close to a half to trust."""
    floor = np.floor(x)
    unsafe = np.abs(x - floor - 0.5) <= _GUARD_ABS + _GUARD_REL * np.abs(x)
    return np.floor(x + 0.5).astype(i64), unsafe


@dataclass
class VectorStats:
    """How many persons took which path (for the benchmark's report)."""

    vectorised: int = 0
    scalar: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, reason: str, n: int = 1) -> None:
        self.scalar += n
        self.reasons[reason] = self.reasons.get(reason, 0) + n


class VectorTables:
    """The parameter values of one run, as integers; ``applies`` is False (with ``why``) when the
    population as a whole is outside what this module covers."""

    def __init__(self, at: date, assumptions):
        self.at = at
        self.assumptions = assumptions
        self.applies, self.why = self._check(at, assumptions)
        if not self.applies:
            return
        self.age = assumptions.retirement_age
        self.ncols = CALCULATION_YEAR - FIRST_YEAR + 1
        self.pbb = {y: pbb_int(y) for y in range(FIRST_YEAR, BASE_YEAR + 1)}
        self.window_pbb = {
            y: np.array([self.pbb[w] for w in range(y - 8, y - 1)], dtype=i64)
            for y in range(FIRST_YEAR + 8, CALCULATION_YEAR + 1)
        }
        thr = []
        for y in range(FIRST_YEAR, CALCULATION_YEAR + 1):
            t = salary_threshold_ore(y)
            thr.append(t if t is not None else np.iinfo(i64).max)
        self.high_threshold = np.array(thr, dtype=i64)
        self.fallback_latest = str(_rules(CALCULATION_YEAR)[2]) == "latest_year"
        self.yc = {y: year_constants(y) for y in range(2006, BASE_YEAR + 1)}
        self.livranta_from = int(_rules(CALCULATION_YEAR)[1])
        self.il_time_from = int(_rules(2006)[0])
        # KAP-KL DC per salary year (entitlements._dc_year): rate, cap in öre, age limit.
        self.dc = {}
        for y in range(FIRST_YEAR, CALCULATION_YEAR + 1):
            try:
                rules = _dc_year(y)
            except MissingParameter:
                continue
            self.dc[y] = (_rate(rules.rate), _ore(rules.cap), rules.min_age)
        # The comparison's constants.
        c = at_constants(at, assumptions.real_return, assumptions.payout_years)
        self.constants = c
        self.early = Decimal(1) - c.early_rate.value * max(0, (c.normal_age - self.age) * 12)
        self.early_num, self.early_den = self.early.as_integer_ratio()
        self.annuity = float(c.annuity)
        self.sums = _power_sums(assumptions.real_return)
        table = year_table(BASE_YEAR, BASE_YEAR)
        self.table = table
        self.k_rate, self.k_cap = _rate(table.kapkl_dc_rate), _ore(table.kapkl_dc_ceiling)
        self.a_below, self.a_above = _rate(table.akap_rate_below), _rate(table.akap_rate_above)
        self.a_bp, self.a_ceil = _ore(table.akap_breakpoint), _ore(table.akap_ceiling)
        self.a_small = _ore(table.akap_small_limit)
        self.supp_until = table.supplementary_until_age
        self.pbb_from, self.pbb_to = pbb_int(CALCULATION_YEAR), int(c.pbb_base)
        self.ibb_2022, self.ibb_target = int(c.ibb_2022.value), int(c.ibb_ipr_target.value)
        ipr_level = str(parameter("kapkl_ipr_value_level", date(CALCULATION_YEAR, 12, 31)).value)
        self.ipr_base = None if ipr_level == "current" else pbb_int(int(ipr_level))
        self._birth: dict[int, tuple | None] = {}
        from domain.campaign import choice_campaign
        from domain.parameters import ibb

        campaign = choice_campaign("2023")
        self.born_from, self.born_to = campaign.born_from, campaign.born_to
        self.eligibility_pu_threshold = _ore(campaign.pu_threshold_ibb * ibb(campaign.pu_at.year).value)

    @staticmethod
    def _check(at: date, a) -> tuple[bool, str]:
        if at.year != BASE_YEAR or (at.month, at.day) == (12, 31):
            return False, "calculation year other than 2022"
        if a.real_salary_growth != 0:
            return False, "real salary growth other than 0"
        normal = int(parameter("kapkl_normal_retirement_age", at).value)
        if not 61 <= a.retirement_age <= normal:
            return False, "retirement age outside 61..65"
        rules = {_rules(y) for y in range(2006, CALCULATION_YEAR + 1)}
        if len({(r[1], r[2]) for r in rules}) != 1:
            return False, "livränta parameters change between years"
        if str(parameter("kapkl_pu_short_history_fallback", date(CALCULATION_YEAR, 12, 31)).value) != \
                str(_rules(CALCULATION_YEAR)[2]):
            return False, "PU fallback parameter changes"
        return True, ""

    def birth(self, birth_year: int):
        """(lower, upper level x 10 000, tilläggsavgift rates x 10^6, same year table) or None."""
        found = self._birth.get(birth_year, False)
        if found is False:
            try:
                levels = benefit_levels(birth_year)
                below, above, _ = supplementary_rate_values(birth_year)
                retirement_year = birth_year + self.age
                same = retirement_year >= BASE_YEAR and year_table(retirement_year, BASE_YEAR) == self.table
                found = (level_int(levels.lower), level_int(levels.upper), _rate(below), _rate(above)) if same \
                    else None
            except (MissingParameter, ValueError):
                found = None
            self._birth[birth_year] = found
        return found


def extract(histories, vt: VectorTables, stats: VectorStats):
    """The inputs of the persons the vectorised path covers, as flat lists (one Python pass), and
    the indexes of the others. Salary values are checked in ``compute`` (an unusual one marks the
    row for the per-person path)."""
    pu_at = date(2022, 12, 31)
    q4_from, q1_from, q1_to = date(2022, 10, 1), date(2023, 1, 1), date(2023, 3, 31)
    from domain.campaign import choice_campaign
    from domain.money import monthly
    from domain.parameters import ibb

    campaign = choice_campaign("2023")
    if (campaign.pu_at, campaign.salary_test_at, campaign.employed_from, campaign.employed_to) != (
        pu_at, pu_at, q4_from, q1_to
    ):
        raise ValueError("campaign dates differ from 2023")
    monthly_threshold = monthly(campaign.pu_threshold_ibb * ibb(2022).value)
    granted_by = campaign.pension_granted_by
    rows, others = [], []
    counts, flat_years, flat_amounts = [], [], []
    scalars = []  # per covered person
    birth_rows = []
    birth = vt.birth
    get_year, get_amount = attrgetter("year"), attrgetter("amount")
    compensation = ("sickness_compensation", "activity_compensation")
    for i, h in enumerate(histories):
        emps = h.employments
        if len(emps) != 1 or h.ipr_1997_above_ceiling:
            stats.count("employments or IPR above the ceiling")
            others.append(i)
            continue
        born = h.birth_date
        b = birth(born.year)
        if b is None:
            stats.count("birth year (parameters, retirement year)")
            others.append(i)
            continue
        salaries = h.salaries
        counts.append(len(salaries))
        flat_years.extend(map(get_year, salaries))
        flat_amounts.extend(map(get_amount, salaries))
        j = emps[0]
        start, end = j.start, j.end
        # Eligibility (eligibility_2023's decisions, on the same Decimal inputs).
        if j.pay_type == "hourly" and start <= pu_at and (end is None or end >= pu_at):
            record = h.salary_by_year.get(2022)
            full_time = record.full_time_amount if record else None
            salary_passed = full_time is not None and full_time / 12 > monthly_threshold
        else:
            tested = h.fixed_monthly_salary_2022_12_31
            salary_passed = tested is not None and tested > monthly_threshold
        if end is None:
            r4 = start <= pu_at
            end_y, end_m, end_d = 9999, 12, 31
        else:
            r4 = start <= q1_to and end >= q4_from and (start <= pu_at and end >= q1_from)
            end_y, end_m, end_d = end.year, end.month, end.day
        granted = h.pension_granted_on is not None and h.pension_granted_on <= granted_by
        r5 = not granted and not h.sap_granted and not h.fap_in_payment
        r6 = not any(
            lv.kind in compensation and lv.start <= q1_to and (lv.end is None or lv.end >= pu_at)
            for lv in h.leaves
        ) if h.leaves else True
        rows.append(i)
        birth_rows.extend(b)
        scalars.extend((
            born.year, born.month, start.year, start.month, start.day, end_y, end_m, end_d,
            salary_passed, r4, r5, r6,
        ))
        flat_amounts.append(h.ipr_1997)  # the IPR travels with the salaries (same öre check)
    return rows, others, counts, flat_years, flat_amounts, scalars, birth_rows


def _pu(S, year: int, vt: VectorTables, cy0, cy1, latest_fallback: bool):
    """kernel.pu_core for every row at ``year`` (PBB-indexed five best of the first seven of the
    last nine; the short-history rule; the fallback), in öre."""
    pt = vt.pbb[year]
    c0 = year - 8 - FIRST_YEAR
    W = S[:, c0:c0 + 7]
    pis = vt.window_pbb[year]
    idx = (2 * pt) * W
    idx += pis
    idx //= 2 * pis  # half_up(s x PBB(year), PBB(y)); 0 where there is no salary
    n = np.count_nonzero(W, axis=1)
    idx.sort(axis=1)
    pu = idx[:, 2:].sum(axis=1)
    pu *= 2
    pu += 5
    pu //= 10
    short = np.flatnonzero((n > 0) & (n < 5))
    if len(short):
        # 1-4 years: the mean of the complete years, else of all years with salary (unsorted again).
        Ws = W[short]
        H = Ws > 0
        idx_s = (2 * Ws * pt + pis) // (2 * pis)
        yrs = np.arange(year - 8, year - 1)
        complete = H & (cy0[short, None] <= yrs) & (cy1[short, None] >= yrs)
        counted = np.where(complete.any(axis=1)[:, None], complete, H)
        total = (idx_s * counted).sum(axis=1)
        d = counted.sum(axis=1)
        pu[short] = (2 * total + d) // (2 * d)
    none = np.flatnonzero(n == 0)
    if len(none):
        best = np.zeros(len(none), dtype=i64)
        if latest_fallback:
            for y in (year - 1, year):
                if y > CALCULATION_YEAR:
                    continue
                s = S[none, y - FIRST_YEAR]
                best = np.maximum(best, (2 * s * pt + vt.pbb[y]) // (2 * vt.pbb[y]))
        pu[none] = best
    return pu


def _band(pu, yc, lower, upper):
    """kernel.band_micro: L1 x (min(PU, 20 IBB) - 7.5 IBB)+ + L2 x (min(PU, 30 IBB) - 20 IBB)+."""
    mid = np.minimum(pu, yc.band)
    top = np.minimum(pu, yc.ceiling)
    return lower * np.maximum(mid - yc.threshold, 0) + upper * np.maximum(top - yc.band, 0)


def _counted(a, b, lo, hi, now, min_spell):
    """kernel.Prepared.counted_months for one spell per row."""
    dropped = (b - a + 1 < min_spell) & (b < now)
    return np.where(dropped, 0, np.maximum(0, np.minimum(b, hi) - np.maximum(a, lo) + 1))


def _livranta(vt, S, sub, n, a, b, by, bm, cy0, cy1, high_from, il_2006, lower, upper):
    """livranta.livranta_kernel for the rows ``sub``: (livränta at Y, at 2022), 0 for the others."""
    S, a, b, by, bm, cy0, cy1, high_from, il_2006, lower, upper = (
        x[sub] for x in (S, a, b, by, bm, cy0, cy1, high_from, il_2006, lower, upper)
    )
    p2006 = vt.pbb[2006]
    previous = np.zeros(len(sub), dtype=i64)
    by_year = {}
    start = vt.livranta_from
    for t in range(start, CALCULATION_YEAR + 1):
        c = vt.yc[t]
        pt, before = vt.pbb[t], vt.pbb[t - 1]
        indexed_previous = _half_up(previous * pt, before) if pt > before else previous
        t_month = t * 12 + 11
        employed = (a <= t_month) & (b >= t_month - 11)
        active = employed & (t - by < c.normal_age) & (high_from <= t)
        first_t = (by + c.start_age) * 12 + bm
        last_t = (by + c.normal_age) * 12 + bm - 2
        pu_t = _pu(S, t, vt, cy0, cy1, vt.fallback_latest)
        hi = np.minimum(last_t, t_month)
        lo_2007 = np.maximum(first_t, start * 12)
        counts = (b - a + 1 >= c.min_spell) | (b >= t_month)
        since = np.where(counts, np.maximum(0, np.minimum(b, hi) - np.maximum(a, lo_2007) + 1), 0)
        earned_all = np.where(counts, np.maximum(0, np.minimum(b, hi) - np.maximum(a, first_t) + 1), 0)
        remaining = np.maximum(0, last_t - np.maximum(t_month + 1, first_t) + 1)
        cred = np.minimum(earned_all + remaining, c.full_months)
        il_t = np.where(il_2006 > 0, _half_up(il_2006 * pt, p2006), 0)
        denominator = since + remaining
        fap_den = c.full_months * MICRO
        diff = np.maximum(cred * _band(pu_t, c, lower, upper), 0) - il_t * fap_den
        ok = active & (pu_t > c.threshold) & (denominator > 0) & (diff > 0)
        d = np.maximum(denominator, 1)
        new = np.where(ok, (2 * since * np.maximum(diff, 0) + d * fap_den) // (2 * d * fap_den), 0)
        previous = np.where(active, np.maximum(new, indexed_previous), indexed_previous)
        by_year[t] = previous
    livranta = np.zeros(n, dtype=i64)
    livranta_2022 = np.zeros(n, dtype=i64)
    livranta[sub] = by_year[CALCULATION_YEAR]
    livranta_2022[sub] = by_year[IPR_2022_YEAR]
    return livranta, livranta_2022


def _runs(retirement_year: int, run_ore, last_ore) -> tuple:
    """projection.path_contributions' runs without growth: 2023..R-1 (if any), then R."""
    last = ((retirement_year, retirement_year, Decimal(int(last_ore)).scaleb(-2)),)
    if retirement_year > BASE_YEAR:
        return ((BASE_YEAR, retirement_year - 1, Decimal(int(run_ore)).scaleb(-2)),) + last
    return last


def compute(vt: VectorTables, n: int, counts, flat_years, flat_amounts, scalars, birth_rows):
    """All the ``Summary`` numbers of the covered rows, as arrays (see module docstring)."""
    cols = vt.ncols
    # Salaries (and each row's IPR after them) to öre: once per distinct Decimal value.
    ore_of: dict[Decimal, int] = {}
    for x in set(flat_amounts):
        q = x * 100
        ore_of[x] = int(q) if q == q.to_integral_value() and 0 <= q < _MAX_ORE else -1
    values = np.fromiter(map(ore_of.__getitem__, flat_amounts), dtype=i64, count=len(flat_amounts))
    counts = np.array(counts, dtype=i64)
    ends = np.cumsum(counts + 1) - 1  # position of each row's IPR
    ipr = values[ends]
    is_salary = np.ones(len(values), dtype=bool)
    is_salary[ends] = False
    values = values[is_salary]
    years = np.array(flat_years, dtype=i64)
    row_of = np.repeat(np.arange(n, dtype=i64), counts)
    bad = np.zeros(n, dtype=bool)
    # Unusual values take the per-person path: sub-öre or negative amounts, years outside the
    # columns, duplicate years.
    invalid = (values < 0) | (years < FIRST_YEAR) | (years > CALCULATION_YEAR)
    bad[row_of[invalid]] = True
    bad |= ipr < 0
    col = np.clip(years - FIRST_YEAR, 0, cols - 1)
    flat = row_of * cols + col
    present_count = np.bincount(flat, minlength=n * cols)
    bad |= (present_count.reshape(n, cols) > 1).any(axis=1)
    S = np.zeros(n * cols, dtype=i64)
    S[flat] = np.maximum(values, 0)
    S = S.reshape(n, cols)
    present = present_count.reshape(n, cols) > 0
    ipr = np.maximum(ipr, 0)
    # The salary path's last known year (any record, as projection.salary_path) and its salary.
    any_record = present.any(axis=1)
    last_col = cols - 1 - present[:, ::-1].argmax(axis=1)
    last_year = np.where(any_record, FIRST_YEAR + last_col, 0)
    last_salary = np.where(any_record, S[np.arange(n), last_col], 0)
    (by, bm, start_y, start_m, start_d, end_y, end_m, end_d, salary_passed, r4, r5, r6) = (
        np.array(scalars, dtype=i64).reshape(n, 12).T
    )
    salary_passed, r4, r5, r6 = (x.astype(bool) for x in (salary_passed, r4, r5, r6))
    a = start_y * 12 + start_m - 1
    ongoing_end = end_y == 9999
    b = np.where(ongoing_end, _FAR, end_y * 12 + end_m - 1).astype(i64)
    cy0 = np.where((start_m == 1) & (start_d == 1), start_y, start_y + 1)
    cy1 = np.where((end_m == 12) & (end_d == 31), end_y, end_y - 1)
    continues = ongoing_end | (end_y > last_year)
    # contributions.salary_months of the last known year: the months with the employment.
    lo = np.where(start_y == last_year, start_m, np.where(start_y < last_year, 1, 13))
    hi = np.where(end_y > last_year, 12, np.where(end_y == last_year, end_m, 0))
    months = np.where(hi >= lo, hi - lo + 1, 12)
    r1 = (by >= vt.born_from) & (by <= vt.born_to)
    lower, upper, s_below, s_above = np.array(birth_rows, dtype=i64).reshape(n, 4).T
    high = S > vt.high_threshold
    high_from = np.where(high.any(axis=1), FIRST_YEAR + high.argmax(axis=1), 9999)
    Y = CALCULATION_YEAR
    latest = vt.fallback_latest

    # Pensionsunderlag at the calculation point (kernel.pu_core).
    pu = _pu(S, Y, vt, cy0, cy1, latest)
    ycY = vt.yc[Y]
    first = (by + ycY.start_age) * 12 + bm
    last = (by + ycY.normal_age) * 12 + bm - 2

    # Time factor at the calculation point (benefit.time_months).
    now = Y * 12 + 11
    earned = np.minimum(_counted(a, b, first, np.minimum(last, now), now, ycY.min_spell), ycY.full_months)
    ongoing = (a <= now) & (now <= b)
    future = np.where(ongoing, np.maximum(0, last - np.maximum(now + 1, first) + 1), 0)
    credited = np.minimum(earned + future, ycY.full_months)

    # FÅP at 65 (fap.fap_micro; no IPR above the ceiling on this path).
    full_den = ycY.full_months * MICRO
    fap = np.where(
        (pu > ycY.threshold) & (high_from <= Y),
        _half_up(np.maximum(credited * _band(pu, ycY, lower, upper), 0), full_den), 0,
    )

    # Intjänad livränta per 2006-12-31 (livranta.intjanad_livranta_amount).
    y6 = vt.yc[2006]
    first6 = (by + y6.start_age) * 12 + bm
    last6 = (by + y6.normal_age) * 12 + bm - 2
    emp2006 = (a <= 2006 * 12 + 11) & (b >= 2006 * 12)
    months6 = _counted(a, b, np.maximum(first6, vt.il_time_from * 12), np.minimum(last6, 2006 * 12 + 11),
                       2006 * 12 + 11, y6.min_spell)
    pu6 = _pu(S, 2006, vt, cy0, cy1, latest)
    il_2006 = np.where(
        emp2006 & (pu6 > y6.threshold) & (high_from <= 2006),
        _half_up(months6 * _band(pu6, y6, lower, upper), y6.full_months * MICRO), 0,
    )
    p2006 = vt.pbb[2006]
    il_now = np.where(il_2006 > 0, _half_up(il_2006 * vt.pbb[Y], p2006), 0)

    # Calendar-year livränta 2007..Y (livranta.livranta_kernel), one year at a time for all rows
    # that ever had a salary above 7.5 IBB by Y (the others earn no livränta: it stays 0).
    livranta, livranta_2022 = _livranta(vt, S, np.flatnonzero(high_from <= Y), n, a, b, by, bm, cy0, cy1,
                                        high_from, il_2006, lower, upper)

    # IPR 1997 at the calculation year's level (fap.ipr_indexed).
    ipr = ipr.astype(i64)
    if vt.ipr_base is None:
        ipr_y = _half_up(ipr, 100)  # already kronor at today's level
        ipr_exact = ipr % 100 == 0
    else:
        ipr_y = _half_up(ipr * vt.pbb[Y], vt.ipr_base * 100)
        ipr_exact = np.ones(n, dtype=bool)

    # KAP-KL DC contributions up to the calculation year (entitlements.dc_contribution_kapkl).
    dc_years = sorted(vt.dc)
    dc = np.zeros((n, len(dc_years)), dtype=i64)
    for k, y in enumerate(dc_years):
        rate, cap, min_age = vt.dc[y]
        s = S[:, y - FIRST_YEAR]
        dc[:, k] = np.where((s > 0) & (y - by >= min_age), _half_up(np.minimum(s, cap) * rate, RATE_SCALE), 0)
    dc_sum = dc.sum(axis=1)
    has_dc = (dc > 0).any(axis=1)

    # Eligibility (eligibility_2023): PU at 2022-12-31 and the livränta test.
    r2 = pu > vt.eligibility_pu_threshold
    r3 = salary_passed | (il_2006 + livranta_2022 > 0)
    eligible = r1 & (r2 | r3) & r4 & r5 & r6

    # The comparison (comparison_numbers) at the retirement age, no salary growth.
    pf, pt = vt.pbb_from, vt.pbb_to

    def at_level(amount_units, unit, times_one=False):
        """round_krona(at_level(amount, 2022, 2023)) for amounts in 1/unit kronor. An exact half
        is recomputed with the per-person path's Decimal expression (its quotient is rounded)."""
        if pt <= pf:
            return _half_up(amount_units, unit)
        num, den = amount_units * pt, pf * unit
        out = _half_up(num, den)
        for k in np.flatnonzero((2 * num) % (2 * den) == den).tolist():
            amount = Decimal(int(amount_units[k])) / unit
            value = cn_at_level(amount, CALCULATION_YEAR, BASE_YEAR, vt.constants.pbb_base)
            out[k] = int(round_krona(value * _ONE if times_one else value))
        return out

    R = by + vt.age
    projected = at_level(pu, 100, times_one=True)  # x max(1, growth) = 1
    projected_ore = projected * 100
    yc23 = vt.yc[BASE_YEAR]
    fap_r = np.where(
        (projected_ore > yc23.threshold) & (high_from <= BASE_YEAR),
        _half_up(np.maximum(credited * _band(projected_ore, yc23, lower, upper), 0), ycY.full_months * MICRO), 0,
    )
    il_level = at_level(il_now, 1)
    livranta_level = at_level(livranta, 1)
    ipr_level = at_level(ipr_y, 1)
    en, ed = vt.early_num, vt.early_den

    def early(x):
        return _half_up(x * en, ed)

    stay_fap = early(fap_r)
    stay_il = early(il_level)
    stay_livranta = early(livranta_level)
    ipr_part = early(ipr_level)

    # Salary path and contributions (projection.salary_path, path_contributions).
    base = np.where(continues, np.where(months < 12, _half_up(last_salary * 12, months), last_salary), 0)

    def kapkl_dc(salary):
        return _half_up(np.minimum(salary, vt.k_cap) * vt.k_rate, RATE_SCALE)

    def akap(h):
        raw = np.minimum(h, vt.a_bp) * vt.a_below + np.maximum(np.minimum(h, vt.a_ceil) - vt.a_bp, 0) * vt.a_above
        amount = _half_up(raw, RATE_SCALE)
        return np.where((amount > 0) & (amount < vt.a_small), 0, amount)

    def supp(h):
        raw = np.minimum(h, vt.a_bp) * s_below + np.maximum(np.minimum(h, vt.a_ceil) - vt.a_bp, 0) * s_above
        return _half_up(raw, RATE_SCALE)

    half = _half_up(base * 6, 12)
    k1, a1, s1 = kapkl_dc(base), 2 * akap(half), 2 * supp(half)
    worked = np.where(bm == 12, base, _half_up(base * bm, 12))
    h1 = _half_up(base * np.minimum(bm, 6), 12)
    h2 = _half_up(base * np.maximum(bm - 6, 0), 12)
    supp_months = np.where(R == by + vt.supp_until, bm - 1, bm)
    sh1 = _half_up(base * np.minimum(supp_months, 6), 12)
    sh2 = _half_up(base * np.maximum(supp_months - 6, 0), 12)
    kR, aR, sR = kapkl_dc(worked), akap(h1) + akap(h2), supp(sh1) + supp(sh2)

    # Capitals (comparison_numbers.capital_at), float with the guard.
    sums = vt.sums
    r_values = sorted(set(R.tolist()))
    run_factor = {r: float(sums[r - 2022] - sums[1]) if r > BASE_YEAR else 0.0 for r in r_values}
    f1 = np.array([run_factor[r] for r in R.tolist()]) if n else np.zeros(0)
    unsafe = np.zeros(n, dtype=bool)

    def capital(amount_run, amount_last):
        x = amount_run.astype(float) * f1 + amount_last.astype(float)
        value, bad = _guarded_round(x)
        return value, bad

    after, bad1 = capital(k1, kR)
    akap_c, bad2 = capital(a1, aR)
    supp_c, bad3 = capital(s1, sR)
    before_factors = np.array(
        [[float(sums[r - y + 1] - sums[r - y]) for y in dc_years] for r in r_values]
    ).reshape(len(r_values), len(dc_years))
    row_of_r = np.searchsorted(np.array(r_values), R) if n else np.zeros(0, dtype=i64)
    before_x = (dc.astype(float) * before_factors[row_of_r]).sum(axis=1) if n else np.zeros(0)
    before, bad4 = _guarded_round(before_x)
    unsafe |= bad1 | bad2 | bad3 | bad4

    def annuity(capital_ore):
        value, bad = _guarded_round(capital_ore.astype(float) / 100 * vt.annuity)
        return value, bad

    stay_dc, bad5 = annuity(before + after)
    move_before, bad6 = annuity(before)
    move_akap, bad7 = annuity(akap_c)
    move_supp, bad8 = annuity(supp_c)
    unsafe |= bad5 | bad6 | bad7 | bad8
    # A capital near a rounding boundary: recomputed with the per-person path's own Decimal
    # functions on the same contributions, in the register's order of the salary years.
    unsafe &= ~bad
    if unsafe.any():
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).tolist()
        lengths = counts.tolist()
        dc_col = {y: k for k, y in enumerate(dc_years)}
        real_return, factor = vt.assumptions.real_return, vt.constants.annuity
        for k in np.flatnonzero(unsafe).tolist():
            r = int(R[k])
            register = flat_years[offsets[k]:offsets[k] + lengths[k]]
            dc_runs = tuple((y, y, Decimal(int(dc[k, dc_col[y]])).scaleb(-2)) for y in register if y in dc_col)
            before_d = capital_at(dc_runs, r, real_return)
            after_d = capital_at(_runs(r, k1[k], kR[k]), r, real_return)
            stay_dc[k] = int(round_krona((before_d + after_d) * factor))
            move_before[k] = int(round_krona(before_d * factor))
            move_akap[k] = int(round_krona(capital_at(_runs(r, a1[k], aR[k]), r, real_return) * factor))
            move_supp[k] = int(round_krona(capital_at(_runs(r, s1[k], sR[k]), r, real_return) * factor))
        unsafe[:] = False

    ipr_2022 = np.where(il_2006 > 0, _half_up(il_2006 * vt.pbb[IPR_2022_YEAR], p2006), 0) + livranta_2022
    indexed = _half_up(ipr_2022 * vt.ibb_target, vt.ibb_2022)
    move_ipr = early(indexed)
    unsafe |= ~ipr_exact | bad
    return dict(
        eligible=eligible, r1=r1, r2=r2, r3=r3, r4=r4, r5=r5, r6=r6,
        pu=pu, fap=fap, il_now=il_now, livranta=livranta, ipr=np.where(ipr > 0, ipr_y, 0),
        has_ipr=ipr > 0, dc_sum=dc_sum, has_dc=has_dc,
        with_fap=fap_r > 0, stay_fap=stay_fap, stay_il=stay_il, stay_livranta=stay_livranta,
        ipr_part=ipr_part, stay_dc=stay_dc, move_ipr=move_ipr, move_before=move_before,
        move_akap=move_akap, move_supp=move_supp, unsafe=unsafe,
    )


def summaries(histories, vt: VectorTables, stats: VectorStats, summary_type, scalar):
    """``Summary`` values for ``histories`` (a list), vectorised where covered; ``scalar(history)``
    (the per-person population path) for the other rows.

    The cyclic garbage collector is paused while the results are built: they are hundreds of
    thousands of small tuples without cycles, and each collection would walk every live history."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _summaries(histories, vt, stats, summary_type, scalar)
    finally:
        if enabled:
            gc.enable()


def _summaries(histories, vt: VectorTables, stats: VectorStats, summary_type, scalar):
    out: list = [None] * len(histories)
    rows, others, counts, flat_years, flat_amounts, scalars, birth_rows = extract(histories, vt, stats)
    if rows:
        r = compute(vt, len(rows), counts, flat_years, flat_amounts, scalars, birth_rows)
        dec = Decimal

        def decimals(values):
            # one Decimal per distinct value (amounts repeat: zeros, whole kronor)
            distinct, where = np.unique(values, return_inverse=True)
            found = list(map(dec, distinct.tolist()))
            return [found[k] for k in where.tolist()]

        def money(key):
            yearly = r[key]
            return yearly, decimals(yearly), decimals(_half_up(yearly, 12))

        with_fap = r["with_fap"]
        stay_keys = ("stay_fap", "stay_il", "stay_livranta", "ipr_part", "stay_dc")
        move_keys = ("move_ipr", "ipr_part", "move_before", "move_akap", "move_supp")
        m = {key: money(key) for key in dict.fromkeys(stay_keys + move_keys)}
        monthly_of = {key: _half_up(m[key][0], 12) for key in m}
        stay_monthly = np.where(
            with_fap, monthly_of["stay_fap"], monthly_of["stay_il"] + monthly_of["stay_livranta"]
        ) + monthly_of["ipr_part"] + monthly_of["stay_dc"]
        move_monthly = sum(monthly_of[key] for key in move_keys)

        def parts(code, key):
            _, yearly, monthly_ = m[key]
            return [(code, y, mo) for y, mo in zip(yearly, monthly_, strict=True)]

        fap_p, il_p, liv_p = parts("fap", "stay_fap"), parts("intjanad_livranta", "stay_il"), parts(
            "livranta", "stay_livranta")
        ipr_p, sdc_p = parts("ipr_1997", "ipr_part"), parts("kapkl_dc", "stay_dc")
        mipr_p, mdc_p = parts("akapkr_ipr_2022", "move_ipr"), parts("kapkl_dc", "move_before")
        akap_p, supp_p = parts("akapkr_dc", "move_akap"), parts("supplementary", "move_supp")
        pus = [x.scaleb(-2) for x in decimals(r["pu"])]
        dcs = [x.scaleb(-2) if has else _ZERO for x, has in zip(decimals(r["dc_sum"]), r["has_dc"].tolist(),
                                                                 strict=True)]
        rules = list(zip(*(r[k].tolist() for k in ("r1", "r2", "r3", "r4", "r5", "r6")), strict=True))
        guarded = 0
        new = tuple.__new__  # summary_type is a NamedTuple in field order
        for (i, eligible, rule, pu, fap, il_now, livranta, ipr, dc_sum, wf, fp, ilp, lp, ip, sdc, mip, mdc,
             ak, sp, difference, unsafe) in zip(
            rows, r["eligible"].tolist(), rules, pus, decimals(r["fap"]), decimals(r["il_now"]),
            decimals(r["livranta"]), decimals(r["ipr"]), dcs, with_fap.tolist(), fap_p, il_p, liv_p, ipr_p,
            sdc_p, mipr_p, mdc_p, akap_p, supp_p, decimals(move_monthly - stay_monthly), r["unsafe"].tolist(),
            strict=True,
        ):
            if unsafe:
                guarded += 1
                others.append(i)
                continue
            out[i] = new(summary_type, (
                eligible, rule, pu, fap, il_now, livranta, ipr, dc_sum,
                (fp, ip, sdc) if wf else (ilp, lp, ip, sdc), (mip, ip, mdc, ak, sp), difference,
            ))
        stats.vectorised += len(rows) - guarded
        if guarded:
            stats.count("unusual values (salary years, amounts, IPR)", guarded)
    for i in others:
        out[i] = scalar(histories[i])
    return out
