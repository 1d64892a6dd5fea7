"""Geometry of the expected payments chart: one bar per calendar year. Pure arithmetic; the
template ``liability/_chart.html`` draws the SVG and the table with the same figures after it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from webapp.employee.chart import Frame, Tick

# One bar per year; room on the left for the amount labels, below for the years.
PAYMENTS = Frame(width=720, height=300, left=96, right=12, top=12, bottom=36, tick_count=4)


@dataclass(frozen=True)
class Bar:
    year: int
    x: float
    y: float
    width: float
    height: float
    amount: Decimal
    labelled: bool  # every fifth year carries a label under the axis


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def build_bar_chart(points: dict[int, Decimal]) -> BarChart:
    years = sorted(points)
    top_value, ticks = PAYMENTS.axis(max((points[y] for y in years), default=Decimal(0)))
    bars = []
    for index, year in enumerate(years):
        bar = PAYMENTS.bar(index, len(years), points[year], top_value, share=0.8)
        bars.append(Bar(year=year, x=bar.x, y=bar.y, width=bar.width, height=bar.height, amount=bar.amount,
                        labelled=index % 5 == 0))
    return BarChart(PAYMENTS.width, PAYMENTS.height, PAYMENTS.left, PAYMENTS.right_edge, PAYMENTS.baseline,
                    tuple(bars), ticks)
