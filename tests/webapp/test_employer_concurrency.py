"""Two approvers deciding the same case at the same moment end with exactly one decision, and the
one who lost is told who decided; two exports at once report every choice exactly once.
Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from tests.employer_factories import World, make_choice, make_person
from tests.race_support import race
from webapp.models import Choice, Decision, EmployerRole, ReportBatch
from webapp.services import decisions, reporting


@pytest.fixture
def world(db):
    world = World(db)
    world.second_approver = make_person(db, "Andra", "Attestanten")
    db.add(EmployerRole(person_id=world.second_approver.id, organisation_id=world.org.id, role="approver"))
    db.commit()
    return world



@pytest.mark.parametrize("attempt", range(5))
def test_two_approvers_deciding_the_same_case_at_once_end_with_one_decision(app, db, world, attempt):
    roles = {world.org.id: {"approver"}}

    def approve(person, outcome, reason=None):
        return lambda session: decisions.decide_choice(
            session, actor=person, roles=roles, choice_id=world.choice.id, outcome=outcome, reason=reason
        )

    results = race(app, [approve(world.approver, "approved"), approve(world.second_approver, "rejected", "Nej")])
    winners = [r for r in results if isinstance(r, Decision)]
    losers = [r for r in results if isinstance(r, decisions.AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].outcome == winners[0].outcome
    assert losers[0].decided_by in ("Karin Karlsson", "Andra Attestanten")
    db.expire_all()
    assert len(db.exec(select(Decision).where(Decision.choice_id == world.choice.id)).all()) == 1
    assert db.get(Choice, world.choice.id).status == winners[0].outcome


def test_two_approvers_posting_the_same_decision_over_http_see_one_decision(app, db, world):
    import re
    import time

    clients = [app.test_client(), app.test_client()]
    tokens = []
    for client, person in zip(clients, (world.approver, world.second_approver), strict=True):
        now = int(time.time())
        with client.session_transaction() as session:
            session.update(person_id=person.id, auth_time=now, last_seen=now)
        page = client.get(f"/arbetsgivare/val/{world.choice.id}").get_data(as_text=True)
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
    barrier = threading.Barrier(2)
    pages = [None, None]

    def post(index):
        barrier.wait()
        response = clients[index].post(f"/arbetsgivare/val/{world.choice.id}/beslut",
                                       data={"csrf_token": tokens[index], "outcome": "approved"})
        pages[index] = clients[index].get(response.headers["Location"]).get_data(as_text=True)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum("Valet godkändes." in page for page in pages) == 1
    assert sum("redan beslutat" in page for page in pages) == 1
    db.expire_all()
    assert len(db.exec(select(Decision)).all()) == 1


def test_two_exports_at_once_report_every_choice_exactly_once(app, db, world):
    for i in range(20):
        make_choice(db, make_person(db, "P", f"Rapport{i}"), world.org, status="approved", commit=False)
    db.commit()
    # The approved choices need their decision rows (the report names the approver).
    for choice in db.exec(select(Choice).where(Choice.status == "approved")).all():
        db.add(Decision(choice_id=choice.id, outcome="approved", decided_by=world.approver.id,
                        decided_at=choice.chosen_at))
    db.commit()
    roles = {world.org.id: {"approver"}}

    def export(person):
        return lambda session: reporting.export_batch(session, actor=person, roles=roles,
                                                      organisation_id=world.org.id)

    results = race(app, [export(world.approver), export(world.second_approver)])
    batches = [r for r in results if isinstance(r, ReportBatch)]
    assert batches, results
    assert all(isinstance(r, ReportBatch | reporting.ExportBusy | reporting.NothingToReport) for r in results), results
    db.expire_all()
    reported = db.exec(select(Choice).where(Choice.status == "reported")).all()
    assert len(reported) == 20
    lines = [line for batch in db.exec(select(ReportBatch)).all() for line in batch.csv_content.splitlines()[1:]]
    assert len(lines) == 20 and len(set(lines)) == 20


def test_a_choice_approved_while_an_export_runs_goes_into_the_next_batch(app, db, world, monkeypatch):
    first = world.choice
    later = make_choice(db, make_person(db, "Under", "Exporten"), world.org)
    roles = {world.org.id: {"approver"}}
    with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        decisions.decide_choice(session, actor=world.approver, roles=roles, choice_id=first.id, outcome="approved")

    claimed = threading.Event()
    approved = threading.Event()
    original_rows = reporting._rows

    def slow_rows(*args, **kwargs):
        # The export has claimed its choices but not committed: the other approver decides now.
        claimed.set()
        approved.wait(timeout=3)  # on SQLite the approval waits for the export's write lock instead
        return original_rows(*args, **kwargs)

    monkeypatch.setattr(reporting, "_rows", slow_rows)

    def export(session):
        return reporting.export_batch(session, actor=world.approver, roles=roles, organisation_id=world.org.id)

    def approve_during_export(session):
        claimed.wait(timeout=10)
        try:
            return decisions.decide_choice(session, actor=world.second_approver, roles=roles, choice_id=later.id,
                                           outcome="approved")
        finally:
            approved.set()

    batch, decision = race(app, [export, approve_during_export])
    assert isinstance(batch, ReportBatch) and isinstance(decision, Decision), (batch, decision)
    assert batch.csv_content.count("\r\n") == 2  # header and the first choice only
    db.expire_all()
    assert db.get(Choice, later.id).status == "approved" and db.get(Choice, later.id).report_batch_id is None
    monkeypatch.setattr(reporting, "_rows", original_rows)
    with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        second = reporting.export_batch(session, actor=world.approver, roles=roles, organisation_id=world.org.id)
    assert second.number == 2
    assert [line.split(",")[1] for line in second.csv_content.splitlines()[1:]] == [
        db.get(type(world.employee), later.person_id).pnr]


def test_two_overlapping_bulk_decisions_at_once_decide_every_case_exactly_once(app, db, world):
    choices = [make_choice(db, make_person(db, "Bulk", f"Nr{i}"), world.org, commit=False) for i in range(12)]
    db.commit()
    ids = [c.id for c in choices]
    roles = {world.org.id: {"approver"}}

    def bulk(person, chosen):
        return lambda session: decisions.decide_many(session, actor=person, roles=roles, choice_ids=chosen,
                                                     outcome="approved")

    first, second = race(app, [bulk(world.approver, ids[:8]), bulk(world.second_approver, ids[4:])])
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert sorted(first.decided + second.decided) == sorted(ids)
    assert len(first.already) + len(second.already) == 4  # the overlap: ids[4:8]
    db.expire_all()
    assert len(db.exec(select(Decision).where(Decision.choice_id.in_(ids))).all()) == 12
