"""The whole choice in Chromium through the real test identity provider: choosing, signing,
the receipt and its PDF, the refused second choice, and a late-choice request, in Swedish and
English, with axe on every page."""

from __future__ import annotations

import re

from tests.choice_factories import choices_of, make_late_request, make_person


def _sign_at_the_provider(page, pnr: str, button: str, axe_check) -> None:
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    axe_check(page)
    page.locator("#pnr").fill(pnr)
    page.get_by_role("button", name=button, exact=True).click()


def _csrf(page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def test_choosing_akap_kr_in_swedish_signing_and_a_refused_second_choice(app, page, server, db, log_in,
                                                                          axe_check):
    app.config["FIXED_TODAY"] = "2023-04-20"
    person = make_person(db)
    log_in(page, person.pnr, next="/val")
    page.wait_for_url(server + "/val")
    assert page.get_by_role("heading", level=1).inner_text() == "Ditt pensionsval 2023"
    axe_check(page)

    page.get_by_role("button", name="Gå vidare och bekräfta").click()  # nothing chosen yet
    assert "Välj KAP-KL eller AKAP-KR." in page.locator(".error-summary").inner_text()
    axe_check(page)

    page.get_by_label("Byta till AKAP-KR").check()
    page.get_by_role("button", name="Gå vidare och bekräfta").click()
    page.wait_for_url(server + "/val/bekrafta")
    assert "Valet går inte att ångra." in page.locator("main").inner_text()
    signed_text = page.locator("#signed-text").inner_text()
    assert "väljer att byta till AKAP-KR" in signed_text
    axe_check(page)

    page.get_by_role("button", name="Skriv under mitt val").click()
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    assert signed_text in page.locator(".sign-text").inner_text()
    _sign_at_the_provider(page, person.pnr, "Signera", axe_check)

    page.wait_for_url(server + "/val/kvitto")
    [choice] = choices_of(db, person)
    main = page.locator("main").inner_text()
    assert choice.reference in main and "Byta till AKAP-KR" in main
    axe_check(page)

    pdf = page.request.get(server + "/val/kvitto.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert choice.reference in pdf.headers["content-disposition"]

    # The choice page now shows the choice, with no form to choose again.
    page.goto(server + "/val")
    assert page.locator(".status-received").is_visible()
    assert page.locator("input[name=agreement]").count() == 0
    axe_check(page)

    # A replayed form (another tab, the back button) shows the existing choice and stores nothing.
    replay = page.request.post(server + "/val/signera", form={"csrf_token": _csrf(page), "agreement": "KAP-KL"})
    assert replay.url == server + "/val/kvitto"
    assert "Du har redan gjort ditt val" in replay.text()
    assert [c.reference for c in choices_of(db, person)] == [choice.reference]


def test_choosing_to_stay_in_kap_kl_in_english(app, page, server, db, log_in, axe_check):
    app.config["FIXED_TODAY"] = "2023-05-31"  # the last day of the period
    person = make_person(db, given_name="Örjan", family_name="Åkesson")
    page.goto(server + "/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/")
    log_in(page, person.pnr, next="/val")
    page.wait_for_url(server + "/val")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Your pension choice 2023"
    axe_check(page)

    page.get_by_label("Stay in KAP-KL").check()
    page.get_by_role("button", name="Continue to confirm").click()
    page.wait_for_url(server + "/val/bekrafta")
    assert "The choice cannot be undone." in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Sign my choice").click()
    _sign_at_the_provider(page, person.pnr, "Sign", axe_check)

    page.wait_for_url(server + "/val/kvitto")
    [choice] = choices_of(db, person)
    assert choice.agreement == "KAP-KL"
    main = page.locator("main").inner_text()
    assert choice.reference in main and "Stay in KAP-KL" in main and "Örjan Åkesson" in main
    axe_check(page)

    page.goto(server + "/val")
    assert "We have received your signed choice" in page.locator("main").inner_text()
    assert page.locator("input[name=agreement]").count() == 0


def test_a_late_choice_request_after_the_period_in_swedish(app, page, server, db, log_in, axe_check):
    app.config["FIXED_TODAY"] = "2023-06-15"
    person = make_person(db)
    log_in(page, person.pnr, next="/val")
    page.wait_for_url(server + "/val")
    main = page.locator("main").inner_text()
    assert "Valperioden är slut." in main and page.locator("input[name=agreement]").count() == 0
    axe_check(page)

    page.get_by_role("link", name="Begär ett sent val").click()
    page.wait_for_url(server + "/val/sen-begaran")
    axe_check(page)
    page.get_by_role("button", name="Skicka begäran").click()
    assert page.locator("#reason-error").is_visible()
    axe_check(page)

    page.get_by_label("Varför kunde du inte välja innan perioden tog slut?").fill(
        "Jag låg på sjukhus från april till mitten av juni.")
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_url(server + "/val")
    main = page.locator("main").inner_text()
    assert "Din begäran har skickats till din arbetsgivare." in main
    assert "Din arbetsgivare har inte svarat än." in main
    axe_check(page)


def test_a_granted_late_choice_is_made_and_signed_in_english(app, page, server, db, log_in, axe_check):
    app.config["FIXED_TODAY"] = "2023-06-20"
    person = make_person(db)
    make_late_request(db, person, "granted")
    page.goto(server + "/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/")
    log_in(page, person.pnr, next="/val")
    page.wait_for_url(server + "/val")
    assert "Late choice allowed" in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_label("Move to AKAP-KR").check()
    page.get_by_role("button", name="Continue to confirm").click()
    page.wait_for_url(server + "/val/bekrafta")
    page.get_by_role("button", name="Sign my choice").click()
    _sign_at_the_provider(page, person.pnr, "Sign", axe_check)
    page.wait_for_url(server + "/val/kvitto")
    assert "counts as made within the period" in page.locator("main").inner_text()
    axe_check(page)
    [choice] = choices_of(db, person)
    assert choice.is_late and choice.agreement == "AKAP-KR"
