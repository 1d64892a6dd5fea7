"""A saved pre-calculation read for showing: the simulation's display rows and the survivor cover
from their snapshots (``services.simulation.display`` / ``survivors``, as the employee's page shows
them), and the parameters with their dates. Nothing here computes a pension again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort

from webapp.services import precalc
from webapp.services import simulation as simulation_service


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


def cover_of(saved):
    """The saved survivor cover (a domain.SurvivorCover read back), or None when none was saved."""
    return simulation_service.survivors(saved.survivors) if saved.survivors else None


# What a snapshot the reader cannot read raises (a format from before a change of the domain's
# snapshot): the page then shows the summary columns kept beside it instead of failing.
UNREADABLE = (KeyError, TypeError, ValueError, ArithmeticError)


def saved_context(saved) -> dict:
    """Template context for a saved pre-calculation: ``sim`` and ``cover`` as the employee's
    simulation page names them; both None when the snapshot cannot be read (``unreadable``)."""
    try:
        return {"sim": simulation_service.display(saved.simulation), "cover": cover_of(saved), "sim_id": "saved",
                "unreadable": False}
    except UNREADABLE:
        return {"sim": None, "cover": None, "sim_id": "saved", "unreadable": True}


def saved_or_404(row) -> precalc.Saved:
    """A pre-calculation row found in the reader's scope, read; 404 when the scope found none (the
    staff's organisation and the employee's own page alike do not tell whether it exists)."""
    if row is None:
        abort(404)
    return precalc.read(row)
