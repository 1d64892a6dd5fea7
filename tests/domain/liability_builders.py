"""Builders for the RIPS liability tests: reserve bases drawn directly (hypothesis) and a
temporary mortality table directory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from domain import annuity, mortality
from domain.explanation import Explanation
from domain.liability import BenefitRight, ReserveBasis

NO_EXPLANATION = Explanation(rule="test", source="test")


def right(code: str, amount: str | int | Decimal, before: bool = False, in_payment: bool = False,
          starts_at_age: int | None = None) -> BenefitRight:
    return BenefitRight(code, Decimal(str(amount)), before, starts_at_age, in_payment, NO_EXPLANATION)


def basis(key: int, birth: date, *benefits: BenefitRight, category: str = "active", sex: str | None = None) -> ReserveBasis:
    return ReserveBasis(key=key, category=category, birth_date=birth, sex=sex, benefits=tuple(benefits))


amounts = st.integers(1, 60_000_000).map(lambda ore: Decimal(ore) / 100)  # 0.01 .. 600 000 kr a year


@st.composite
def bases(draw, key: int = 1) -> ReserveBasis:
    category = draw(st.sampled_from(["active", "paid_up", "pensioner"]))
    birth = date(draw(st.integers(1920, 2000)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    in_payment = category == "pensioner"
    benefits = [
        right(code, draw(amounts), before, in_payment, draw(st.sampled_from([None, None, 61, 67])))
        for code, before in (("ipr_1997", True), ("intjanad_livranta", False), ("livranta", False))
        if draw(st.booleans())
    ]
    return ReserveBasis(key=key, category=category, birth_date=birth, sex=draw(st.sampled_from(["F", "M", None])),
                        benefits=tuple(benefits))


def clear_caches() -> None:
    mortality._tables.cache_clear()
    mortality.monthly_survival.cache_clear()
    annuity.annuity_factors.cache_clear()
    annuity.annuity_factor_array.cache_clear()
    annuity._scaled_survival.cache_clear()
    annuity.payment_weights.cache_clear()


def write_table(directory: Path, code: str, text: str) -> None:
    (directory / f"{code}.toml").write_text(text, encoding="utf-8")
