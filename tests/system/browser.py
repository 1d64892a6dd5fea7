"""A scripted browser over real HTTP (``requests``): log in and sign a choice through the test
identity provider's pages exactly as a person would, one redirect at a time."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import requests

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMEOUT = 120


class Browser:
    def __init__(self, base_url: str, language: str = "en"):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = language

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith("http") else self.base_url + path_or_url

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), allow_redirects=False, timeout=TIMEOUT, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        return self.http.post(self.url(path), data=data, allow_redirects=False, timeout=TIMEOUT, **kwargs)

    def csrf(self, path: str = "/") -> str:
        match = CSRF_INPUT.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def authorize(self, authorization_url: str, pnr: str) -> str:
        """Identify at the test identity provider's page; returns the callback URL it sends us to."""
        page = self.get(authorization_url)
        assert page.status_code == 200, (page.status_code, page.text[:300])
        fields = {name: html.unescape(value) for name, value in HIDDEN_INPUT.findall(page.text)}
        fields.update(action="identify", pnr=pnr)
        answer = self.post("/test-idp/authorize", fields)
        assert answer.status_code == 302, (answer.status_code, answer.text[:300])
        return answer.headers["Location"]

    def log_in(self, pnr: str) -> None:
        start = self.get("/login/start")
        assert start.status_code == 302, start.status_code
        done = self.get(self.authorize(start.headers["Location"], pnr))
        assert done.status_code == 303 and done.headers["Location"] == "/", (done.status_code, done.text[:300])

    def begin_signing(self, agreement: str, csrf_token: str | None = None) -> str:
        """Choose on /val and press Sign: returns the provider's authorization URL."""
        answer = self.post("/val/signera", {"csrf_token": csrf_token or self.csrf("/val"), "agreement": agreement})
        assert answer.status_code == 303, (answer.status_code, answer.text[:300])
        assert urlsplit(answer.headers["Location"]).path == "/test-idp/authorize"
        return answer.headers["Location"]

    def finish(self, callback_url: str) -> requests.Response:
        """The provider's redirect back, and the page it leads to (the receipt on success)."""
        answer = self.get(callback_url)
        if answer.status_code in (302, 303):
            page = self.get(answer.headers["Location"])
            page.history = [answer]
            return page
        return answer

    def copy(self) -> Browser:
        """Another tab of the same browser: the same cookies from now on, diverging afterwards."""
        other = Browser(self.base_url, self.http.headers["Accept-Language"])
        other.http.cookies.update(self.http.cookies)
        return other
