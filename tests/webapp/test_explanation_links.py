""""How was this calculated?" on the employee's pages is loaded when it is opened: each disclosure
links to its explanation, which answers htmx with the explanation alone and a browser without
JavaScript with a page of its own; a link to figures that changed is refused with a way back; a
link is the person's own; the staff's pages keep their explanations inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

import domain
from tests.explanation_support import explanation_links
from tests.factories import flat_salaries, make_employee, make_organisation
from webapp.models import SalaryYear

TODAY = date(2023, 4, 20)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fixed_today(app):
    app.config["FIXED_TODAY"] = TODAY.isoformat()


@pytest.fixture
def organisation(db):
    return make_organisation(db, name="Exempelby kommun")


@pytest.fixture
def anna(db, organisation):
    return make_employee(db, organisation, birth_date=date(1965, 3, 12),
                         salaries=flat_salaries(2000, 2022, 420_000, growth="0.03"), ipr_1997=Decimal(24_000),
                         given_name="Anna", family_name="Andersson", fixed_monthly_salary_2022_12_31=Decimal(62_000))


def get(client, url, **headers):
    return client.get(url, headers={"Accept-Language": "en", **headers})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_disclosure_holds_a_link_that_htmx_loads_as_it_opens_and_the_explanation_is_not_in_the_page(
        client, login_as, anna):
    login_as(anna)
    page = text(get(client, "/min-pension"))
    link = explanation_links(page)[0]
    assert f'<a href="{link}">Show the calculation' in page  # without JavaScript: follow the link
    assert 'hx-trigger="toggle once"' in page
    assert "Rule: " not in page and "Source:" not in page  # the workings are not sent with the page

    fragment = get(client, link, **{"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers["Vary"]
    body = text(fragment)
    assert "<html" not in body and "Rule: " in body and "Source:" in body

    own_page = text(get(client, link))
    assert own_page.startswith("<!doctype html>")
    assert '<a href="/min-pension">Back to my pension</a>' in own_page
    assert "Rule: " in own_page


def test_the_explanation_is_the_one_of_the_figure_whose_disclosure_links_it(client, db, login_as, anna):
    """The pensionsunderlag's disclosure opens the pensionsunderlag's workings with its own figures."""
    from webapp.services.history import person_history

    login_as(anna)
    page = text(get(client, "/min-pension"))
    pu = domain.entitlements(person_history(db, anna), TODAY).pensionsunderlag
    figure = page.split('<p class="figure-label" id="pu-label">', 1)[1]
    link = explanation_links(figure)[0]  # the first disclosure after the pensionsunderlag's label
    explanation = text(get(client, link))
    assert "<h1>Pensionsunderlag: average of the five best of seven years</h1>" in explanation
    assert pu.explanation.source in explanation
    assert pu.explanation.formula.replace("'", "&#39;") in explanation


def test_a_link_to_figures_that_changed_says_so_and_leads_back(client, db, login_as, anna):
    login_as(anna)
    old_link = explanation_links(text(get(client, "/min-pension")))[0]
    salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == anna.id, SalaryYear.year == 2022)).one()
    salary.amount += 12_000
    db.add(salary)
    db.commit()

    gone = get(client, old_link)
    assert gone.status_code == 404
    assert "Your figures have changed since the page was shown" in text(gone)
    assert '<a href="/min-pension">Back to my pension</a>' in text(gone)
    # htmx does not swap a 404 in: the disclosure keeps its link to this page.
    assert get(client, old_link, **{"HX-Request": "true"}).status_code == 404

    new_link = explanation_links(text(get(client, "/min-pension")))[0]
    assert new_link != old_link
    assert get(client, new_link).status_code == 200


def test_a_link_is_only_the_persons_own(client, db, login_as, anna, organisation):
    """Another employee with the very same register rows cannot open Anna's link: the check is
    made from the rows and the person."""
    twin = make_employee(db, organisation, birth_date=date(1965, 3, 12),
                         salaries=flat_salaries(2000, 2022, 420_000, growth="0.03"), ipr_1997=Decimal(24_000),
                         given_name="Tvilling", family_name="Andersson",
                         fixed_monthly_salary_2022_12_31=Decimal(62_000))
    login_as(anna)
    links = explanation_links(text(get(client, "/min-pension")))
    login_as(twin)
    assert {get(client, link).status_code for link in links} == {404}
    for malformed in ("x-1", "99999-0", "1", "-"):
        assert get(client, f"/min-pension/forklaring/{malformed}").status_code == 404


def test_comparison_links_keep_the_assumptions_the_person_chose(client, login_as, anna):
    login_as(anna)
    page = text(get(client, "/min-pension/jamforelse?retirement_age=62&real_return=2.5"))
    link = explanation_links(page)[0]
    assert link.startswith("/min-pension/jamforelse/forklaring/")
    assert "retirement_age=62" in link and "real_return=2.5" in link
    explanation = text(get(client, link))
    assert "Retirement age" in explanation and "62" in explanation
    assert "Back to the comparison" in explanation
    assert "/min-pension/jamforelse?" in explanation and "retirement_age=62" in explanation
    # The same number under other assumptions is another comparison's: not this one.
    other = link.replace("retirement_age=62", "retirement_age=66")
    assert text(get(client, other)) != explanation


def test_simulation_links_open_the_simulated_parts_workings(client, login_as, anna):
    login_as(anna)
    page = text(get(client, "/min-pension/simulering?retirement_age=63"))
    links = explanation_links(page)
    assert links and all(link.startswith("/min-pension/simulering/forklaring/") for link in links)
    assert all("retirement_age=63" in link for link in links)
    answers = [get(client, link) for link in links]
    assert all(answer.status_code == 200 and "Rule: " in text(answer) for answer in answers)
    assert "Back to the simulation" in text(answers[0])


def test_every_process_numbers_the_explanations_alike(tmp_path):
    """Links are followed on whichever process or host the load balancer picks: the numbering
    must not depend on the process (string hashing differs between processes)."""
    script = (
        "import json, sys; from datetime import date; import domain; from tests.domain.builders import "
        "person, flat_salaries; from webapp.explanation_links import _explanations; "
        "h = person(salaries=flat_salaries(400000, 2000, 2022)); "
        "a = domain.default_assumptions(date(2023, 4, 20)); "
        "print(json.dumps([(e.rule, e.formula) for e in _explanations(["
        "domain.entitlements(h, date(2023, 4, 20)), domain.compare_ages(h, a, date(2023, 4, 20), ages=range(61, 68))])]))"
    )
    orders = [
        json.loads(subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                                  env={**os.environ, "PYTHONHASHSEED": seed}).stdout)
        for seed in ("1", "2")
    ]
    assert len(orders[0]) > 30
    assert orders[0] == orders[1]


def test_staff_pages_keep_the_explanation_inside(client, login_as, anna, organisation, db):
    """Outside the employee's pages nothing links explanations: the disclosure holds the workings."""
    from webapp.explanation_html import explanation_disclosure

    explanation = domain.Explanation(rule="pensionsunderlag", source="KAP-KL § 5")
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        html = str(explanation_disclosure(explanation))
    assert "hx-get" not in html
    assert "Rule: Pensionsunderlag: average of the five best of seven years." in html
    assert "KAP-KL § 5" in html
