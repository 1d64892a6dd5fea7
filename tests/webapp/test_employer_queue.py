"""The employer's queue: scoped to the staff member's organisations, searchable without putting a
personal identity number in a URL, filterable, sortable on every column and paged."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.employer_factories import World, make_choice, make_late_request, make_person
from webapp.services.queue import PAGE_SIZE, SORT_COLUMNS


def _names(html: str) -> list[str]:
    """The names column of the queue table, in order."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    names = []
    for row in rows:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if len(cells) >= 3 and "PV-" in row:
            names.append(re.sub(r"<[^>]+>", "", cells[2] if "checkbox" in cells[0] or cells[0].strip() == "" else cells[1]).strip())
    return names


@pytest.fixture
def world(db):
    return World(db)


def test_queue_lists_only_choices_of_the_staff_members_organisations(client, login_as, world):
    login_as(world.handler)
    page = client.get("/arbetsgivare/").get_data(as_text=True)
    assert world.choice.reference in page
    assert "Anna Andersson" in page
    assert world.other_choice.reference not in page
    assert "Isaksson" not in page and world.other_employee.pnr[:8] not in page


def test_queue_counts_choices_per_status_and_waiting_late_requests(client, login_as, db, world):
    for status in ("approved", "approved", "rejected"):
        make_choice(db, make_person(db, "Per", "Persson"), world.org, status=status)
    make_choice(db, make_person(db, "Ulla", "Ulf"), world.other_org, status="approved")
    make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    login_as(world.handler)
    page = client.get("/arbetsgivare/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Mottaget: 1" in text
    assert "Godkänt: 2" in text
    assert "Avslaget: 1" in text
    assert "Sena val som väntar: 1" in text
    assert "Sen Sensson" in text  # the waiting request is listed with a link to its page


def test_search_by_personal_identity_number_is_posted_and_never_in_a_url_or_log(
    client, login_as, csrf_token, world, caplog
):
    login_as(world.handler)
    caplog.set_level(logging.DEBUG)
    pnr = world.employee.pnr
    typed = f"{pnr[2:8]}-{pnr[8:]}"  # ten digits with a dash, as people often type it
    response = client.post("/arbetsgivare/sok", data={"csrf_token": csrf_token("/arbetsgivare/"), "term": typed})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert pnr[2:8] not in location and pnr[8:] not in location
    page = client.get(location)
    html = page.get_data(as_text=True)
    assert world.choice.reference in html
    assert "1 val hittades" in html
    # Every link on the result page (sort, paging, filters) carries the opaque id, not the number.
    for href in re.findall(r'href="([^"]+)"', html):
        assert pnr[2:8] not in href
    assert all(pnr[8:] not in record.getMessage() and pnr[2:8] not in record.getMessage() for record in caplog.records)
    # Nor in the session cookie, which is signed but readable: the term is stored encrypted.
    with client.session_transaction() as session:
        stored = json.dumps(dict(session))
    assert pnr[2:8] not in stored and pnr[8:] not in stored


def test_search_by_name_finds_the_person_in_any_status_and_only_in_own_organisation(
    client, login_as, csrf_token, db, world
):
    make_choice(db, make_person(db, "Anna", "Berg"), world.org, status="approved")
    make_choice(db, make_person(db, "Anna", "Andersson"), world.other_org)
    make_choice(db, make_person(db, "Bo", "Bengtsson"), world.org)
    login_as(world.handler)
    response = client.post("/arbetsgivare/sok", data={"csrf_token": csrf_token("/arbetsgivare/"), "term": "anna"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 val hittades" in html
    assert "Anna Berg" in html and "Anna Andersson" in html and "Bengtsson" not in html


def test_search_without_a_term_explains_what_to_type(client, login_as, csrf_token, world):
    login_as(world.handler)
    response = client.post("/arbetsgivare/sok", data={"csrf_token": csrf_token("/arbetsgivare/"), "term": " "})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Skriv ett namn eller ett personnummer." in html


def test_a_search_id_not_held_in_this_session_reveals_nothing(client, login_as, world):
    login_as(world.handler)
    html = client.get("/arbetsgivare/?search=madeup").get_data(as_text=True)
    assert "Sökningen finns inte längre" in html


def test_filters_by_status_agreement_timing_and_received_dates(client, login_as, db, world):
    base = datetime(2023, 4, 10, 8, 0, tzinfo=UTC)
    make_choice(db, make_person(db, "Kap", "Klsson"), world.org, agreement="KAP-KL", chosen_at=base)
    make_choice(db, make_person(db, "Sen", "Valsson"), world.org, is_late=True, chosen_at=base + timedelta(days=60))
    make_choice(db, make_person(db, "God", "Kändsson"), world.org, status="approved", chosen_at=base)
    login_as(world.handler)

    def names(url):
        return set(re.findall(r"<td>([^<]+ [^<]+)</td>\s*<td>\d{8}-", client.get(url).get_data(as_text=True)))

    assert names("/arbetsgivare/") == {"Anna Andersson", "Kap Klsson", "Sen Valsson"}
    assert names("/arbetsgivare/?status=approved") == {"God Kändsson"}
    assert names("/arbetsgivare/?status=all&agreement=KAP-KL") == {"Kap Klsson"}
    assert names("/arbetsgivare/?timing=late") == {"Sen Valsson"}
    assert names("/arbetsgivare/?timing=on_time") == {"Anna Andersson", "Kap Klsson"}
    assert names("/arbetsgivare/?status=all&from=2023-04-10&to=2023-04-10") == {"Kap Klsson", "God Kändsson"}
    assert names("/arbetsgivare/?from=2023-06-01") == {"Sen Valsson"}


@pytest.mark.parametrize("column", sorted(SORT_COLUMNS))
def test_every_column_sorts_both_ways(client, login_as, db, world, column):
    people = [("Bo", "Ahl", "KAP-KL", True), ("Cia", "Berg", "AKAP-KR", False), ("Dan", "Cedergren", "KAP-KL", False)]
    for i, (given, family, agreement, late) in enumerate(people):
        make_choice(db, make_person(db, given, family, date(1960 + i, 1, 1)), world.org, agreement=agreement,
                    is_late=late, chosen_at=datetime(2023, 4, 2 + i, tzinfo=UTC), reference=f"PV-S{i}")
    login_as(world.approver)
    ascending = client.get(f"/arbetsgivare/?status=all&sort={column}&dir=asc").get_data(as_text=True)
    descending = client.get(f"/arbetsgivare/?status=all&sort={column}&dir=desc").get_data(as_text=True)
    refs_up = re.findall(r">(PV-[^<]+)</a>", ascending)
    refs_down = re.findall(r">(PV-[^<]+)</a>", descending)
    assert len(refs_up) == 4 and refs_down == list(reversed(refs_up)), column
    assert 'aria-sort="ascending"' in ascending and 'aria-sort="descending"' in descending
    if column == "name":
        assert refs_up == ["PV-S0", world.choice.reference, "PV-S1", "PV-S2"]


def test_paging_shows_fifty_per_page_and_keeps_the_filters(client, login_as, db, world):
    for i in range(PAGE_SIZE + 5):
        make_choice(db, make_person(db, "P", f"Nr{i:03d}"), world.org, agreement="KAP-KL",
                    chosen_at=datetime(2023, 4, 1, tzinfo=UTC) + timedelta(minutes=i), commit=False)
    db.commit()
    login_as(world.handler)
    first = client.get("/arbetsgivare/?agreement=KAP-KL").get_data(as_text=True)
    assert first.count(">PV-") == PAGE_SIZE
    assert "Sida 1 av 2" in first
    assert 'href="/arbetsgivare/?agreement=KAP-KL&amp;page=2"' in first
    second = client.get("/arbetsgivare/?agreement=KAP-KL&page=2").get_data(as_text=True)
    assert second.count(">PV-") == 5
    assert "Nr054" in second and "Nr000" not in second


def test_htmx_gets_only_the_rows_fragment_and_a_plain_request_the_whole_page(client, login_as, world):
    login_as(world.handler)
    fragment = client.get("/arbetsgivare/?status=all", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="queue-results"')
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    restore = client.get("/arbetsgivare/?status=all",
                         headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)
    page = client.get("/arbetsgivare/?status=all").get_data(as_text=True)
    assert "<html" in page and 'hx-push-url="true"' in page and world.choice.reference in page


def test_queue_with_malformed_filters_falls_back_to_defaults(client, login_as, world):
    login_as(world.handler)
    response = client.get("/arbetsgivare/?status=evil&from=notadate&page=-4&sort=drop&dir=x")
    assert response.status_code == 200
    assert world.choice.reference in response.get_data(as_text=True)


def test_staff_of_two_organisations_see_both_and_decide_only_where_they_approve(client, login_as, db, world):
    from webapp.models import EmployerRole

    db.add(EmployerRole(person_id=world.handler.id, organisation_id=world.other_org.id, role="approver"))
    db.commit()
    login_as(world.handler)
    page = client.get("/arbetsgivare/?sort=organisation").get_data(as_text=True)
    assert world.choice.reference in page and world.other_choice.reference in page
    assert page.index("Exempelby kommun</td>") < page.index("Exempelstad kommun</td>")
    # A checkbox to decide only for the organisation where they are an approver.
    assert f'value="{world.other_choice.id}" id="select-{world.other_choice.id}"' in page
    assert f'id="select-{world.choice.id}"' not in page
