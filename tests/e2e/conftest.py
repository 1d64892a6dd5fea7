"""End-to-end tests: Debian's Chromium driven by Playwright against the app served on loopback.

Chromium is launched with the flags this closed network needs (no background networking)."""

from __future__ import annotations

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def axe_check():
    """Run axe-core (bundled with axe-playwright-python, no network) and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page) -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return _check


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish browser, as most of the service's users have; tests switch language explicitly.
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def log_in(server):
    """Log a browser page in through the real login: our login page, the test identity provider's
    page (typing the personal identity number), and back. Works in either language.

        log_in(page, "196503129824")                  # lands on the start page
        log_in(page, "196503129824", next="/min-pension")

    The person must exist in the database with an employment or a staff role (else the page
    says we have no employment for them)."""

    from urllib.parse import quote

    def _log_in(page, pnr: str, next: str = "/") -> None:
        page.goto(f"{server}/login?next={quote(next, safe='/')}")
        page.locator("a[href^='/login/start']").click()
        page.wait_for_url("**/test-idp/authorize?**")
        page.locator("#pnr").fill(pnr)
        page.locator("button[name=action][value=identify]").click()
        page.wait_for_url(lambda url: "/test-idp/" not in url and "/login/callback" not in url)
        if "/login" in page.url:  # the not-registered page or a refusal
            raise AssertionError(f"login as {pnr} failed: {page.locator('h1').inner_text()}")

    return _log_in
