"""The public pages in a real browser: language switch and accessibility in both languages."""

from __future__ import annotations


def test_start_page_switches_language_and_has_no_accessibility_violations(page, server, axe_check):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    axe_check(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Your occupational pension and your pension choice"
    axe_check(page)


def test_skip_link_moves_focus_to_main_content(page, server):
    page.goto(server + "/tillganglighet")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
