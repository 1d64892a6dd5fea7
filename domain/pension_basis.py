"""The calculation basis (beräkningsunderlag) of a pension application: what the employer checks
and approves before a KAP-KL pension (or the AKAP-KR IPR 2022) is paid from a chosen start date.

Built from the existing rules, not repeating them: the pensionsunderlag, benefit levels and time
factor (``pensionsunderlag``, ``benefit``), the FÅP formula (``fap.fap_yearly``) and its reduction
(``fap.early_withdrawal_factor``), the livräntor and IPR 1997 of ``entitlements``, and the AKAP-KR
IPR 2022 of ``comparison``. Readings (where the sources leave it open):

- The calculation point of the pension is its start: PU of calendar year Y = the start year
  (RIPS 07 [S26], spec 2.3). When the base amounts of Y are not published yet, the latest year with
  base amounts is used and the caveat ``base_amounts_of_earlier_year`` says so.
- Pensionable time is earned up to the day before the start; retiring between 61 and 65 credits
  the time from the start up to 65 (KPA [S1], spec 2.5) when employed the day before the start.
- The reduction is 0.4 % per month from the start month up to the month of the 65th birthday
  (RIPS 07 [S26], spec 2.8): a start in the 61-year month gives 48 months, 19.2 %.
- The livränta and the intjänad livränta are those at the last year end before the start (they are
  computed at year ends, RIPS 07 [S26]) and are shown for a person without a FÅP.
- An employee who chose AKAP-KR earns no FÅP after 2022: the basis is the IPR 2022, indexed with
  IBB to the start year (SKR Q&A [S3]), and the IPR 1997.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.benefit import BenefitLevels, TimeFactor, benefit_levels, time_factor
from domain.comparison import akapkr_ipr_2022, akapkr_ipr_value
from domain.entitlements import entitlements
from domain.explanation import Explanation, ParameterUse
from domain.fap import early_withdrawal_factor, fap_yearly
from domain.kernel import Prepared
from domain.milestones import birthday, milestone_age
from domain.model import PersonHistory
from domain.money import round_krona
from domain.parameters import MissingParameter, ibb, parameter, pbb
from domain.pensionsunderlag import Pensionsunderlag, pensionsunderlag
from domain.results import Figure, collect_unconfirmed

# Problem codes of a start date -> English text (the web translates by code).
START_PROBLEMS: dict[str, str] = {
    "not_first_of_month": "A pension starts on the first day of a month.",
    "before_earliest": "The pension cannot start before the month of the 61st birthday.",
    "after_latest": "The pension must start by the month after the month of the 67th birthday.",
}
BASIS_CAVEATS: dict[str, str] = {
    "base_amounts_of_earlier_year": "The base amounts of the start year are not published yet; "
    "the latest published year is used.",
    "no_fap_livranta_instead": "No FÅP: the livränta earned so far is paid instead.",
}
_YEARS_BACK = 3  # how far back the calculation year may fall when base amounts are missing


class InvalidStartDate(ValueError):
    def __init__(self, problems: tuple[str, ...]):
        self.problems = problems
        super().__init__(", ".join(problems))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def start_window(birth_date: date) -> tuple[date, date, tuple[ParameterUse, ParameterUse]]:
    """The first and the last possible start: the first day of the 61-year month, and the first
    day of the month after the 67-year month (KPA [S1]; RIPS 07 [S26]; spec 2.6)."""
    earliest_age, earliest = milestone_age("fap_earliest", birth_date)
    latest_age, latest = milestone_age("fap_latest", birth_date)
    first = _first_of_month(birthday(birth_date, earliest_age))
    last_month = _first_of_month(birthday(birth_date, latest_age))
    last = (last_month + timedelta(days=32)).replace(day=1)
    return first, last, (earliest, latest)


def validate_start(birth_date: date, start: date) -> tuple[str, ...]:
    """Codes of ``START_PROBLEMS`` that ``start`` breaks; empty when it is a possible start."""
    problems = []
    if start.day != 1:
        problems.append("not_first_of_month")
    first, last, _uses = start_window(birth_date)
    if _first_of_month(start) < first:
        problems.append("before_earliest")
    elif start > last:
        problems.append("after_latest")
    return tuple(problems)


def age_at(birth_date: date, day: date) -> tuple[int, int]:
    """Whole years and months of age on ``day``."""
    months = _month_index(day) - _month_index(birth_date) - (1 if day.day < birth_date.day else 0)
    return divmod(max(0, months), 12)


def _calculation_year(start: date) -> int:
    for year in range(start.year, start.year - _YEARS_BACK - 1, -1):
        try:
            ibb(year)
            pbb(year)
        except MissingParameter:
            continue
        return year
    raise MissingParameter("inkomstbasbelopp", start)


@dataclass(frozen=True, slots=True)
class PensionBasis:
    start: date
    birth_date: date
    age: tuple[int, int]  # years, months at the start
    agreement: str  # "KAP-KL" or "AKAP-KR"
    calculation_year: int
    benefit_levels: BenefitLevels
    ipr_1997: Figure
    pensionsunderlag: Pensionsunderlag | None = None
    time_factor: TimeFactor | None = None
    fap_at_65: Figure | None = None
    months_before_65: int = 0
    fap_at_start: Figure | None = None
    intjanad_livranta: Figure | None = None
    livranta: Figure | None = None
    akapkr_ipr_2022: Figure | None = None
    caveats: tuple[str, ...] = ()

    def figures(self) -> tuple[tuple[str, Figure], ...]:
        """(code, figure) of every amount of the basis, in the order a letter lists them."""
        named = (
            ("pensionsunderlag", self.pensionsunderlag),
            ("fap_at_65", self.fap_at_65),
            ("fap_at_start", self.fap_at_start),
            ("intjanad_livranta", self.intjanad_livranta),
            ("livranta", self.livranta),
            ("ipr_1997", self.ipr_1997),
            ("akapkr_ipr_2022", self.akapkr_ipr_2022),
        )
        out = []
        for code, item in named:
            if item is None:
                continue
            figure = item if isinstance(item, Figure) else Figure(item.amount, item.explanation)
            out.append((code, figure))
        return tuple(out)

    @property
    def unconfirmed(self) -> bool:
        return any(collect_unconfirmed(f.explanation) for _code, f in self.figures())

    def to_snapshot(self) -> dict[str, object]:
        """What was decided on, as JSON-able values (the letter is printed from this)."""
        tf = self.time_factor
        return {
            "start": self.start.isoformat(),
            "agreement": self.agreement,
            "age": list(self.age),
            "calculation_year": self.calculation_year,
            "benefit_levels": [str(self.benefit_levels.lower), str(self.benefit_levels.upper)],
            "time_factor": [tf.full_months, tf.full_months_required] if tf else None,
            "months_before_65": self.months_before_65,
            "figures": {code: str(figure.amount) for code, figure in self.figures()},
            "caveats": list(self.caveats),
            "unconfirmed": self.unconfirmed,
        }


def _fap_at_start(fap_at_65: Figure, months: int, start: date) -> Figure:
    """The FÅP at 65 reduced by 0.4 % per month before 65 (RIPS 07 [S26]; spec 2.8)."""
    factor, rate = early_withdrawal_factor(months, start)
    amount = round_krona(fap_at_65.amount * factor)
    return Figure(
        amount,
        Explanation(
            rule="fap_early_withdrawal",
            source="KAP-KL; RIPS 07 [S26]: reduced by 0.4 % per month before 65; KPA [S1]; spec 2.8",
            inputs=(("start", start), ("months_before_65", months), ("fap_at_65", fap_at_65.amount)),
            parameters=(rate,),
            formula=f"{fap_at_65.amount} x (1 - {rate.value} x {months}) = {amount}",
            parts=(fap_at_65.explanation,),
        ),
    )


def pension_basis(history: PersonHistory, start: date, *, chose_akapkr: bool) -> PensionBasis:
    """The calculation basis for a pension from ``start``; raises ``InvalidStartDate``."""
    problems = validate_start(history.birth_date, start)
    if problems:
        raise InvalidStartDate(problems)
    caveats: list[str] = []
    year = _calculation_year(start)
    if year != start.year:
        caveats.append("base_amounts_of_earlier_year")
    # Livräntor at the last year end before the start, or at the latest year with base amounts.
    rights = entitlements(history, min(start, date(year, 12, 31)))
    if "ipr_indexation_unconfirmed" in rights.caveats:
        caveats.append("ipr_indexation_unconfirmed")
    levels = benefit_levels(history.birth_year)
    common = {
        "start": start,
        "birth_date": history.birth_date,
        "age": age_at(history.birth_date, start),
        "calculation_year": year,
        "benefit_levels": levels,
        "ipr_1997": rights.ipr_1997,
    }
    if chose_akapkr:
        ipr = akapkr_ipr_value(akapkr_ipr_2022(history, rights), year)
        return _with_unconfirmed(PensionBasis(agreement="AKAP-KR", akapkr_ipr_2022=ipr, caveats=tuple(caveats),
                                              **common))
    person = Prepared(history)
    pu = pensionsunderlag(history, year, person)
    tf = time_factor(history, start - timedelta(days=1), person)
    fap_65 = fap_yearly(history, pu, levels, tf.full_months, tf.full_months_required, (tf.explanation,), person)
    normal_age = int(parameter("kapkl_normal_retirement_age", start).value)
    months = max(0, _month_index(birthday(history.birth_date, normal_age)) - _month_index(start))
    fap_start = _fap_at_start(fap_65, months, start)
    # The same caveat codes as ``entitlements`` (domain.entitlements.CAVEATS), for this PU.
    if pu.counted_years and max(pu.counted_years) > year - 2:
        caveats.append("pu_no_complete_year")
    elif 0 < len(pu.counted_years) < 5:
        caveats.append("pu_short_history")
    if not fap_start.amount:
        caveats.append("no_fap_livranta_instead")
    return _with_unconfirmed(PensionBasis(
        agreement="KAP-KL",
        pensionsunderlag=pu,
        time_factor=tf,
        fap_at_65=fap_65,
        months_before_65=months,
        fap_at_start=fap_start,
        intjanad_livranta=rights.intjanad_livranta,
        livranta=rights.livranta,
        caveats=tuple(caveats),
        **common,
    ))


def _with_unconfirmed(basis: PensionBasis) -> PensionBasis:
    if not basis.unconfirmed:
        return basis
    return replace(basis, caveats=("estimate_unconfirmed_parameters", *basis.caveats))
