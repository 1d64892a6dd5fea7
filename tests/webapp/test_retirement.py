"""Retirement (issue 9): the employee's pension application, the employer's decision on it
(approve with the letter's addressee, reject with a reason, another start date), the monitoring
settings and list with its downloads, authorization by organisation, and one decision per case."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.explanation_support import ExplanationNames
from tests.factories import add_employer_role, flat_salaries, make_employee, make_organisation, make_person
from tests.race_support import race
from webapp.models import AuditEntry, EmployerRole, MonitoringSetting, PensionApplication
from webapp.services import retirement
from webapp.services.closures import schedule_closure

TODAY = "2023-04-20"
BORN = date(1962, 5, 10)  # 61 in May 2023: may start from 2023-05-01


@pytest.fixture
def world(app, db):
    app.config["FIXED_TODAY"] = TODAY
    a = make_organisation(db, name="Exempelby kommun")
    b = make_organisation(db, name="Annanstad kommun")
    employee = make_employee(db, a, birth_date=BORN, salaries=flat_salaries(2005, 2022, 700_000),
                             start=date(1990, 1, 1), given_name="Ingrid", family_name="Pensionsson")
    approver = make_person(db, birth_date=date(1975, 1, 1), given_name="Anna", family_name="Attestant")
    second = make_person(db, birth_date=date(1976, 1, 1), given_name="Bo", family_name="Attestant")
    handler = make_person(db, birth_date=date(1977, 1, 1), given_name="Hugo", family_name="Handläggare")
    outsider = make_person(db, birth_date=date(1978, 1, 1), given_name="Olle", family_name="Utomstående")
    add_employer_role(db, approver, a, "approver")
    add_employer_role(db, second, a, "approver")
    add_employer_role(db, handler, a, "handler")
    add_employer_role(db, outsider, b, "approver")
    return type("World", (), dict(a=a, b=b, employee=employee, approver=approver, second=second,
                                  handler=handler, outsider=outsider))


def _apply(client, login_as, csrf_token, world, start="2024-03-01"):
    login_as(world.employee)
    return client.post("/min-pension/ansok", data={
        "csrf_token": csrf_token("/min-pension/ansok"), "start": start, "organisation_id": str(world.a.id)})


def _application(db, world) -> PensionApplication:
    db.expire_all()
    return db.exec(select(PensionApplication).where(PensionApplication.person_id == world.employee.id)).one()


def _actions(db, person_id) -> list[str]:
    db.expire_all()
    return [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.subject_person_id == person_id)
                                      .order_by(AuditEntry.id))]


def _case_url(world, application, tail=""):
    return f"/arbetsgivare/pension/{world.a.id}/ansokningar/{application.id}{tail}"


def _decide(client, login_as, csrf_token, world, application, person=None, **fields):
    login_as(person or world.approver)
    token = csrf_token(_case_url(world, application))
    data = {"csrf_token": token, "seen_start": application.start_date.isoformat(), **fields}
    return client.post(_case_url(world, application, "/beslut"), data=data)


# --- the employee applies ----------------------------------------------------------------


def test_employee_applies_and_the_basis_is_stored_and_audited(client, db, login_as, csrf_token, world):
    response = _apply(client, login_as, csrf_token, world)
    assert response.status_code == 303
    application = _application(db, world)
    assert (application.status, application.start_date, application.organisation_id) == (
        "submitted", date(2024, 3, 1), world.a.id)
    snapshot = json.loads(application.basis_snapshot)
    assert snapshot["agreement"] == "KAP-KL" and snapshot["months_before_65"] == 38
    assert int(snapshot["figures"]["fap_at_start"]) > 0
    assert "pension_applied" in _actions(db, world.employee.id)
    page = client.get("/min-pension/ansok").get_data(as_text=True)
    assert "Väntar på beslut" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023-04-01", "Pensionen kan börja tidigast 1 maj 2023"),
        ("2024-03-15", "En pension börjar den första dagen i en månad"),
        ("2029-07-01", "Pensionen måste börja senast 1 juni 2029"),
        ("1 mars", "Skriv ett riktigt datum"),
        ("", "Ange det datum då du vill att pensionen ska börja"),
    ],
)
def test_a_bad_start_date_gets_a_clear_message_keeps_the_input_and_stores_nothing(
        client, db, login_as, csrf_token, world, typed, message):
    response = _apply(client, login_as, csrf_token, world, start=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page, page
    assert f'value="{typed}"' in page
    assert 'class="error-summary"' in page
    assert db.exec(select(PensionApplication)).all() == []


def test_a_second_application_while_one_waits_is_refused(client, db, login_as, csrf_token, world):
    _apply(client, login_as, csrf_token, world)
    response = _apply(client, login_as, csrf_token, world, start="2024-06-01")
    assert response.status_code == 422
    assert "Du har redan en ansökan" in response.get_data(as_text=True)
    assert len(db.exec(select(PensionApplication)).all()) == 1


def test_applying_during_a_planned_closure_is_refused_and_stores_nothing(app, client, db, login_as, csrf_token,
                                                                         world):
    start = datetime(2023, 4, 20, 10, 0, tzinfo=UTC)
    schedule_closure(db, start, start + timedelta(hours=2))
    login_as(world.employee)
    token = csrf_token("/min-pension/ansok")
    app.config["FIXED_NOW"] = start + timedelta(minutes=30)
    response = client.post("/min-pension/ansok", data={"csrf_token": token, "start": "2024-03-01",
                                                       "organisation_id": str(world.a.id)})
    assert response.status_code == 503
    assert 'value="2024-03-01"' in response.get_data(as_text=True)
    assert db.exec(select(PensionApplication)).all() == []


# --- the employer decides ----------------------------------------------------------------


@pytest.fixture
def applied(client, db, login_as, csrf_token, world):
    _apply(client, login_as, csrf_token, world)
    return _application(db, world)


def test_the_case_page_shows_the_calculation_basis_with_explanations(client, db, login_as, world, applied):
    login_as(world.handler)
    page = client.get(_case_url(world, applied)).get_data(as_text=True)
    basis = retirement.basis_for(db, world.employee, applied.start_date)
    assert "Beräkningsunderlag" in page and "Ingrid Pensionsson" in page
    assert "Förmånsbestämd ålderspension (FÅP) från pensionsstart, per år" in page
    # The reduction's arithmetic is shown: 38 months before 65 at 0.4 percent each.
    assert '<details class="explanation' in page and "(1 - 0.004 x 38)" in page
    amount = f"{int(basis.fap_at_start.amount):,}".replace(",", "\u00a0")
    assert amount in page
    # A handler sees the case but cannot decide.
    assert "Bara en attestant" in page and 'action="' + _case_url(world, applied, "/beslut") not in page


def test_approve_with_the_letter_to_the_employee(client, db, login_as, csrf_token, world, applied):
    response = _decide(client, login_as, csrf_token, world, applied, outcome="approved", letter_to="employee")
    assert response.status_code == 303
    application = _application(db, world)
    assert (application.status, application.letter_to, application.decided_by) == (
        "approved", "employee", world.approver.id)
    assert json.loads(application.basis_snapshot)["start"] == "2024-03-01"
    assert "pension_approved" in _actions(db, world.employee.id)
    letter = client.get(_case_url(world, applied, "/pensionsbrev.pdf"))
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")
    login_as(world.employee)
    mine = client.get("/min-pension").get_data(as_text=True)
    assert "Godkänt" in mine and f"/min-pension/ansok/{applied.id}/pensionsbrev.pdf" in mine
    own = client.get(f"/min-pension/ansok/{applied.id}/pensionsbrev.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"


def test_approve_needs_the_letters_addressee(client, db, login_as, csrf_token, world, applied):
    response = _decide(client, login_as, csrf_token, world, applied, outcome="approved")
    assert response.status_code == 422
    assert "Välj vem som ska få pensionsbeslutet." in response.get_data(as_text=True)
    assert _application(db, world).status == "submitted"


def test_a_letter_to_the_employer_is_not_offered_to_the_employee(client, db, login_as, csrf_token, world, applied):
    _decide(client, login_as, csrf_token, world, applied, outcome="approved", letter_to="employer")
    login_as(world.employee)
    assert client.get(f"/min-pension/ansok/{applied.id}/pensionsbrev.pdf").status_code == 404
    assert "Din arbetsgivare skickar pensionsbeslutet till dig." in client.get("/min-pension/ansok").get_data(
        as_text=True)


def test_reject_without_a_reason_is_refused_with_a_message_and_keeps_the_case_open(
        client, db, login_as, csrf_token, world, applied):
    response = _decide(client, login_as, csrf_token, world, applied, outcome="rejected", reason="  ")
    assert response.status_code == 422
    assert "Ange skälet till avslaget" in response.get_data(as_text=True)
    assert _application(db, world).status == "submitted"
    assert "pension_rejected" not in _actions(db, world.employee.id)


def test_reject_with_a_reason_is_shown_to_the_employee(client, db, login_as, csrf_token, world, applied):
    _decide(client, login_as, csrf_token, world, applied, outcome="rejected", reason="Anställningen fortsätter.")
    assert _application(db, world).status == "rejected"
    login_as(world.employee)
    mine = client.get("/min-pension").get_data(as_text=True)
    assert "Avslagen" in mine or "Avslaget" in mine
    assert "Anställningen fortsätter." in mine


def test_another_start_date_recomputes_the_basis_and_waits_for_a_decision(
        client, db, login_as, csrf_token, world, applied):
    login_as(world.approver)
    token = csrf_token(_case_url(world, applied))
    response = client.post(_case_url(world, applied, "/nytt-datum"), data={"csrf_token": token,
                                                                          "start": "2025-05-01"})
    assert response.status_code == 303
    application = _application(db, world)
    assert (application.status, application.start_date, application.requested_start) == (
        "redated", date(2025, 5, 1), date(2024, 3, 1))
    assert json.loads(application.basis_snapshot)["months_before_65"] == 24
    assert "pension_redated" in _actions(db, world.employee.id)
    # A decision made on the page shown before the new date is refused.
    stale = client.post(_case_url(world, applied, "/beslut"), data={
        "csrf_token": token, "seen_start": "2024-03-01", "outcome": "approved", "letter_to": "employee"})
    assert stale.status_code == 303
    assert _application(db, world).status == "redated"
    assert "Någon registrerade ett annat startdatum" in client.get(_case_url(world, applied)).get_data(as_text=True)


def test_the_case_history_shows_who_did_what_with_the_start_dates(client, db, login_as, csrf_token, world, applied):
    login_as(world.approver)
    token = csrf_token(_case_url(world, applied))
    client.post(_case_url(world, applied, "/nytt-datum"), data={"csrf_token": token, "start": "2025-05-01"})
    page = client.get(_case_url(world, applied)).get_data(as_text=True)
    history = page[page.index("Pensionsansökans historik, äldst först"):]
    history = re.sub(r"\s+", " ", history[:history.index("</table>")])
    rows = re.findall(r"<tr>(.*?)</tr>", history)[1:]
    cells = [re.findall(r"<td>\s*(.*?)\s*</td>", row) for row in rows]
    assert [(who, what) for _, who, what, _ in cells] == [
        ("Ingrid Pensionsson", "Pensionsansökan skickad"), ("Anna Attestant", "Ärendet öppnades"),
        ("Anna Attestant", "Annat startdatum registrerat"), ("Anna Attestant", "Ärendet öppnades")]
    assert [details for *_, details in cells] == [
        "Startdatum: 1 mars 2024", "", "Startdatum: 1 maj 2025", ""]


def test_another_start_date_that_is_not_possible_is_refused_with_a_message(
        client, db, login_as, csrf_token, world, applied):
    login_as(world.approver)
    response = client.post(_case_url(world, applied, "/nytt-datum"), data={
        "csrf_token": csrf_token(_case_url(world, applied)), "start": "2023-03-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Pensionen kan börja tidigast 1 maj 2023" in page and 'value="2023-03-01"' in page
    assert _application(db, world).start_date == date(2024, 3, 1)


def test_a_handler_cannot_decide(client, db, login_as, csrf_token, world, applied):
    response = _decide(client, login_as, csrf_token, world, applied, person=world.handler,
                       outcome="approved", letter_to="employee")
    assert response.status_code == 403
    assert _application(db, world).status == "submitted"


def test_another_organisations_approver_gets_404_everywhere(client, db, login_as, csrf_token, world, applied):
    login_as(world.outsider)
    for url in (_case_url(world, applied), f"/arbetsgivare/pension/{world.a.id}/ansokningar",
                f"/arbetsgivare/pension/{world.a.id}/bevakning",
                f"/arbetsgivare/pension/{world.a.id}/bevakning.csv",
                f"/arbetsgivare/pension/{world.b.id}/ansokningar/{applied.id}"):
        assert client.get(url).status_code == 404, url
    token = csrf_token(f"/arbetsgivare/pension/{world.b.id}/ansokningar")
    response = client.post(f"/arbetsgivare/pension/{world.b.id}/ansokningar/{applied.id}/beslut", data={
        "csrf_token": token, "outcome": "approved", "letter_to": "employee"})
    assert response.status_code == 404
    assert _application(db, world).status == "submitted"


def test_the_queue_lists_open_applications_of_the_organisation(client, login_as, world, applied):
    login_as(world.approver)
    page = client.get(f"/arbetsgivare/pension/{world.a.id}/ansokningar").get_data(as_text=True)
    assert "Ingrid Pensionsson" in page
    assert "Ingrid Pensionsson" not in client.get(
        f"/arbetsgivare/pension/{world.a.id}/ansokningar?status=approved").get_data(as_text=True)



@pytest.mark.parametrize("attempt", range(3))
def test_two_approvers_deciding_at_once_end_with_one_decision(app, db, world, applied, attempt):
    roles = {world.a.id: {"approver"}}

    def decide(person, outcome, **kwargs):
        return lambda session: retirement.decide(session, actor=person, roles=roles, application_id=applied.id,
                                                 outcome=outcome, **kwargs)

    results = race(app, [decide(world.approver, "approved", letter_to="employee"),
                          decide(world.second, "rejected", reason="Nej")])
    winners = [r for r in results if isinstance(r, PensionApplication)]
    losers = [r for r in results if isinstance(r, retirement.AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].outcome == winners[0].status
    application = _application(db, world)
    assert application.status == winners[0].status
    decided = [a for a in _actions(db, world.employee.id) if a in ("pension_approved", "pension_rejected")]
    assert len(decided) == 1


# --- monitoring --------------------------------------------------------------------------


def _settings_url(world):
    return f"/arbetsgivare/pension/{world.a.id}/bevakning/installningar"


def _save_settings(client, login_as, csrf_token, world, person=None, **fields):
    login_as(person or world.approver)
    return client.post(_settings_url(world), data={"csrf_token": csrf_token(_settings_url(world)), **fields})


def test_monitoring_lists_employees_reaching_a_milestone_with_its_meaning(client, db, login_as, csrf_token, world):
    response = _save_settings(client, login_as, csrf_token, world, enabled_fap_earliest="y", months_fap_earliest="6",
                              enabled_las_age="y", months_las_age="12")
    assert response.status_code == 303
    settings = {s.milestone: s.notice_months for s in db.exec(select(MonitoringSetting))}
    assert settings == {"fap_earliest": 6, "las_age": 12, "dc_earliest": 0, "normal_pension_age": 0,
                        "fap_latest": 0}
    assert "monitoring_settings_changed" in [e.action for e in db.exec(select(AuditEntry))]
    page = client.get(f"/arbetsgivare/pension/{world.a.id}/bevakning").get_data(as_text=True)
    # 61 on 2023-05-10, within six months of 2023-04-20; the LAS age (69 in 2031) is not.
    assert "Ingrid Pensionsson" in page and "10 maj 2023" in page
    assert "Tidigaste förmånsbestämda pension" in page and "minskad med 0,4 procent per månad" in page
    assert "LAS-ålder" not in page.split("<tbody>")[1]


def test_monitoring_downloads_as_csv_and_excel(client, db, login_as, csrf_token, world):
    db.add(MonitoringSetting(organisation_id=world.a.id, milestone="fap_earliest", notice_months=6))
    db.commit()
    make_employee(db, world.a, birth_date=date(1962, 6, 1), given_name="=1+1", family_name="Formelsson")
    login_as(world.handler)  # reading is for every staff member of the organisation
    csv = client.get(f"/arbetsgivare/pension/{world.a.id}/bevakning.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert "Ingrid Pensionsson" in lines[1] and "2023-05-10" in lines[1] and world.employee.pnr in lines[1]
    assert "'=1+1 Formelsson" in lines[2]  # a name that looks like a formula is neutralised; sorted by date
    xlsx = client.get(f"/arbetsgivare/pension/{world.a.id}/bevakning.xlsx")
    assert xlsx.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.data))
    assert any("Ingrid Pensionsson" in sheet.read(name).decode() for name in sheet.namelist())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"enabled_fap_earliest": "y", "months_fap_earliest": "sex"}, "Skriv ett helt antal månader från 0 till 60."),
        ({"enabled_fap_earliest": "y", "months_fap_earliest": "61"}, "Skriv ett helt antal månader från 0 till 60."),
        ({"enabled_fap_earliest": "y", "months_fap_earliest": ""}, "Ange bevakningstiden i månader"),
    ],
)
def test_bad_notice_times_get_a_clear_message_and_keep_the_input(client, db, login_as, csrf_token, world, fields,
                                                                 message):
    response = _save_settings(client, login_as, csrf_token, world, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'class="error-summary"' in page
    assert f'value="{fields["months_fap_earliest"]}"' in page or not fields["months_fap_earliest"]
    assert db.exec(select(MonitoringSetting)).all() == []


def test_only_approvers_change_the_monitoring_settings(client, db, login_as, csrf_token, world):
    response = _save_settings(client, login_as, csrf_token, world, person=world.handler,
                              enabled_fap_earliest="y", months_fap_earliest="6")
    assert response.status_code == 403
    assert db.exec(select(MonitoringSetting)).all() == []
    assert db.exec(select(EmployerRole).where(EmployerRole.person_id == world.handler.id)).one().role == "handler"


def test_every_rule_and_input_of_the_basis_and_the_milestones_has_a_translated_name(app):
    """The case page shows the basis' explanations: no code may appear in place of a name."""
    from decimal import Decimal

    from domain import Employment, PersonHistory, SalaryYear
    from domain.milestones import MILESTONES, milestone
    from domain.pension_basis import pension_basis

    history = PersonHistory(
        birth_date=BORN, employments=(Employment("2120000001", date(1990, 1, 1), None, "monthly", Decimal(100)),),
        salaries=tuple(SalaryYear(y, Decimal(900_000)) for y in range(1995, 2026)),
        ipr_1997=Decimal(24000), ipr_1997_above_ceiling=Decimal(3000))
    seen = ExplanationNames()

    for chose_akapkr in (False, True):
        basis = pension_basis(history, date(2029, 1, 1), chose_akapkr=chose_akapkr)
        for _code, figure in basis.figures():
            seen.walk(figure.explanation)
    for code in MILESTONES:
        seen.walk(milestone(code, date(1966, 1, 1), 6).explanation)
    seen.assert_all_named(app)


def test_an_application_to_an_organisation_the_employee_does_not_work_for_is_refused(
        client, db, login_as, csrf_token, world):
    login_as(world.employee)
    response = client.post("/min-pension/ansok", data={
        "csrf_token": csrf_token("/min-pension/ansok"), "start": "2024-03-01", "organisation_id": str(world.b.id)})
    assert response.status_code == 422
    assert "Välj en av dina arbetsgivare." in response.get_data(as_text=True)
    assert db.exec(select(PensionApplication)).all() == []


def test_no_letter_before_the_approval(client, login_as, world, applied):
    login_as(world.approver)
    assert client.get(_case_url(world, applied, "/pensionsbrev.pdf")).status_code == 404
    login_as(world.employee)
    assert client.get(f"/min-pension/ansok/{applied.id}/pensionsbrev.pdf").status_code == 404


def test_two_applications_sent_at_once_store_one(app, db, world):
    results = race(app, [
        lambda session: retirement.apply(session, person=world.employee, organisation_id=world.a.id,
                                         start=date(2024, 3, 1)),
        lambda session: retirement.apply(session, person=world.employee, organisation_id=world.a.id,
                                         start=date(2024, 4, 1)),
    ])
    assert sum(isinstance(r, PensionApplication) for r in results) == 1, results
    assert sum(isinstance(r, retirement.AlreadyApplied) for r in results) == 1, results
    db.expire_all()
    assert len(db.exec(select(PensionApplication)).all()) == 1
