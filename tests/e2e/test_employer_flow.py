"""The employer's day in Chromium: a handler finds a case by personal identity number, an approver
approves it, exports the report and downloads it; a rejection needs its reason; a late-choice
request is granted. axe checks the pages in Swedish and English. Staff log in through the real
login (test identity provider) with the ``log_in`` fixture."""

from __future__ import annotations

import re
from pathlib import Path

from tests.employer_factories import World, make_choice, make_late_request, make_person


def _logout(page):
    page.get_by_role("button", name=re.compile("Logga ut|Log out")).click()


def test_handler_finds_the_case_and_approver_approves_exports_and_downloads(page, server, db, log_in, axe_check,
                                                                           tmp_path):
    world = World(db)
    pnr = world.employee.pnr

    # The handler searches by personal identity number: typed into a form, never in the URL.
    log_in(page, world.handler.pnr, next="/arbetsgivare/")
    page.goto(server + "/arbetsgivare/")
    assert page.get_by_role("heading", level=1).inner_text() == "Val att handlägga"
    axe_check(page)
    page.get_by_label("Sök på namn eller personnummer").fill(f"{pnr[:8]}-{pnr[8:]}")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r"/arbetsgivare/\?.*search="))
    assert pnr[2:8] not in page.url and pnr[8:] not in page.url
    assert "1 val hittades." in page.locator("main").inner_text()
    page.get_by_role("link", name=world.choice.reference).click()
    page.wait_for_url(f"**/arbetsgivare/val/{world.choice.id}")
    assert "Bara en attestant" in page.locator("main").inner_text()
    axe_check(page)
    _logout(page)

    # The approver approves it.
    log_in(page, world.approver.pnr, next="/arbetsgivare/")
    page.goto(f"{server}/arbetsgivare/val/{world.choice.id}")
    page.get_by_label("Godkänn valet").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_url(f"**/arbetsgivare/val/{world.choice.id}")
    assert "Valet godkändes." in page.locator("main").inner_text()
    assert "Godkänt av Karin Karlsson" in page.locator("#decision").inner_text()
    axe_check(page)

    # ... exports the report and downloads it.
    page.get_by_role("link", name="Rapportering").click()
    assert "1 godkänt val är inte rapporterat." in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Exportera en ny omgång").click()
    assert "Omgång 1 skapades" in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV för omgång 1").click()
    target = tmp_path / "batch.csv"
    download_info.value.save_as(target)
    content = Path(target).read_text()
    assert content.splitlines() == [
        "org_number,pnr,agreement,chosen_on,late,approver",
        f"{world.org.org_number},{pnr},AKAP-KR,2023-04-20,0,Karin Karlsson",
    ]

    # The same pages in English pass axe too.
    page.get_by_role("button", name="In English").click()
    page.wait_for_url("**/arbetsgivare/rapportering*")
    assert page.get_by_role("heading", level=1).inner_text() == "Reporting to the administrator"
    axe_check(page)
    page.goto(server + "/arbetsgivare/?status=all")
    axe_check(page)
    page.goto(f"{server}/arbetsgivare/val/{world.choice.id}")
    assert "Choice reported to the administrator" in page.locator("main").inner_text()
    axe_check(page)


def test_a_rejection_needs_a_reason_and_a_late_request_is_granted(page, server, db, log_in, axe_check):
    world = World(db)
    late = make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    log_in(page, world.approver.pnr, next="/arbetsgivare/")
    page.goto(f"{server}/arbetsgivare/val/{world.choice.id}")
    page.get_by_label("Avslå valet").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    error = page.locator("#reason-error")
    assert "Ange skälet till avslaget" in error.inner_text()
    assert page.get_by_label("Skäl (krävs vid avslag)").get_attribute("aria-describedby") == "reason-error"
    axe_check(page)
    page.get_by_label("Avslå valet").check()
    page.get_by_label("Skäl (krävs vid avslag)").fill("Anställningen upphörde 2022.")
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_url(f"**/arbetsgivare/val/{world.choice.id}")
    assert "Skäl: Anställningen upphörde 2022." in page.locator("#decision").inner_text()

    page.get_by_role("link", name="Sena val").click()
    page.get_by_role("link", name="Sen Sensson").click()
    page.wait_for_url(f"**/arbetsgivare/sena-val/{late.id}")
    axe_check(page)
    page.get_by_label("Bevilja: den anställda får välja nu").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "Begäran beviljades." in page.locator("main").inner_text()
    assert page.locator("#late-status").inner_text() == "Beviljad"
    axe_check(page)
    page.get_by_role("link", name="Saknade val").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Saknade val"
    axe_check(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_url("**/arbetsgivare/saknade-val*")
    axe_check(page)
    page.get_by_role("link", name="Late-choice requests").first.click()
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Show").click()
    assert "Granted" in page.locator("main").inner_text()
    axe_check(page)


def test_bulk_approval_from_the_queue_with_htmx_filters(page, server, db, log_in, axe_check):
    world = World(db)
    for i in range(3):
        make_choice(db, make_person(db, "Bulk", f"Person{i}"), world.org, agreement="KAP-KL")
    log_in(page, world.approver.pnr, next="/arbetsgivare/")
    page.goto(server + "/arbetsgivare/")
    page.evaluate("window.__samePage = true")  # survives only if htmx swaps in place
    page.get_by_label("Valt avtal").select_option("KAP-KL")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"agreement=KAP-KL"))  # htmx pushed the shareable URL
    assert "3 val hittades." in page.locator("#queue-results").inner_text()
    assert page.evaluate("window.__samePage") is True, "filter"
    page.get_by_role("link", name="Namn").click()
    page.wait_for_url(re.compile(r"sort=name"))
    assert page.evaluate("window.__samePage") is True, "sort"
    page.get_by_role("link", name=re.compile("^Namn")).click()
    page.wait_for_url(re.compile(r"dir=desc"))
    names = page.locator("#queue-results tbody tr td:nth-child(3)").all_inner_texts()
    assert names == ["Bulk Person2", "Bulk Person1", "Bulk Person0"]
    assert page.evaluate("window.__samePage") is True
    # The pushed URL is shareable: loaded on its own it shows the same list.
    page.goto(page.url)
    assert page.locator("#queue-results tbody tr td:nth-child(3)").all_inner_texts() == names
    for i in range(3):
        page.get_by_label(f"Markera valet för Bulk Person{i}").check()
    page.get_by_label("Godkänn valet").check()
    page.get_by_role("button", name="Besluta om de markerade").click()
    assert "3 val har beslutats." in page.locator("main").inner_text()
    assert "0 val hittades." in page.locator("#queue-results").inner_text()
    axe_check(page)
