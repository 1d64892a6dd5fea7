"""Reporting approved choices: numbered batches, exactly once, byte-identical re-download, the
documented CSV and JSON layout, the deadline, and downloads treated as personal data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from tests.employer_factories import World, make_choice, make_person
from webapp.models import AuditEntry, Choice, ReportBatch


@pytest.fixture
def world(app, db):
    app.config["FIXED_TODAY"] = "2023-06-20"
    return World(db)


def _approve(client, csrf_token, choice_id):
    token = csrf_token(f"/arbetsgivare/val/{choice_id}")
    client.post(f"/arbetsgivare/val/{choice_id}/beslut", data={"csrf_token": token, "outcome": "approved"})


def _export(client, csrf_token, org_id):
    token = csrf_token("/arbetsgivare/rapportering")
    return client.post("/arbetsgivare/rapportering/export", data={"csrf_token": token, "organisation_id": org_id})


def test_export_reports_approved_choices_once_in_numbered_batches(client, login_as, csrf_token, db, world):
    late = make_choice(db, make_person(db, "Sen", "Valsson"), world.org, is_late=True,
                       chosen_at=datetime(2023, 6, 2, 21, 30, tzinfo=UTC))  # 2023-06-02 23:30 in Sweden
    waiting = make_choice(db, make_person(db, "Vänt", "Ande"), world.org)
    login_as(world.approver)
    _approve(client, csrf_token, world.choice.id)
    _approve(client, csrf_token, late.id)
    page = client.get("/arbetsgivare/rapportering").get_data(as_text=True)
    assert "2 godkända val är inte rapporterade." in page
    assert "10 dagar kvar till sista dag för rapportering" in page
    queue_page = client.get("/arbetsgivare/").get_data(as_text=True)
    assert "Valperioden stänger 31 maj 2023" in queue_page and "10 dagar kvar att rapportera." in queue_page

    assert _export(client, csrf_token, world.org.id).status_code == 303
    db.expire_all()
    batch = db.exec(select(ReportBatch)).one()
    assert batch.number == 1
    assert {c.report_batch_id for c in db.exec(select(Choice).where(Choice.status == "reported"))} == {batch.id}
    assert batch.csv_content == (
        "org_number,pnr,agreement,chosen_on,late,approver\r\n"
        f"{world.org.org_number},{world.employee.pnr},AKAP-KR,2023-04-20,0,Karin Karlsson\r\n"
        f"{world.org.org_number},{late_pnr(db, late)},AKAP-KR,2023-06-02,1,Karin Karlsson\r\n"
    )
    document = json.loads(batch.json_content)
    assert document["batch"] == 1 and document["org_number"] == world.org.org_number
    assert [row["late"] for row in document["choices"]] == [False, True]

    # Nothing left: a second export makes no empty batch.
    response = _export(client, csrf_token, world.org.id)
    assert "Det finns inga godkända val kvar att rapportera." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert len(db.exec(select(ReportBatch)).all()) == 1

    # A choice approved after the export goes into batch 2, alone.
    _approve(client, csrf_token, waiting.id)
    _export(client, csrf_token, world.org.id)
    db.expire_all()
    second = db.exec(select(ReportBatch).where(ReportBatch.number == 2)).one()
    assert second.csv_content.count("\r\n") == 2 and late_pnr(db, waiting) in second.csv_content


def late_pnr(db, choice):
    from webapp.models import Person

    return db.get(Person, choice.person_id).pnr


def test_earlier_batches_download_again_byte_for_byte_as_attachments(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    _approve(client, csrf_token, world.choice.id)
    _export(client, csrf_token, world.org.id)
    batch = db.exec(select(ReportBatch)).one()
    first = client.get(f"/arbetsgivare/rapportering/{batch.id}/csv")
    # More choices approved and reported later do not change batch 1.
    extra = make_choice(db, make_person(db, "Ny", "Senare"), world.org)
    _approve(client, csrf_token, extra.id)
    _export(client, csrf_token, world.org.id)
    again = client.get(f"/arbetsgivare/rapportering/{batch.id}/csv")
    assert first.status_code == again.status_code == 200
    assert first.data == again.data == batch.csv_content.encode("utf-8")
    assert again.headers["Content-Disposition"] == (
        f'attachment; filename="pensionsval-{world.org.org_number}-batch-1.csv"')
    assert again.headers["Cache-Control"] == "no-store"
    assert again.mimetype == "text/csv"
    as_json = client.get(f"/arbetsgivare/rapportering/{batch.id}/json")
    assert as_json.data == batch.json_content.encode("utf-8") and as_json.mimetype == "application/json"
    assert as_json.headers["Content-Disposition"].startswith("attachment;")


def test_another_organisations_batch_is_not_found(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    _approve(client, csrf_token, world.choice.id)
    _export(client, csrf_token, world.org.id)
    batch = db.exec(select(ReportBatch)).one()
    login_as(world.other_approver)
    assert client.get(f"/arbetsgivare/rapportering/{batch.id}/csv").status_code == 404
    assert client.get(f"/arbetsgivare/rapportering/{batch.id}/json").status_code == 404
    # Nor can they export for an organisation they do not work for.
    assert _export(client, csrf_token, world.org.id).status_code == 404


def test_handler_may_download_but_not_export(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    _approve(client, csrf_token, world.choice.id)
    login_as(world.handler)
    assert "Exportera en ny omgång" not in client.get("/arbetsgivare/rapportering").get_data(as_text=True)
    assert _export(client, csrf_token, world.org.id).status_code == 403
    assert db.exec(select(ReportBatch)).all() == []


def test_export_and_download_are_audited_per_person(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    _approve(client, csrf_token, world.choice.id)
    _export(client, csrf_token, world.org.id)
    batch = db.exec(select(ReportBatch)).one()
    client.get(f"/arbetsgivare/rapportering/{batch.id}/csv")
    actions = [(e.action, e.subject_person_id) for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("choice_reported", world.employee.id) in actions
    assert ("report_exported", None) in actions
    assert ("report_downloaded", None) in actions
    page = client.get(f"/arbetsgivare/val/{world.choice.id}").get_data(as_text=True)
    assert "Valet rapporterades till administratören" in page and "Omgång 1" in page


def test_every_claimed_choice_is_in_the_file_even_without_a_decision_row(client, login_as, csrf_token, db, world):
    imported = make_choice(db, make_person(db, "Import", "Erad"), world.org, status="approved")
    login_as(world.approver)
    _export(client, csrf_token, world.org.id)
    batch = db.exec(select(ReportBatch)).one()
    assert late_pnr(db, imported) in batch.csv_content
    assert batch.csv_content.splitlines()[1].endswith(",0,")
