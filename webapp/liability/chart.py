"""Geometry of the expected payments chart: one bar per calendar year. Pure arithmetic; the
template ``liability/_chart.html`` draws the SVG and the table with the same figures after it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from webapp.employee.chart import nice_ceiling

WIDTH = 720
HEIGHT = 300
LEFT = 96  # room for the amount labels
RIGHT = 12
TOP = 12
BOTTOM = 36  # room for the year labels
TICKS = 4


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
class Tick:
    y: float
    amount: Decimal


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
    top_value = nice_ceiling(max((points[y] for y in years), default=Decimal(0)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(years), 1)
    bars = []
    for index, year in enumerate(years):
        amount = points[year]
        height = round(float(max(amount, Decimal(0)) / top_value) * plot_height, 1)
        bars.append(Bar(year=year, x=round(LEFT + index * slot + slot * 0.1, 1), y=round(baseline - height, 1),
                        width=round(slot * 0.8, 1), height=height, amount=amount,
                        labelled=index % 5 == 0))
    ticks = tuple(Tick(y=round(baseline - plot_height * i / TICKS, 1), amount=top_value * i / TICKS)
                  for i in range(TICKS + 1))
    return BarChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(bars), ticks)
