"""Every route × every role: nobody sees another person's data, employer pages exist only for
their own organisation's staff, and no state-changing request works without the CSRF token.

The routes come from ``app.url_map``, so a route added later is covered automatically; a route
whose URL has a parameter not in ``SAMPLES`` fails the test until someone says which real rows
to try it with.

The world: two organisations, A and B. In each, an employee whose choice was approved and
reported (in a report batch), an employee with a choice waiting for a decision, an employee
with a pending late-choice request, a handler and an approver. The roles visit every route as:
nobody, an employee of A, another employee of A, and the handler and the approver of A and of B.
A person's data is recognised by name, personal identity number (in every written form),
choice reference and the free text of their late-choice request."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from tests.choice_factories import decide, make_person, sign_choice
from tests.factories import add_employer_role, make_organisation
from tests.factories import make_person as make_plain_person
from webapp.models import (
    Employment,
    ImportFile,
    LateChoiceRequest,
    LeavePeriod,
    MonitoringSetting,
    PensionApplication,
    SalaryYear,
)
from webapp.services import liability, reporting
from webapp.services.choices import CAMPAIGN_CODE

ROLES = ("anonymous", "employee", "other_employee", "handler_a", "approver_a", "handler_b", "approver_b")
TODAY = "2023-04-20"  # inside the choice period


@dataclass
class Subject:
    person_id: int
    org: str
    markers: list[str] = field(default_factory=list)


@dataclass
class World:
    subjects: dict[str, Subject]  # key -> whose data
    logins: dict[str, int]  # role -> person id
    staff_org: dict[str, str]  # role -> organisation key it holds a role in
    choice: dict[str, list[int]]  # organisation key -> choice ids
    late: dict[str, int]
    batch: dict[str, int]
    org_id: dict[str, int]
    records: dict[str, dict[str, int]]  # organisation key -> register segment -> a row of the waiting person
    import_file: dict[str, int]  # organisation key -> a salary file sent by it
    application: dict[str, int] = field(default_factory=dict)  # organisation key -> a pension application
    precalc: dict[str, int] = field(default_factory=dict)  # organisation key -> a saved pre-calculation for its reported employee
    calc: dict[str, int] = field(default_factory=dict)  # organisation key -> its saved pension liability calculation
    explanation_at: dict[str, str] = field(default_factory=dict)  # the employee's explanation links, by page


def _markers(person, *extra: str) -> list[str]:
    pnr = person.pnr
    return [person.name, pnr, f"{pnr[:8]}-{pnr[8:]}", f"{pnr[2:8]}-{pnr[8:]}", *extra]


def _build_world(db) -> World:
    subjects, logins, staff_org, choices, late, batch, org_ids = {}, {}, {}, {}, {}, {}, {}
    records, import_files, applications, precalcs, calcs = {}, {}, {}, {}, {}
    for index, key in enumerate(("a", "b")):
        org = make_organisation(db, name=f"Kommun {key.upper()}")
        org_ids[key] = org.id
        upper = key.upper()
        born = date(1961 + index, 2, 3)
        reported = make_person(db, org, birth=born, given_name=f"Rapporterad{upper}", family_name="Qvistberg")
        waiting = make_person(db, org, birth=date(1963 + index, 5, 6), given_name=f"Väntande{upper}",
                              family_name="Zackrisson")
        asking = make_person(db, org, birth=date(1966 + index, 8, 9), given_name=f"Sen{upper}",
                             family_name="Yxkullsdotter")
        handler = make_plain_person(db, birth_date=date(1970 + index, 1, 2), given_name=f"Handläggare{upper}",
                                    family_name="Wästberg")
        approver = make_plain_person(db, birth_date=date(1972 + index, 3, 4), given_name=f"Attestant{upper}",
                                     family_name="Vinterqvist")
        add_employer_role(db, handler, org, "handler")
        add_employer_role(db, approver, org, "approver")

        reported_choice = sign_choice(db, reported, "AKAP-KR")
        decide(db, reported_choice, "approved", by=approver.id)
        made = reporting.export_batch(db, actor=approver, roles={org.id: {"approver"}}, organisation_id=org.id)
        waiting_choice = sign_choice(db, waiting, "KAP-KL")
        reason = f"Sjukhusvistelse hemlig-{key}-7731"
        request = LateChoiceRequest(person_id=asking.id, organisation_id=org.id, campaign=CAMPAIGN_CODE,
                                    reason=reason, requested_at=datetime(2023, 6, 1, 9, 0, tzinfo=UTC))
        db.add(request)
        leave = LeavePeriod(person_id=waiting.id, start_date=date(2020, 1, 1), end_date=date(2020, 6, 30),
                            kind="leave")
        sent = ImportFile(organisation_id=org.id, uploaded_by_id=handler.id,
                          uploaded_at=datetime(2023, 4, 1, 9, 0, tzinfo=UTC), filename=f"lon-{key}.csv",
                          size=3, sha256=hashlib.sha256(key.encode()).hexdigest(), content=key.encode(),
                          status="done", progress=100,  # finished: no import worker picks it up
                          finished_at=datetime(2023, 4, 1, 9, 1, tzinfo=UTC))
        # An approved pension application of the reported employee (its letter goes to them in A, to
        # the employer in B) and monitoring of the 61-year milestone two years ahead (the waiting
        # employee reaches it).
        application = PensionApplication(
            person_id=reported.id, organisation_id=org.id, requested_start=date(2024, 3, 1),
            start_date=date(2024, 3, 1), basis_snapshot='{"figures": {"fap_at_start": "1000"}}',
            created_at=datetime(2023, 4, 3, 9, 0, tzinfo=UTC), status="approved",
            letter_to="employee" if key == "a" else "employer", decided_by=approver.id,
            decided_at=datetime(2023, 4, 4, 9, 0, tzinfo=UTC))
        monitoring = MonitoringSetting(organisation_id=org.id, milestone="fap_earliest", notice_months=24)
        db.add_all([leave, sent, application, monitoring])
        db.commit()
        applications[key] = application.id
        records[key] = {
            "anstallning": db.exec(select(Employment.id).where(Employment.person_id == waiting.id)).first(),
            "lon": db.exec(select(SalaryYear.id).where(SalaryYear.person_id == waiting.id)).first(),
            "ledighet": leave.id,
        }
        import_files[key] = sent.id
        precalcs[key] = _saved_precalculation(db, org, reported, handler)
        calcs[key] = liability.calculate(db, organisation_id=org.id, at=date(2022, 12, 31), actor_id=handler.id,
                                         now=datetime(2023, 4, 20, 9, 0, tzinfo=UTC)).id

        subjects[f"reported_{key}"] = Subject(reported.id, key, _markers(reported, reported_choice.reference))
        subjects[f"waiting_{key}"] = Subject(waiting.id, key, _markers(waiting, waiting_choice.reference))
        subjects[f"asking_{key}"] = Subject(asking.id, key, _markers(asking, reason))
        subjects[f"handler_{key}"] = Subject(handler.id, key, _markers(handler))
        subjects[f"approver_{key}"] = Subject(approver.id, key, _markers(approver))
        choices[key] = [reported_choice.id, waiting_choice.id]
        late[key] = request.id
        batch[key] = made.id
        logins[f"handler_{key}"], logins[f"approver_{key}"] = handler.id, approver.id
        staff_org[f"handler_{key}"] = staff_org[f"approver_{key}"] = key
    logins["employee"] = subjects["reported_a"].person_id
    logins["other_employee"] = subjects["waiting_a"].person_id
    return World(subjects, logins, staff_org, choices, late, batch, org_ids, records, import_files, applications,
                 precalcs, calcs)


def _saved_precalculation(db, organisation, person, author) -> int:
    """A pre-calculation the organisation saved for ``person``, addressed to them (real snapshots)."""
    import domain
    from webapp.services import precalc
    from webapp.services.history import person_history

    history = person_history(db, person)
    at = date.fromisoformat(TODAY)
    simulation = domain.simulate(history, domain.SimulationRequest(retirement_age=65), at)
    cover = domain.survivor_cover(history, at, simulation.agreement)
    row = precalc.save(db, actor=author, organisation=organisation, person=person, simulation=simulation,
                       survivors=cover, note="", addressee="employee", now=datetime(2023, 4, 20, 9, 0, tzinfo=UTC))
    return row.id


# The URL parameters of a route (sorted) -> the real rows to try it with: (organisation key, values).
# The key "x" marks a URL that mixes one organisation's ids with another's rows: 404 for everyone.
ORGS = ("a", "b")


def _register_person(w, k):
    return {"org_id": w.org_id[k], "person_id": w.subjects[f"waiting_{k}"].person_id}


SAMPLES = {
    ("choice_id",): lambda w: [(k, {"choice_id": ids[i]}) for k, ids in w.choice.items() for i in (0, 1)],
    ("request_id",): lambda w: [(k, {"request_id": v}) for k, v in w.late.items()],
    ("batch_id",): lambda w: [(k, {"batch_id": v}) for k, v in w.batch.items()],
    (): lambda w: [(None, {})],
    ("filename",): lambda w: [(None, {"filename": "css/site.css"})],
    # An explanation of the employee's figures; the last is no link of anyone's.
    ("at",): lambda w: [("a", {"at": at}) for at in w.explanation_at.values()] + [(None, {"at": "0-0"})],
    ("org_id",): lambda w: [(k, {"org_id": w.org_id[k]}) for k in ORGS],
    ("org_id", "person_id"): lambda w: [(k, _register_person(w, k)) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "person_id": w.subjects["waiting_b"].person_id})],
    ("org_id", "part", "person_id"): lambda w: [
        (k, {**_register_person(w, k), "part": part}) for k in ORGS for part in ("belopp", "historik")],
    ("org_id", "person_id", "segment"): lambda w: [
        (k, {**_register_person(w, k), "segment": segment}) for k in ORGS for segment in w.records[k]],
    ("org_id", "person_id", "record_id", "segment"): lambda w: [
        (k, {**_register_person(w, k), "segment": segment, "record_id": record})
        for k in ORGS for segment, record in w.records[k].items()]
    + [("x", {**_register_person(w, "a"), "segment": "lon", "record_id": w.records["b"]["lon"]})],
    # Invoice periods are half-years, not rows; "x" asks org A's invoice for a person of B.
    ("org_id", "period"): lambda w: [(k, {"org_id": w.org_id[k], "period": "2023-1"}) for k in ORGS],
    ("org_id", "period", "person_id"): lambda w: [
        (k, {**_register_person(w, k), "period": "2023-1"}) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "period": "2023-1", "person_id": w.subjects["waiting_b"].person_id})],
    ("application_id", "org_id"): lambda w: [
        (k, {"org_id": w.org_id[k], "application_id": w.application[k]}) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "application_id": w.application["b"]})],
    ("application_id",): lambda w: [(k, {"application_id": w.application[k]}) for k in ORGS],
    ("file_id", "org_id"): lambda w: [(k, {"org_id": w.org_id[k], "file_id": w.import_file[k]}) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "file_id": w.import_file["b"]})],
    ("org_id", "precalc_id"): lambda w: [(k, {"org_id": w.org_id[k], "precalc_id": w.precalc[k]}) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "precalc_id": w.precalc["b"]})],
    ("precalc_id",): lambda w: [(k, {"precalc_id": w.precalc[k]}) for k in ORGS],
    ("calc_id", "org_id"): lambda w: [(k, {"org_id": w.org_id[k], "calc_id": w.calc[k]}) for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "calc_id": w.calc["b"]})],
    ("calc_id", "org_id", "person_id"): lambda w: [
        (k, {"org_id": w.org_id[k], "calc_id": w.calc[k], "person_id": w.subjects[f"waiting_{k}"].person_id})
        for k in ORGS]
    + [("x", {"org_id": w.org_id["a"], "calc_id": w.calc["b"], "person_id": w.subjects["waiting_b"].person_id}),
       ("x", {"org_id": w.org_id["a"], "calc_id": w.calc["a"], "person_id": w.subjects["waiting_b"].person_id})],
}
NO_PERSONAL_DATA_ENDPOINTS = {"static"}
STAFF_PREFIXES = ("employer.", "register.", "invoices.", "retirement.", "precalc.", "liability.")
# A plain GET of these goes on to a page (the organisation's list; for a fragment made for htmx,
# the person's page); htmx gets the fragment itself.
REDIRECTS_TO_OWN_PAGE = {"register.index", "register.row", "register.person_part", "retirement.index",
                         "precalc.index", "liability.index"}
from tests.webapp.test_route_guards import CSRF_EXEMPT_ENDPOINTS  # noqa: E402  (one list for both tests)


def _requests(app, world, method):
    """(endpoint, url, organisation key of the rows in the URL or None) for every rule."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if method not in rule.methods:
            continue
        fixed = rule.defaults or {}  # e.g. the format of a download, fixed by the URL itself
        names = tuple(sorted(set(rule.arguments) - set(fixed)))
        assert names in SAMPLES, f"{rule.endpoint}: add sample rows for URL parameters {names} to SAMPLES"
        for org, values in SAMPLES[names](world):
            out.append((rule.endpoint, rule.build({**fixed, **values}, append_unknown=False)[1], org))
    return out


def _visible(world, role: str, endpoint: str) -> set[int]:
    """Whose data this role may see on this route: their own, and on the employer pages the
    people of the organisation they work for."""
    mine = {world.logins[role]} if role in world.logins else set()
    org = world.staff_org.get(role)
    if org and endpoint.startswith(STAFF_PREFIXES):
        mine |= {subject.person_id for subject in world.subjects.values() if subject.org == org}
    return mine


def _leaks(world, role, endpoint, response) -> list[str]:
    # (A PDF's text is compressed and glyph-encoded, so for the receipt PDF only its headers and
    # the 404 for others are checked; its content is the logged-in person's own choice.)
    body = response.get_data().decode("utf-8", "replace") + " " + response.headers.get("Content-Disposition", "")
    visible = _visible(world, role, endpoint)
    return [f"{key}: {marker!r}" for key, subject in world.subjects.items() if subject.person_id not in visible
            for marker in subject.markers if marker in body]


def _fingerprint(db) -> str:
    """A digest of every row of every table: equal before and after means nothing was stored."""
    digest = hashlib.sha256()
    db.expire_all()
    for table in SQLModel.metadata.sorted_tables:
        rows = db.exec(text(f'SELECT * FROM "{table.name}" ORDER BY 1')).all()
        digest.update(repr((table.name, [tuple(map(str, row)) for row in rows])).encode())
    db.rollback()
    return digest.hexdigest()


@pytest.fixture
def world(app, db):
    from webapp.testidp.inprocess import route_backchannel_in_process

    app.config["FIXED_TODAY"] = TODAY
    route_backchannel_in_process(app)  # the login pages reach the test identity provider
    world = _build_world(db)
    world.explanation_at = _explanation_links_of_the_employee(app, db, world.logins["employee"])
    return world


def _explanation_links_of_the_employee(app, db, person_id: int) -> dict[str, str]:
    """The ``at`` of a real explanation link of the employee's my pension and comparison, and of
    their simulation (webapp/explanation_links.py): valid for them, for nobody else."""
    from webapp.explanation_links import check_of
    from webapp.models import Person
    from webapp.services.history import load_records

    person = db.get(Person, person_id)
    day = date.fromisoformat(TODAY)
    with app.test_request_context():
        return {"figures": f"0-{check_of((load_records(db, person).fingerprint, day))}",
                "simulation": f"0-{check_of(((person.id, person.data_version), day))}"}


@pytest.fixture
def act_as(client, login_as, world, db):
    from webapp.models import Person

    def _act(role: str) -> None:
        client.delete_cookie("session")
        if role != "anonymous":
            login_as(db.get(Person, world.logins[role]))

    return _act


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_another_persons_data_and_employer_pages_are_only_for_their_own_staff(
        app, client, world, act_as, role):
    seen_own_data = 0
    for endpoint, url, org in _requests(app, world, "GET"):
        act_as(role)
        response = client.get(url)
        where = f"{role} GET {url} ({endpoint}) -> {response.status_code}"
        assert response.status_code < 500, where
        assert _leaks(world, role, endpoint, response) == [], where
        if endpoint.startswith(STAFF_PREFIXES):
            staff_of = world.staff_org.get(role)
            if role == "anonymous":
                assert response.status_code == 302 and "/login" in response.headers["Location"], where
            elif staff_of is None or (org is not None and org != staff_of):
                assert response.status_code == 404, where
            elif endpoint in REDIRECTS_TO_OWN_PAGE:
                assert response.status_code == 302 and "/login" not in response.headers["Location"], where
            else:
                assert response.status_code == 200, where
        if endpoint in REDIRECTS_TO_OWN_PAGE and response.status_code == 302:
            fragment = client.get(url, headers={"HX-Request": "true"})
            assert fragment.status_code < 500, f"{where} (htmx)"
            assert _leaks(world, role, endpoint, fragment) == [], f"{where} (htmx)"
        if endpoint not in NO_PERSONAL_DATA_ENDPOINTS and response.status_code == 200:
            fragment = client.get(url, headers={"HX-Request": "true"})  # htmx gets a fragment: same rules
            assert fragment.status_code == 200, f"{where} (htmx)"
            assert _leaks(world, role, endpoint, fragment) == [], f"{where} (htmx)"
            body = response.get_data().decode("utf-8", "replace")
            seen_own_data += any(marker in body for subject in world.subjects.values()
                                 if subject.person_id in _visible(world, role, endpoint) for marker in subject.markers)
    if role != "anonymous":
        # The check can fail: the pages a role may see do show people's data.
        assert seen_own_data > 0


@pytest.mark.parametrize("role", ROLES)
def test_no_state_changing_route_works_without_the_csrf_token_whoever_asks(app, client, world, act_as, db, role):
    for endpoint, url, _org in _requests(app, world, "POST"):
        if endpoint in CSRF_EXEMPT_ENDPOINTS:
            continue
        act_as(role)
        before = _fingerprint(db)
        response = client.post(url, data=_plausible_form(world, "a"))
        where = f"{role} POST {url} ({endpoint}) without CSRF -> {response.status_code}"
        assert response.status_code == 400, where
        assert _fingerprint(db) == before, where
        assert _leaks(world, role, endpoint, response) == [], where


def _plausible_form(world, org: str | None) -> dict:
    """Fields that would make each form valid, aimed at the rows of one organisation."""
    org = org or "a"
    return {
        "agreement": "AKAP-KR", "outcome": "approved", "reason": "Godkänt i matristestet",
        "choice_id": [str(i) for i in world.choice[org]], "organisation_id": str(world.org_id[org]),
        "term": "Zackrisson", "lang": "en", "next": "/",
    }


@pytest.mark.parametrize("role", ROLES)
def test_with_a_valid_token_employer_actions_change_nothing_for_anyone_but_the_organisations_approver(
        app, client, world, act_as, db, csrf_token, role):
    for endpoint, url, org in _requests(app, world, "POST"):
        if endpoint in CSRF_EXEMPT_ENDPOINTS:
            continue
        act_as(role)
        token = csrf_token("/")
        target = org if org in ORGS else "a"
        before = _fingerprint(db)
        response = client.post(url, data={**_plausible_form(world, target), "csrf_token": token})
        where = f"{role} POST {url} ({endpoint}) -> {response.status_code}"
        assert response.status_code < 500, where
        assert _leaks(world, role, endpoint, response) == [], where
        if not endpoint.startswith(STAFF_PREFIXES):
            continue
        staff_of = world.staff_org.get(role)
        outsider = staff_of is None or (org is not None and org != staff_of)
        if role == "anonymous":
            assert response.status_code == 302, where
        elif outsider:
            assert response.status_code == 404, where
        if endpoint.startswith(("register.", "precalc.", "liability.")):
            # The register, the pre-calculations and the pension liability are kept by every staff
            # member of the organisation, handlers included.
            if outsider:
                assert _fingerprint(db) == before, where
        elif role != f"approver_{target}" and endpoint != "employer.search":
            assert _fingerprint(db) == before, where
