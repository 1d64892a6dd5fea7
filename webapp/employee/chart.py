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


@dataclass(frozen=True)
class Frame:
    """A bar chart's drawing area in SVG units: margins leave room for the axis labels. Shared by
    the comparison, the simulation's payments and the liability's expected payments."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    tick_count: int

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def baseline(self) -> float:
        return self.top + self.plot_height

    @property
    def right_edge(self) -> int:
        return self.width - self.right

    def slot(self, count: int) -> float:
        """The width given to each of ``count`` bars or groups of bars."""
        return (self.width - self.left - self.right) / max(count, 1)

    def axis(self, largest: Decimal) -> tuple[Decimal, tuple[Tick, ...]]:
        """The axis maximum (a round number at least ``largest``) and its evenly spaced ticks."""
        top_value = nice_ceiling(largest)
        return top_value, tuple(
            Tick(y=round(self.baseline - self.plot_height * i / self.tick_count, 1), amount=top_value * i / self.tick_count)
            for i in range(self.tick_count + 1)
        )

    def bar_height(self, amount: Decimal, top_value: Decimal) -> float:
        return round(float(max(amount, Decimal(0)) / top_value) * self.plot_height, 1)

    def bar(self, index: int, count: int, amount: Decimal, top_value: Decimal, share: float) -> Bar:
        """The ``index``-th of ``count`` single bars, ``share`` of its slot wide and centred in it."""
        slot = self.slot(count)
        height = self.bar_height(amount, top_value)
        x = self.left + index * slot + slot * (1 - share) / 2
        return Bar(round(x, 1), round(self.baseline - height, 1), round(slot * share, 1), height, amount)


COMPARISON = Frame(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, TICKS)


def build_chart(points: dict[int, tuple[Decimal, Decimal]], chosen_age: int) -> Chart:
    """``points``: retirement age → (monthly pension staying in KAP-KL, moving to AKAP-KR)."""
    ages = sorted(points)
    frame = COMPARISON
    top_value, ticks = frame.axis(max((max(stay, move) for stay, move in points.values()), default=Decimal(0)))
    baseline = frame.baseline
    slot = frame.slot(len(ages))
    bar_width = slot * 0.36
    groups = []
    for index, age in enumerate(ages):
        stay, move = points[age]
        x0 = LEFT + index * slot + slot * 0.12
        stay_h, move_h = frame.bar_height(stay, top_value), frame.bar_height(move, top_value)
        groups.append(
            Group(
                age=age,
                label_x=round(LEFT + index * slot + slot / 2, 1),
                stay=Bar(round(x0, 1), round(baseline - stay_h, 1), round(bar_width, 1), stay_h, stay),
                move=Bar(round(x0 + bar_width, 1), round(baseline - move_h, 1), round(bar_width, 1), move_h, move),
                chosen=age == chosen_age,
            )
        )
    return Chart(frame.width, frame.height, frame.left, frame.right_edge, baseline, tuple(groups), ticks)


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
    frame = COMPARISON
    top_value, ticks = frame.axis(max((total for _, _, total in years), default=Decimal(0)))
    slot = frame.slot(len(years))
    bars = tuple(
        YearBar(
            age=age, year=year,
            bar=frame.bar(index, len(years), total, top_value, share=0.7),
            label_x=round(frame.left + index * slot + slot / 2, 1),
            labelled=index == 0 or index == len(years) - 1 or age % 5 == 0,
        )
        for index, (age, year, total) in enumerate(years)
    )
    return PaymentChart(frame.width, frame.height, frame.left, frame.right_edge, frame.baseline, bars, ticks)
