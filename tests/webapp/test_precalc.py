"""Saved pre-calculations: staff of an organisation simulate, save and reopen them for its employees;
a saved one reads the same later; the employee sees those made for them; every step is scoped by
organisation and person."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.choice_factories import make_person
from tests.factories import add_employer_role, make_organisation
from tests.factories import make_person as make_plain_person
from webapp.models import AuditEntry, Precalculation, SalaryYear

TODAY = "2025-03-14"


@pytest.fixture
def world(app, db):
    app.config["FIXED_TODAY"] = TODAY
    ours = make_organisation(db, name="Exempelby kommun")
    theirs = make_organisation(db, name="Grannby kommun")
    anna = make_person(db, ours, birth=date(1962, 5, 17), given_name="Anna", family_name="Lindqvist")
    bertil = make_person(db, theirs, birth=date(1963, 8, 2), given_name="Bertil", family_name="Ström")
    handler = make_plain_person(db, birth_date=date(1980, 1, 5), given_name="Hanna", family_name="Handläggare")
    outsider = make_plain_person(db, birth_date=date(1981, 2, 6), given_name="Olle", family_name="Utomstående")
    add_employer_role(db, handler, ours, "handler")
    add_employer_role(db, outsider, theirs, "handler")
    return {"ours": ours, "theirs": theirs, "anna": anna, "bertil": bertil, "handler": handler,
            "outsider": outsider}


def _base(world):
    return f"/arbetsgivare/forhandsberakning/{world['ours'].id}"


def _save(client, csrf_token, world, **fields):
    base = _base(world)
    person = world["anna"]
    form = {"agreement": "KAP-KL", "retirement_age": "63", "withdrawal_share": "1", "dc_payout_years": "lifelong",
            "addressee": "employee", "note": "Inför pensionsavgång", **fields}
    token = csrf_token(f"{base}/person/{person.id}")
    return client.post(f"{base}/person/{person.id}/spara", data={**form, "csrf_token": token})


def _saved_id(response) -> int:
    return int(re.search(r"/sparad/(\d+)$", response.headers["Location"]).group(1))


def test_staff_simulates_an_employee_and_saves_it_with_an_audit_entry(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    page = client.get(f"{_base(world)}/person/{world['anna'].id}?agreement=KAP-KL&retirement_age=63")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Anna Lindqvist" in body and 'name="note"' in body
    response = _save(client, csrf_token, world)
    assert response.status_code == 303
    row = db.get(Precalculation, _saved_id(response))
    assert (row.organisation_id, row.person_id, row.created_by) == (world["ours"].id, world["anna"].id,
                                                                    world["handler"].id)
    assert row.retirement_age == 63 and row.agreement == "KAP-KL" and row.note == "Inför pensionsavgång"
    snapshot = json.loads(row.simulation_snapshot)
    assert snapshot["request"]["retirement_age"] == 63 and Decimal(snapshot["total_monthly"]) == row.total_monthly
    assert row.total_monthly > 0 and snapshot["parameters"], "the figures and the parameters with dates are kept"
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "precalc.saved")).one()
    assert entry.actor_id == world["handler"].id and entry.subject_person_id == world["anna"].id


def test_a_saved_precalculation_reads_the_same_after_the_salaries_change(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    url = f"{_base(world)}/sparad/{saved_id}"
    before = client.get(url).get_data(as_text=True)
    row = db.get(Precalculation, saved_id)
    total = _money_sv(row.total_monthly)
    assert total in before
    fresh_before = client.get(f"{_base(world)}/person/{world['anna'].id}?agreement=KAP-KL&retirement_age=63")
    assert total in _summary(fresh_before.get_data(as_text=True))

    for salary in db.exec(select(SalaryYear).where(SalaryYear.person_id == world["anna"].id)):
        salary.amount = salary.amount * 2
        db.add(salary)
    db.commit()

    fresh_after = client.get(f"{_base(world)}/person/{world['anna'].id}?agreement=KAP-KL&retirement_age=63")
    assert total not in _summary(fresh_after.get_data(as_text=True)), "a new simulation uses the new salaries"
    after = client.get(url).get_data(as_text=True)
    assert total in _summary(after)
    assert _figures(after) == _figures(before)


def test_a_saved_precalculation_does_not_change_when_a_parameter_would_change(
        client, login_as, csrf_token, db, world, monkeypatch):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    url = f"{_base(world)}/sparad/{saved_id}"
    before = client.get(url).get_data(as_text=True)

    import domain
    import domain.simulation

    def refuse(*args, **kwargs):
        raise AssertionError("a saved pre-calculation must not be computed again")

    monkeypatch.setattr(domain, "simulate", refuse)
    monkeypatch.setattr(domain.simulation, "simulate", refuse)
    monkeypatch.setattr(domain, "survivor_cover", refuse)
    after = client.get(url)
    assert after.status_code == 200
    assert _figures(after.get_data(as_text=True)) == _figures(before)


def _money_sv(amount: Decimal) -> str:
    whole = f"{amount.quantize(Decimal('1')):,}".replace(",", "\u00a0")
    return f"{whole}\u00a0kr"


def _summary(body: str) -> str:
    return re.search(r'<p class="simulation-summary".*?</p>', body, re.S).group(0)


def _figures(body: str) -> list[str]:
    return re.findall(r"[\d\u00a0]+\u00a0kr", body)


def test_staff_of_another_organisation_get_404_everywhere(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    login_as(world["outsider"])
    ours = world["ours"].id
    for url in (f"/arbetsgivare/forhandsberakning/{ours}/", f"/arbetsgivare/forhandsberakning/{ours}/sparade",
                f"/arbetsgivare/forhandsberakning/{ours}/person/{world['anna'].id}",
                f"/arbetsgivare/forhandsberakning/{ours}/sparad/{saved_id}",
                f"/arbetsgivare/forhandsberakning/{ours}/sparad/{saved_id}/brev.pdf"):
        assert client.get(url).status_code == 404, url
    theirs = world["theirs"].id
    # Their own organisation's ids with our rows: still 404.
    assert client.get(f"/arbetsgivare/forhandsberakning/{theirs}/sparad/{saved_id}").status_code == 404
    assert client.get(f"/arbetsgivare/forhandsberakning/{theirs}/person/{world['anna'].id}").status_code == 404


def test_staff_cannot_simulate_or_save_for_a_person_employed_elsewhere(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    bertil = world["bertil"]
    assert client.get(f"{_base(world)}/person/{bertil.id}").status_code == 404
    token = csrf_token(f"{_base(world)}/")
    response = client.post(f"{_base(world)}/person/{bertil.id}/spara",
                           data={"csrf_token": token, "retirement_age": "65", "addressee": "employee"})
    assert response.status_code == 404
    assert db.exec(select(Precalculation)).all() == []


def test_employees_without_a_staff_role_get_404(client, login_as, world):
    login_as(world["anna"])
    assert client.get(f"{_base(world)}/").status_code == 404
    assert client.get("/arbetsgivare/forhandsberakning/").status_code == 404


def test_search_by_personal_identity_number_is_posted_and_leads_to_the_person(client, login_as, csrf_token, world):
    login_as(world["handler"])
    token = csrf_token(f"{_base(world)}/")
    pnr = world["anna"].pnr
    response = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": f"{pnr[:8]}-{pnr[8:]}"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/person/{world['anna'].id}")
    assert pnr[:8] not in response.headers["Location"]
    # Someone employed elsewhere is not found here.
    other = world["bertil"].pnr
    refused = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": other})
    assert refused.status_code == 400 and "Ström" not in refused.get_data(as_text=True)
    by_name = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": "lindq"})
    assert by_name.status_code == 303
    listed = client.get(by_name.headers["Location"]).get_data(as_text=True)
    assert f"/person/{world['anna'].id}" in listed


def test_a_bad_save_keeps_what_was_typed_and_says_what_is_wrong(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    response = _save(client, csrf_token, world, retirement_age="58", note="Min anteckning")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Min anteckning" in body and 'class="error-summary"' in body
    assert db.exec(select(Precalculation)).all() == []


def test_saving_is_refused_during_a_planned_closure_and_keeps_the_note(client, login_as, csrf_token, db, world):
    from datetime import UTC, datetime, timedelta

    from webapp.models import PlannedClosure

    login_as(world["handler"])
    token = csrf_token(f"{_base(world)}/person/{world['anna'].id}")
    now = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    db.add(PlannedClosure(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
                          message_sv="Underhåll"))
    db.commit()
    response = client.post(f"{_base(world)}/person/{world['anna'].id}/spara",
                           data={"csrf_token": token, "retirement_age": "63", "agreement": "KAP-KL",
                                 "withdrawal_share": "1", "dc_payout_years": "lifelong", "addressee": "employee",
                                 "note": "Sparas senare"})
    assert response.status_code == 503 and "Sparas senare" in response.get_data(as_text=True)
    assert db.exec(select(Precalculation)).all() == []
    # Finding an employee changes nothing (it is posted only to keep numbers out of URLs): still open.
    found = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": world["anna"].pnr})
    assert found.status_code == 303


def test_the_employee_sees_their_own_precalculations_and_nobody_elses(client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    to_employee = _saved_id(_save(client, csrf_token, world))
    on_file = _saved_id(_save(client, csrf_token, world, addressee="employer", retirement_age="65"))
    login_as(world["anna"])
    listing = client.get("/min-pension/forhandsberakningar").get_data(as_text=True)
    assert f"/min-pension/forhandsberakningar/{to_employee}" in listing
    assert f"/min-pension/forhandsberakningar/{on_file}" in listing
    page = client.get(f"/min-pension/forhandsberakningar/{to_employee}")
    assert page.status_code == 200 and "Exempelby kommun" in page.get_data(as_text=True)
    assert "Inför pensionsavgång" not in page.get_data(as_text=True), "the staff's note stays with the employer"
    letter = client.get(f"/min-pension/forhandsberakningar/{to_employee}/brev.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    # The letter kept on file for the employer is not the employee's to download.
    assert client.get(f"/min-pension/forhandsberakningar/{on_file}/brev.pdf").status_code == 404
    login_as(world["bertil"])
    assert client.get(f"/min-pension/forhandsberakningar/{to_employee}").status_code == 404
    assert client.get(f"/min-pension/forhandsberakningar/{to_employee}/brev.pdf").status_code == 404
    assert f"/forhandsberakningar/{to_employee}" not in client.get("/min-pension/forhandsberakningar").get_data(
        as_text=True)


# "du", "din", "ditt", "dina": Swedish that speaks to the reader as the employee.
SPEAKS_TO_THE_READER = re.compile(r"\b(du|din|ditt|dina)\b", re.IGNORECASE)


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class _RecordingDocument:
    """Stands in for webapp.pdf.Document and keeps every text put into the letter."""

    texts: list[str] = []

    def __init__(self, title, **meta):
        from webapp.pdf import Document

        self._real = Document(title, **meta)
        self.width = self._real.width
        _RecordingDocument.texts = [title]

    def heading(self, text):
        self.texts.append(text)
        self._real.heading(text)

    def paragraph(self, text, **kwargs):
        self.texts.append(text)
        self._real.paragraph(text, **kwargs)

    def rows(self, rows):
        self.texts.extend(f"{label}: {value}" for label, value in rows)
        self._real.rows(rows)

    def table(self, header, rows, **kwargs):
        for cells in (header, *rows, kwargs.get("total") or ()):
            self.texts.append(" | ".join(map(str, cells)))
        self._real.table(header, rows, **kwargs)

    def output(self):
        return self._real.output()


@pytest.fixture
def letter_texts(monkeypatch):
    from webapp.precalc import letter_pdf

    monkeypatch.setattr(letter_pdf, "Document", _RecordingDocument)
    return lambda: "\n".join(_RecordingDocument.texts)


def test_the_letter_to_the_employee_is_addressed_to_them_with_the_saved_figures(
        client, login_as, csrf_token, db, world, letter_texts):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    row = db.get(Precalculation, saved_id)
    response = client.get(f"{_base(world)}/sparad/{saved_id}/brev.pdf?till=employee")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert world["anna"].pnr not in response.headers["Content-Disposition"]
    text = letter_texts()
    assert "Till: Anna Lindqvist" in text and "Hej Anna Lindqvist" in text
    assert f"Totalt per månad |  |  | {_money_sv(row.total_monthly)}" in text
    for part in json.loads(row.simulation_snapshot)["parts"]:
        assert _money_sv(Decimal(part["monthly_at_start"])) in text
    assert "Inför pensionsavgång" not in text, "the staff's note is not in the employee's letter"
    assert "inte ett beslut om din pension" in text and "på ditt avgiftsbestämda pensionskapital" in text
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "precalc.letter")).one()
    assert json.loads(entry.details)["addressee"] == "employee" and entry.actor_id == world["handler"].id


def test_the_letter_to_the_employer_names_the_employer_and_the_employee_it_concerns(
        client, login_as, csrf_token, db, world, letter_texts):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    assert client.get(f"{_base(world)}/sparad/{saved_id}/brev.pdf?till=employer").status_code == 200
    text = letter_texts()
    assert "Till: Exempelby kommun (arbetsgivare, arkivexemplar)" in text
    assert "Avser: Anna Lindqvist, född 17 maj 1962" in text
    assert "Hej Anna" not in text and "Anteckning: Inför pensionsavgång" in text
    # It speaks about the employee, not to them.
    assert "inte ett beslut om den anställdas pension" in text
    assert "på den anställdas avgiftsbestämda pensionskapital" in text
    assert SPEAKS_TO_THE_READER.findall(text) == []


def test_the_staff_pages_speak_about_the_employee_and_the_employees_own_page_to_them(
        client, login_as, csrf_token, db, world):
    login_as(world["handler"])
    page = _words(client.get(f"{_base(world)}/person/{world['anna'].id}"
                             "?agreement=KAP-KL&retirement_age=63&withdrawal_share=0.5").get_data(as_text=True))
    assert "Den anställdas pension per månad från 63 år i KAP-KL" in page
    assert "Den anställda tar ut 50 % av pensionen från 63 år." in page
    assert "Om den anställda skulle avlida nu: efterlevandeskydd i KAP-KL" in page
    assert "Uttagen andel" in page and "inte ett beslut om den anställdas pension" in page
    assert SPEAKS_TO_THE_READER.findall(page) == []
    saved_id = _saved_id(_save(client, csrf_token, world))
    shown = _words(client.get(f"{_base(world)}/sparad/{saved_id}").get_data(as_text=True))
    assert "Den anställdas pension per månad från 63 år i KAP-KL" in shown
    assert "Vad den anställdas efterlevande skulle få från avtalet, före skatt" in shown
    assert SPEAKS_TO_THE_READER.findall(shown) == []
    login_as(world["anna"])
    own = _words(client.get(f"/min-pension/forhandsberakningar/{saved_id}").get_data(as_text=True))
    assert "Din pension per månad från 63 år i KAP-KL" in own
    assert "Om du skulle avlida nu: efterlevandeskydd i KAP-KL" in own
    assert "Den anställda" not in own


def test_the_letter_is_in_english_for_an_english_reader(client, login_as, csrf_token, db, world, letter_texts):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    with client.session_transaction() as session:
        session["lang"] = "en"
    row = db.get(Precalculation, saved_id)
    assert client.get(f"{_base(world)}/sparad/{saved_id}/brev.pdf?till=employee").status_code == 200
    text = letter_texts()
    assert "To: Anna Lindqvist" in text and "Dear Anna Lindqvist" in text
    assert f"SEK\u00a0{row.total_monthly.quantize(Decimal('1')):,}" in text


def test_the_demo_has_a_saved_precalculation_that_anna_andersson_sees(app, db, client, login_as):
    from webapp.demo.commands import fill
    from webapp.models import Person

    app.config["FIXED_TODAY"] = "2023-04-20"
    fill(app.extensions["db_engine"], 100, 2023, False)
    anna = db.exec(select(Person).where(Person.pnr == "196503129824")).one()
    row = db.exec(select(Precalculation).where(Precalculation.person_id == anna.id)).one()
    assert row.retirement_age == 63 and row.total_monthly > 0
    login_as(anna)
    page = client.get(f"/min-pension/forhandsberakningar/{row.id}")
    assert page.status_code == 200 and _money_sv(row.total_monthly) in _summary(page.get_data(as_text=True))


def test_the_letter_shows_a_fixed_payout_period_ending_as_a_change_in_the_total(
        client, login_as, csrf_token, db, world, letter_texts):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world, dc_payout_years="10"))
    snapshot = json.loads(db.get(Precalculation, saved_id).simulation_snapshot)
    dc = next(p for p in snapshot["parts"] if p["payout_years"] == 10)
    assert client.get(f"{_base(world)}/sparad/{saved_id}/brev.pdf").status_code == 200
    text = letter_texts()
    first, last = dc["start_age"], dc["start_age"] + 9
    total = Decimal(snapshot["total_monthly"])
    after = total - Decimal(dc["monthly_at_start"])
    assert f"{first}–{last} | 2025–2034 | {_money_sv(total)}" in text
    assert f"{last + 1}–" in text and _money_sv(after) in text


@pytest.fixture
def changed_reduction(tmp_path, monkeypatch):
    """The parameter files with a larger reduction for early withdrawal (0.6 % a month instead of
    0.4 %), as if the rule had changed after the pre-calculation was saved."""
    import shutil

    from domain import parameters

    def change():
        copy = tmp_path / "parameters"
        shutil.copytree(parameters.PARAMETER_DIR, copy)
        kapkl = copy / "kapkl.toml"
        text = kapkl.read_text(encoding="utf-8")
        changed = text.replace('{ from = 2006-01-01, value = "0.004", source = "[S26] RIPS 07',
                               '{ from = 2006-01-01, value = "0.006", source = "[S26] RIPS 07')
        assert changed != text
        kapkl.write_text(changed, encoding="utf-8")
        monkeypatch.setattr(parameters, "PARAMETER_DIR", copy)
        _clear_domain_caches()

    yield change
    monkeypatch.undo()
    _clear_domain_caches()


def _clear_domain_caches():
    """The domain caches what it derives from the parameters; a changed file needs them cleared."""
    import sys

    for name, module in list(sys.modules.items()):
        if name == "domain" or name.startswith("domain."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def test_a_saved_precalculation_reads_the_same_after_a_parameter_changes(
        client, login_as, csrf_token, db, world, changed_reduction):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    url = f"{_base(world)}/sparad/{saved_id}"
    fresh = f"{_base(world)}/person/{world['anna'].id}?agreement=KAP-KL&retirement_age=63"
    before, fresh_before = client.get(url).get_data(as_text=True), client.get(fresh).get_data(as_text=True)
    assert _summary(before) == _summary(fresh_before)

    changed_reduction()

    fresh_after = client.get(fresh).get_data(as_text=True)
    assert _summary(fresh_after) != _summary(fresh_before), "a new simulation uses the changed parameter"
    after = client.get(url).get_data(as_text=True)
    assert _summary(after) == _summary(before) and _figures(after) == _figures(before)
    assert "0,40" in after and "0,60" not in after, "the saved parameters are shown as they were"


def test_a_snapshot_in_a_format_this_version_cannot_read_shows_its_summary_instead_of_failing(
        client, login_as, csrf_token, db, world, letter_texts):
    login_as(world["handler"])
    saved_id = _saved_id(_save(client, csrf_token, world))
    row = db.get(Precalculation, saved_id)
    row.simulation_snapshot = json.dumps({"version": 0, "figures": "in some earlier shape"})
    db.add(row)
    db.commit()
    page = client.get(f"{_base(world)}/sparad/{saved_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "tidigare format" in body and _money_sv(row.total_monthly).replace("\u00a0kr", ",00\u00a0kr") in body
    assert client.get(f"{_base(world)}/sparad/{saved_id}/brev.pdf").status_code == 200
    assert "Till: Anna Lindqvist" in letter_texts()
    login_as(world["anna"])
    assert client.get(f"/min-pension/forhandsberakningar/{saved_id}").status_code == 200


def test_the_navigation_links_to_the_employees_precalculations_once_there_is_one(client, login_as, csrf_token, world):
    login_as(world["anna"])
    assert 'href="/min-pension/forhandsberakningar"' not in client.get("/min-pension").get_data(as_text=True)
    login_as(world["handler"])
    _save(client, csrf_token, world)
    login_as(world["anna"])
    assert 'href="/min-pension/forhandsberakningar"' in client.get("/min-pension").get_data(as_text=True)


def test_bad_input_on_the_search_and_the_note_gets_a_message_and_keeps_the_text(client, login_as, csrf_token, db,
                                                                                 world):
    login_as(world["handler"])
    token = csrf_token(f"{_base(world)}/")
    empty = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": "  "})
    assert empty.status_code == 400 and "Skriv ett namn eller ett personnummer." in empty.get_data(as_text=True)
    wrong = client.post(f"{_base(world)}/sok", data={"csrf_token": token, "term": "19620517-0000"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "Personnumrets kontrollsiffra är fel." in body and "19620517-0000" in body
    long_note = "Lång anteckning " * 80
    too_long = _save(client, csrf_token, world, note=long_note)
    assert too_long.status_code == 400
    body = too_long.get_data(as_text=True)
    assert "Skriv högst 1000 tecken." in body and long_note.strip() in body
    assert db.exec(select(Precalculation)).all() == []


def test_staff_of_several_organisations_choose_one_and_staff_of_one_go_straight_to_it(client, login_as, db, world):
    add_employer_role(db, world["handler"], world["theirs"], "approver")
    login_as(world["handler"])
    page = client.get("/arbetsgivare/forhandsberakning/").get_data(as_text=True)
    assert f"/arbetsgivare/forhandsberakning/{world['ours'].id}/" in page
    assert f"/arbetsgivare/forhandsberakning/{world['theirs'].id}/" in page
    login_as(world["outsider"])
    response = client.get("/arbetsgivare/forhandsberakning/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/arbetsgivare/forhandsberakning/{world['theirs'].id}/")
