"""A saved pre-calculation read for showing: the simulation's display rows (the employee page's
``services.simulation.display``, from the snapshot), the survivor cover rebuilt from its snapshot
for the ``employee/_survivors.html`` partial, and the parameters with their dates. Nothing here
computes a pension again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.simulation import explanation_from_snapshot
from webapp.services import simulation as simulation_service


@dataclass(frozen=True)
class SavedSurvivorPart:
    code: str
    monthly: Decimal
    months: int | None
    until_age: int | None
    explanation: object  # domain.Explanation


@dataclass(frozen=True)
class SavedSurvivorCover:
    """The fields of ``domain.SurvivorCover`` the pages and the letter read, from its snapshot."""

    agreement: str
    at: date
    covered: bool
    adult_monthly: Decimal | None
    adult_months: int | None
    child_monthly_each: Decimal | None
    child_until_age: int | None
    lump_sum: Decimal | None
    parts: tuple[SavedSurvivorPart, ...]
    not_computed: tuple[str, ...]
    caveats: tuple[str, ...]


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def survivors_from_snapshot(data: dict | None) -> SavedSurvivorCover | None:
    if not data:
        return None
    return SavedSurvivorCover(
        agreement=data["agreement"],
        at=date.fromisoformat(data["at"]),
        covered=bool(data["covered"]),
        adult_monthly=_amount(data.get("adult_monthly")),
        adult_months=data.get("adult_months"),
        child_monthly_each=_amount(data.get("child_monthly_each")),
        child_until_age=data.get("child_until_age"),
        lump_sum=_amount(data.get("lump_sum")),
        parts=tuple(
            SavedSurvivorPart(p["code"], Decimal(p["monthly"]), p.get("months"), p.get("until_age"),
                              explanation_from_snapshot(p["explanation"]))
            for p in data.get("parts", [])
        ),
        not_computed=tuple(data.get("not_computed", ())),
        caveats=tuple(data.get("caveats", ())),
    )


@dataclass(frozen=True)
class SavedParameter:
    name: str
    value: str
    applies_from: date
    source: str
    unconfirmed: bool


def parameters_of(snapshot: dict) -> tuple[SavedParameter, ...]:
    """Every parameter the saved simulation used, with the date it applied from."""
    return tuple(
        SavedParameter(p["name"], str(p["value"]), date.fromisoformat(p["applies_from"]), p["source"],
                       bool(p["unconfirmed"]))
        for p in snapshot.get("parameters", [])
    )


def saved_context(saved) -> dict:
    """Template context for a saved pre-calculation: ``sim`` and ``cover`` as the employee's
    simulation page names them."""
    return {
        "sim": simulation_service.display(saved.simulation),
        "cover": survivors_from_snapshot(saved.survivors),
        "sim_id": "saved",
    }
