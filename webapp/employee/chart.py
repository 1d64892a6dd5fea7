"""Geometry of the comparison chart: monthly pension by retirement age, KAP-KL beside AKAP-KR.

Pure arithmetic on the figures; the template ``employee/_chart.html`` draws the SVG. Bars, not
colours alone, tell the two apart: the AKAP-KR bars are hatched.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

WIDTH = 640
HEIGHT = 320
LEFT = 80  # room for the amount labels
RIGHT = 16
TOP = 16
BOTTOM = 40  # room for the age labels
TICKS = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    amount: Decimal


@dataclass(frozen=True)
class Group:
    age: int
    label_x: float
    stay: Bar
    move: Bar
    chosen: bool


@dataclass(frozen=True)
class Tick:
    y: float
    amount: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^n that is at least ``value`` (an axis maximum)."""
    if value <= 0:
        return Decimal(1000)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return candidate.quantize(Decimal(1), rounding=ROUND_CEILING)
    return Decimal(10).scaleb(exponent)  # pragma: no cover - the loop ends at 10^(n+1)


def build_chart(points: dict[int, tuple[Decimal, Decimal]], chosen_age: int) -> Chart:
    """``points``: retirement age → (monthly pension staying in KAP-KL, moving to AKAP-KR)."""
    ages = sorted(points)
    top_value = nice_ceiling(max((max(stay, move) for stay, move in points.values()), default=Decimal(0)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(ages), 1)
    bar_width = slot * 0.36

    def height_of(amount: Decimal) -> float:
        return round(float(max(amount, Decimal(0)) / top_value) * plot_height, 1)

    groups = []
    for index, age in enumerate(ages):
        stay, move = points[age]
        x0 = LEFT + index * slot + slot * 0.12
        stay_h, move_h = height_of(stay), height_of(move)
        groups.append(
            Group(
                age=age,
                label_x=round(LEFT + index * slot + slot / 2, 1),
                stay=Bar(round(x0, 1), round(baseline - stay_h, 1), round(bar_width, 1), stay_h, stay),
                move=Bar(round(x0 + bar_width, 1), round(baseline - move_h, 1), round(bar_width, 1), move_h, move),
                chosen=age == chosen_age,
            )
        )
    ticks = tuple(
        Tick(y=round(baseline - plot_height * i / TICKS, 1), amount=top_value * i / TICKS) for i in range(TICKS + 1)
    )
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(groups), ticks)


# --- the simulation: monthly pension over the years of payment ---------------------------------


@dataclass(frozen=True)
class YearBar:
    age: int
    year: int
    bar: Bar
    label_x: float
    labelled: bool  # every fifth age, the first and the last carry an axis label


@dataclass(frozen=True)
class PaymentChart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    bars: tuple[YearBar, ...]
    ticks: tuple[Tick, ...]


def build_payment_chart(years: list[tuple[int, int, Decimal]]) -> PaymentChart:
    """``years``: (age, calendar year, total monthly pension) for each year of payment."""
    top_value = nice_ceiling(max((total for _, _, total in years), default=Decimal(0)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(years), 1)
    bar_width = round(slot * 0.7, 1)
    bars = []
    for index, (age, year, total) in enumerate(years):
        height = round(float(max(total, Decimal(0)) / top_value) * plot_height, 1)
        x = LEFT + index * slot + slot * 0.15
        bars.append(YearBar(
            age=age, year=year,
            bar=Bar(round(x, 1), round(baseline - height, 1), bar_width, height, total),
            label_x=round(LEFT + index * slot + slot / 2, 1),
            labelled=index == 0 or index == len(years) - 1 or age % 5 == 0,
        ))
    ticks = tuple(
        Tick(y=round(baseline - plot_height * i / TICKS, 1), amount=top_value * i / TICKS) for i in range(TICKS + 1)
    )
    return PaymentChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(bars), ticks)
