"""The pension liability pages: only the organisation's staff, a new calculation by POST with CSRF,
the individual list with its name search, sort, pages and downloads, one person's reserve, and the
what-if with its validation in Swedish and English."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from domain import liability as rips
from tests.factories import make_employee, make_person
from tests.liability_support import TODAY, calculate, liability_world
from webapp.models import AuditEntry, LiabilityCalculation, LiabilityRow
from webapp.services import liability, liability_lists

BASE = "/arbetsgivare/pensionsskuld"


@pytest.fixture
def world(app, db):
    app.config["FIXED_TODAY"] = TODAY
    app.config["LIABILITY_WORKER"] = "inline"  # the calculation ends within the request
    return liability_world(db)


@pytest.fixture
def saved(db, world):
    return calculate(db, world)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _set_language(client, csrf_token, lang):
    token = csrf_token("/")
    assert client.post("/language", data={"lang": lang, "next": "/", "csrf_token": token}).status_code in (302, 303)


# --- who may see what --------------------------------------------------------------------------


def test_handler_and_approver_of_the_organisation_see_every_page(client, login_as, world, saved):
    org, calc = world.org.id, saved.id
    for staff in (world.handler, world.approver):
        login_as(staff)
        for url in (f"{BASE}/{org}/", f"{BASE}/{org}/berakning/{calc}", f"{BASE}/{org}/berakning/{calc}/personer",
                    f"{BASE}/{org}/berakning/{calc}/person/{world.active.id}",
                    f"{BASE}/{org}/berakning/{calc}/tank-om"):
            assert client.get(url).status_code == 200, url
        assert client.get(f"{BASE}/").status_code == 302  # one organisation: straight to its page


def test_staff_of_another_organisation_and_employees_get_404_and_visitors_the_login(client, login_as, world, saved):
    urls = [f"{BASE}/{world.org.id}/", f"{BASE}/{world.org.id}/berakning/{saved.id}",
            f"{BASE}/{world.org.id}/berakning/{saved.id}/personer.csv",
            f"{BASE}/{world.org.id}/berakning/{saved.id}/person/{world.active.id}"]
    for url in urls:
        assert "/login" in client.get(url).headers["Location"]
    for person in (world.outsider, world.active):
        login_as(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
    # The other organisation's own page works for its staff, but not with this calculation's id.
    login_as(world.outsider)
    assert client.get(f"{BASE}/{world.other.id}/").status_code == 200
    assert client.get(f"{BASE}/{world.other.id}/berakning/{saved.id}").status_code == 404


def test_a_person_outside_the_calculation_is_404(client, login_as, world, saved):
    login_as(world.handler)
    assert client.get(f"{BASE}/{world.org.id}/berakning/{saved.id}/person/{world.moved.id}").status_code == 404


# --- the organisation page and a new calculation -----------------------------------------------


def test_the_organisation_page_shows_the_totals_split_and_the_change_since_last_year(client, login_as, db, world):
    first = calculate(db, world, at=date(2021, 12, 31))
    second = calculate(db, world, at=date(2022, 12, 31), label="Bokslut 2022")
    login_as(world.approver)
    page = _page(client, f"{BASE}/{world.org.id}/")
    totals = liability.totals_of(second)
    money = lambda amount: f"{int(amount):,}".replace(",", "\u00a0") + "\u00a0kr"  # noqa: E731
    assert "Bokslut 2022" in page and "ansvarsförbindelse" in page and "avsättning" in page
    for amount in (totals.before_1998, totals.from_1998, totals.total, totals.total_with_tax):
        assert money(amount) in page
    change = totals.total - liability.totals_of(first).total
    assert money(change) in page  # the change since 31 December 2021
    assert "Ränta" in page and "Förväntade pensionsutbetalningar per år" in page
    assert '<th scope="row">2023</th>' in page  # the chart's data table
    # The earlier calculation reopens and has nothing to compare with.
    earlier = _page(client, f"{BASE}/{world.org.id}/berakning/{first.id}")
    assert money(liability.totals_of(first).total) in earlier
    assert "Det finns ingen sparad beräkning per en tidigare dag" in earlier


def test_a_new_calculation_is_made_by_post_with_csrf_and_audited(client, login_as, csrf_token, db, world):
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/"
    assert "Ingen pensionsskuld har beräknats" in _page(client, url)
    assert client.post(f"{BASE}/{world.org.id}/berakna", data={"at": "2022-12-31"}).status_code == 400
    assert db.exec(select(LiabilityCalculation)).all() == []
    response = client.post(f"{BASE}/{world.org.id}/berakna",
                           data={"csrf_token": csrf_token(url), "at": "2022-12-31", "label": "Bokslut"})
    assert response.status_code == 303
    made = db.exec(select(LiabilityCalculation)).one()
    assert response.headers["Location"].endswith(f"/berakning/{made.id}")
    assert (made.at, made.label, made.persons, made.created_by) == (date(2022, 12, 31), "Bokslut", 3, world.handler.id)
    assert len(db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == made.id)).all()) == 3
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "liability.calculated")).one().actor_id == \
        world.handler.id


@pytest.mark.parametrize(("typed", "message"), [
    ("2023-12-31", "Beräkningsdagen kan inte ligga i framtiden."),
    ("2022-13-45", "Skriv ett riktigt datum som ÅÅÅÅ-MM-DD"),  # the register's date field and message
    ("", "Ange beräkningsdagen."),
    ("2005-12-31", "Det finns inga RIPS-antaganden för 2005-12-31."),
])
def test_a_bad_calculation_date_is_refused_with_a_message_and_keeps_what_was_typed(
        client, login_as, csrf_token, db, world, typed, message):
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/"
    response = client.post(f"{BASE}/{world.org.id}/berakna",
                           data={"csrf_token": csrf_token(url), "at": typed, "label": "Mitt namn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'class="error-summary"' in page
    assert f'value="{typed}"' in page and 'value="Mitt namn"' in page
    assert db.exec(select(LiabilityCalculation)).all() == []


def test_during_a_closure_no_calculation_is_made_and_the_form_is_kept(app, client, login_as, csrf_token, db, world):
    from webapp.services.closures import schedule_closure

    start = datetime(2023, 4, 20, 11, 0, tzinfo=UTC)
    schedule_closure(db, start, start + timedelta(hours=3))
    login_as(world.handler)
    token = csrf_token(f"{BASE}/{world.org.id}/")
    response = client.post(f"{BASE}/{world.org.id}/berakna",
                           data={"csrf_token": token, "at": "2022-12-31", "label": "Under stängning"})
    assert response.status_code == 503 and "Under stängning" in response.get_data(as_text=True)
    assert db.exec(select(LiabilityCalculation)).all() == []


def test_during_a_closure_the_saved_calculations_can_be_searched_and_read(app, client, login_as, csrf_token, db,
                                                                           world, saved):
    from webapp.services.closures import schedule_closure

    start = datetime(2023, 4, 20, 11, 0, tzinfo=UTC)
    schedule_closure(db, start, start + timedelta(hours=3))
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/personer"
    found = client.post(f"{url}/sok", data={"csrf_token": csrf_token(url), "term": "Carlsson"})
    assert found.status_code == 303  # a search changes no data
    assert "Carlsson, Pensionär" in _page(client, found.headers["Location"])
    assert client.get(f"{BASE}/{world.org.id}/berakning/{saved.id}/tank-om?discount_rate=2").status_code == 200


# --- the individual list -----------------------------------------------------------------------


def test_the_name_search_is_posted_and_the_url_carries_neither_name_nor_pnr(client, login_as, csrf_token, world, saved):
    login_as(world.approver)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/personer"
    response = client.post(f"{url}/sok", data={"csrf_token": csrf_token(url), "term": "fribrev"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "fribrev" not in location.lower() and world.paid_up.pnr not in location and "sok=" in location
    page = _page(client, location)
    assert "Bengtsson, Fribrev" in page and "Andersson, Aktiva" not in page
    assert "1 personer matchar" in page
    # Sorting and paging keep the search (its id), still without the name.
    assert re.search(r'sok=[\w-]+&amp;sortera=born|sortera=born&amp;sok=[\w-]+', page)
    empty = client.post(f"{url}/sok", data={"csrf_token": csrf_token(url), "term": "  "})
    assert empty.status_code == 303 and "sok=" not in empty.headers["Location"]
    too_long = "Bengtsson" * 12
    refused = client.post(f"{url}/sok", data={"csrf_token": csrf_token(url), "term": too_long})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Använd högst 100 tecken." in page and f'value="{too_long}"' in page


def test_the_list_sorts_by_reserve_and_pages(client, login_as, db, world, saved, monkeypatch):
    login_as(world.handler)
    rows = db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == saved.id)).all()
    largest_first = [r.person_id for r in sorted(rows, key=lambda r: -r.total)]
    monkeypatch.setattr(liability_lists, "PAGE_SIZE", 2)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/personer?sortera=reserve"
    first = _page(client, url)
    second = _page(client, url + "&sida=2")
    ids = lambda page: [int(i) for i in re.findall(r"/person/(\d+)", page)]  # noqa: E731
    assert ids(first) + ids(second) == largest_first
    assert "Nästa sida" in first and "Föregående sida" in second
    assert ids(_page(client, f"{BASE}/{world.org.id}/berakning/{saved.id}/personer?sortera=reserve_asc&sida=2")) \
        == largest_first[::-1][2:]
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and ids(fragment) == largest_first[:2]


def test_no_page_puts_a_personal_identity_number_in_a_link(client, login_as, world, saved):
    login_as(world.handler)
    pnrs = [p.pnr for p in (world.active, world.paid_up, world.pensioner)]
    for url in (f"{BASE}/{world.org.id}/", f"{BASE}/{world.org.id}/berakning/{saved.id}/personer",
                f"{BASE}/{world.org.id}/berakning/{saved.id}/person/{world.paid_up.id}",
                f"{BASE}/{world.org.id}/berakning/{saved.id}/tank-om"):
        page = _page(client, url)
        links = re.findall(r'(?:href|action|hx-get)="([^"]*)"', page)
        assert links, url
        for link in links:
            digits = re.sub(r"\D", "", link)
            assert not any(pnr in digits or pnr[2:] in digits for pnr in pnrs), link
        assert not any(pnr in page for pnr in pnrs)  # nor anywhere on the pages


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_download_holds_every_person_with_the_stored_amounts_and_is_audited(client, login_as, db, world, saved):
    login_as(world.approver)
    response = client.get(f"{BASE}/{world.org.id}/berakning/{saved.id}/personer.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = _csv_rows(response.data)
    assert header[0] == "Personnummer" and len(rows) == 3
    stored = {r.person_id: r for r in db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == saved.id))}
    by_pnr = {p.pnr: p.id for p in (world.active, world.paid_up, world.pensioner)}
    for row in rows:
        kept = stored[by_pnr[row[0]]]
        assert Decimal(row[4].replace(",", ".")) == Decimal(kept.before_1998)
        assert Decimal(row[5].replace(",", ".")) == Decimal(kept.from_1998)
        assert Decimal(row[8].replace(",", ".")) == kept.total_with_tax
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "liability.downloaded")).one()
    assert entry.actor_id == world.approver.id and json.loads(entry.details)["format"] == "csv"


def test_the_excel_download_and_a_downloaded_search_hold_only_the_matches(client, login_as, csrf_token, world, saved):
    login_as(world.approver)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/personer"
    found = client.post(f"{url}/sok", data={"csrf_token": csrf_token(url), "term": "Carlsson"})
    search_id = re.search(r"sok=([\w-]+)", found.headers["Location"]).group(1)
    response = client.get(f"{url}.xlsx?sok={search_id}")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    sheet = zipfile.ZipFile(io.BytesIO(response.data)).read("xl/worksheets/sheet1.xml").decode()
    assert world.pensioner.pnr in sheet and world.active.pnr not in sheet
    assert sheet.count("<row ") == 2  # the header and the one match
    assert "Pensionärer" in sheet


def test_a_name_that_looks_like_a_formula_is_neutralised_in_the_download(client, login_as, db, world):
    make_employee(db, world.org, birth_date=date(1961, 1, 1), start=date(1990, 1, 1), ipr_1997=1000,
                  given_name="=HYPERLINK(1)", family_name="+Evil")
    calculation = calculate(db, world)
    login_as(world.handler)
    rows = _csv_rows(client.get(f"{BASE}/{world.org.id}/berakning/{calculation.id}/personer.csv").data)
    assert ["'+Evil, =HYPERLINK(1)"] == [r[1] for r in rows if "Evil" in r[1]]


# --- one person --------------------------------------------------------------------------------


def test_the_persons_page_shows_each_right_its_reserve_and_the_explanation(client, login_as, world, saved, db):
    login_as(world.handler)
    page = _page(client, f"{BASE}/{world.org.id}/berakning/{saved.id}/person/{world.active.id}")
    view = liability.person_in(db, saved, world.active.id)
    assert "Pensionsreserv för Aktiva Andersson" in page
    assert "Intjänad pensionsrätt (IPR) per 31 december 1997" in page and "Livränta intjänad från 2007" in page
    for part in view.parts:
        assert f"{int(part.reserve):,}".replace(",", "\u00a0") in page
    assert "Hur har detta räknats ut?" in page and "Pensionsreserv enligt RIPS" in page
    assert "Diskonteringsränta (real)" in page and "[S38]" in page  # a parameter with its source
    assert "<dt>Kategori</dt><dd>Aktiva anställda</dd>" in page  # the domain's codes in words
    assert "paid_up" not in page and "active<" not in page


# --- what-if -----------------------------------------------------------------------------------


def test_what_if_recomputes_the_total_with_a_new_discount_rate(client, login_as, db, world, saved):
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/tank-om"
    page = _page(client, f"{url}?discount_rate=2,5&mortality=SULT&payment_age=65")
    expected = rips.what_if_totals(liability.bases_of(db, saved), rips.change_assumptions(
        liability.assumptions_of(saved), discount_rate=Decimal("0.025")))
    assert expected.total < liability.totals_of(saved).total
    shown = re.search(r'id="what-if-total".*?figure-amount">([^<]+)<', page, re.S).group(1)
    assert shown == f"{int(expected.total):,}".replace(",", "\u00a0") + "\u00a0kr"
    assert 'value="2,5"' in page
    assert '<option value="SULT" selected>SULT: Standard Ultimate Life Table (Makeham law), unisex (obekräftat)' in page
    by_category = page.split("Per kategori, med dessa antaganden", 1)[1].split("</table>", 1)[0]
    active_before, active_after = expected.by_category["active"]
    assert f"{int(active_before + active_after):,}".replace(",", "\u00a0") + "\u00a0kr" in by_category
    # htmx gets the fragment to swap in place.
    fragment = client.get(f"{url}?discount_rate=2,5&mortality=SULT&payment_age=64",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="what-if"' in fragment and "what-if-total" in fragment
    assert db.exec(select(LiabilityCalculation)).all() == [saved]  # nothing stored


@pytest.mark.parametrize(("query", "field", "sv", "en"), [
    ("discount_rate=-1", "discount_rate", "kan inte vara lägre än 0 procent", "cannot be below 0 percent"),
    ("discount_rate=tio", "discount_rate", "Ange ett tal", "Enter a number"),
    ("discount_rate=1e9", "discount_rate", "högst 10 procent", "at most 10 percent"),
    ("discount_rate=", "discount_rate", "Ange diskonteringsräntan", "Enter the discount rate"),
    ("payment_age=99", "payment_age", "mellan 61 och 67", "between 61 and 67"),
    ("payment_age=sextio", "payment_age", "ett helt antal år", "a whole number of years"),
    ("payment_age=65.5", "payment_age", "ett helt antal år", "a whole number of years"),
    ("mortality=XYZ", "mortality", "Välj en av dödlighetstabellerna", "Choose one of the mortality tables"),
])
def test_what_if_refuses_bad_values_with_a_message_in_the_users_language_and_keeps_them(
        client, login_as, csrf_token, world, saved, query, field, sv, en):
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/berakning/{saved.id}/tank-om?{query}"
    typed = query.split("=", 1)[1]
    for lang, message in (("sv", sv), ("en", en)):
        if lang == "en":
            _set_language(client, csrf_token, "en")
        page = _page(client, url)
        assert 'class="error-summary"' in page and f'href="#{field}"' in page
        assert message in page, (lang, message)
        assert 'id="what-if-total"' not in page  # nothing recomputed
        if field != "mortality":
            assert f'value="{typed}"' in page


def test_all_bad_values_are_reported_at_once(client, login_as, world, saved):
    login_as(world.handler)
    page = _page(client, f"{BASE}/{world.org.id}/berakning/{saved.id}/tank-om?discount_rate=-2&payment_age=abc"
                         "&mortality=XYZ")
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li>") == 3


def test_the_english_pages_are_complete(client, login_as, csrf_token, world, saved):
    login_as(world.handler)
    _set_language(client, csrf_token, "en")
    page = _page(client, f"{BASE}/{world.org.id}/")
    assert "Pension liability of Exempelby kommun" in page and "contingent liability" in page
    assert "Pensionsskuld" not in page


def test_a_person_without_a_staff_role_gets_404(client, login_as, db, world, saved):
    nobody = make_person(db, birth_date=date(1990, 1, 1))
    login_as(nobody)
    assert client.get(f"{BASE}/").status_code == 404


# --- the calculation runs in the background ----------------------------------------------------


def _start(db, world, at=date(2022, 12, 31)):
    return liability.start(db, organisation_id=world.org.id, at=at, actor_id=world.handler.id,
                           now=datetime(2023, 4, 20, 12, 0, tzinfo=UTC))


def test_a_running_calculation_shows_its_progress_until_it_is_done(app, client, login_as, db, world):
    running = _start(db, world)
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/berakning/{running.id}"
    page = _page(client, url)
    assert "<progress" in page and "beräknas" in page and "Pensionsskuld per" not in page
    assert 'hx-trigger="every 1s"' in page
    poll = {"HX-Request": "true", "HX-Target": "liability-progress"}
    fragment = client.get(url, headers=poll)
    assert "<html" not in fragment.get_data(as_text=True) and "HX-Refresh" not in fragment.headers
    # The list and the what-if wait for the result.
    for part in ("personer", "tank-om", f"person/{world.active.id}", "personer.csv"):
        response = client.get(f"{url}/{part}")
        assert response.status_code == 302 and response.headers["Location"].endswith(url), part
    assert _page(client, f"{BASE}/{world.org.id}/").count("<progress") == 1  # the organisation page too

    liability.run(app.extensions["db_engine"], running.id, lambda: datetime(2023, 4, 20, 12, 1, tzinfo=UTC))
    done = client.get(url, headers=poll)
    assert done.headers["HX-Refresh"] == "true"
    page = _page(client, url)
    assert "<progress" not in page and "Pensionsskuld per 31 december 2022" in page


def test_the_page_starts_the_calculation_in_a_thread(app, client, login_as, csrf_token, db, world):
    import time

    app.config["LIABILITY_WORKER"] = "thread"
    login_as(world.handler)
    url = f"{BASE}/{world.org.id}/"
    response = client.post(f"{BASE}/{world.org.id}/berakna", data={"csrf_token": csrf_token(url), "at": "2022-12-31"})
    assert response.status_code == 303
    for _ in range(100):
        db.expire_all()
        made = db.exec(select(LiabilityCalculation)).one()
        if made.status != "running":
            break
        time.sleep(0.1)
    assert (made.status, made.persons, made.progress) == ("done", 3, 100)
    assert "Pensionsskuld per 31 december 2022" in _page(client, response.headers["Location"])


def test_a_failed_calculation_keeps_no_rows_and_the_organisation_page_shows_the_last_good_one(
        client, login_as, db, world, monkeypatch):
    good = calculate(db, world, at=date(2021, 12, 31))
    broken = _start(db, world)

    def fails(basis, assumptions):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rips, "person_reserve", fails)
    with pytest.raises(RuntimeError):
        liability.run(db.get_bind(), broken.id, lambda: datetime(2023, 4, 20, 12, 1, tzinfo=UTC))
    db.expire_all()
    assert db.get(LiabilityCalculation, broken.id).status == "failed"
    assert db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == broken.id)).all() == []
    login_as(world.handler)
    assert "kunde inte slutföras" in _page(client, f"{BASE}/{world.org.id}/berakning/{broken.id}")
    page = _page(client, f"{BASE}/{world.org.id}/")
    assert "Pensionsskuld per 31 december 2021" in page and "Inte klar" in page
    assert liability.previous_of(db, good) is None


def test_a_calculation_whose_worker_died_counts_as_failed(db, world):
    running = _start(db, world)
    assert liability.state_of(running, datetime(2023, 4, 20, 12, 1, tzinfo=UTC)) == "running"
    assert liability.state_of(running, datetime(2023, 4, 20, 12, 3, tzinfo=UTC)) == "failed"


def test_every_liability_route_requires_an_employer_role(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("liability.")]
    assert len(rules) >= 9
    for rule in rules:
        assert getattr(app.view_functions[rule.endpoint], "requires_staff", False), rule.endpoint


def test_the_calculation_downloads_as_a_pdf_for_the_accounts(client, login_as, db, world, monkeypatch):
    from webapp.liability import report_pdf
    from webapp.pdf import Document

    texts: list[str] = []

    class Recording(Document):  # the PDF's text is compressed: record what is written into it
        def rows(self, rows):
            texts.extend(f"{label} | {value}" for label, value in rows)
            super().rows(rows)

        def table(self, header, rows, **kwargs):
            texts.extend(" | ".join(map(str, row)) for row in (header, *rows, *filter(None, [kwargs.get("total")])))
            super().table(header, rows, **kwargs)

    monkeypatch.setattr(report_pdf, "Document", Recording)
    first = calculate(db, world, at=date(2021, 12, 31))
    second = calculate(db, world, at=date(2022, 12, 31))
    login_as(world.approver)
    response = client.get(f"{BASE}/{world.org.id}/berakning/{second.id}/rapport.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f"{second.at.isoformat()}.pdf" in response.headers["Content-Disposition"]
    money = lambda amount: f"{int(amount):,}".replace(",", "\u00a0") + "\u00a0kr"  # noqa: E731
    totals = liability.totals_of(second)
    assert (f"Total pensionsskuld | {money(totals.total)} | "
            f"{money(totals.payroll_tax_before_1998 + totals.payroll_tax_from_1998)} | "
            f"{money(totals.total_with_tax)}") in texts
    change = totals.total - liability.totals_of(first).total
    assert any(t.startswith("Förändring |") and t.endswith(money(change)) for t in texts), ([t for t in texts if t.startswith("Förändring")], money(change))
    assert "Beräkningsdag | 31 december 2022" in texts
    assert not any(p.pnr in t for t in texts for p in (world.active, world.paid_up, world.pensioner))
    login_as(world.outsider)
    assert client.get(f"{BASE}/{world.org.id}/berakning/{second.id}/rapport.pdf").status_code == 404
