"""Drive a login or a signing through the test identity provider with the Flask test client,
exactly as a browser would: the app's back channel is routed in-process to the same app."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from webapp.testidp.inprocess import route_backchannel_in_process

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class IdPDriver:
    def __init__(self, app, client):
        self.app = app
        self.client = client
        route_backchannel_in_process(app)

    @property
    def provider(self):
        """The test identity provider; set ``.misbehave`` for negative tests."""
        return self.app.extensions["test_idp"]

    def request_params(self, authorization_url: str) -> dict[str, str]:
        """The parameters of an authorization request, also when they were pushed (PAR) and the
        URL carries only a request_uri."""
        params = query(authorization_url)
        if "request_uri" in params:
            pushed = self.provider.pushed_request(params["request_uri"])
            assert pushed is not None and pushed["client_id"] == params["client_id"]
            return pushed
        return params

    def start_login(self, next_url: str | None = None) -> str:
        """The authorization URL the login sends the browser to."""
        response = self.client.get("/login/start", query_string={"next": next_url} if next_url else None)
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def authorize(self, authorization_url: str, pnr: str | None = None, action: str = "identify",
                  person: str | None = None) -> str:
        """Answer the provider's page; returns the callback URL it redirects the browser to."""
        page = self.client.get(authorization_url)
        assert page.status_code == 200, page.status_code
        fields = {name: html.unescape(value) for name, value in HIDDEN_INPUT.findall(page.get_data(as_text=True))}
        fields["action"] = action
        if pnr:
            fields["pnr"] = pnr
        if person:
            fields["person"] = person
        response = self.client.post("/test-idp/authorize", data=fields)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response.headers["Location"]

    def callback(self, callback_url: str):
        parts = urlsplit(callback_url)
        return self.client.get(parts.path, query_string=parts.query)

    def sign(self, authorization_url: str, pnr: str, action: str = "identify"):
        """Finish a signing begun by ``begin_signing`` (pass its redirect's Location): answer the
        provider's page as ``pnr`` (or ``action="cancel"``); returns the callback's response, i.e.
        the signing handler's response or the refusal page."""
        return self.callback(self.authorize(authorization_url, pnr if action == "identify" else None, action))

    def login(self, pnr: str, next_url: str | None = None):
        """The whole login; returns the callback's response."""
        return self.callback(self.authorize(self.start_login(next_url), pnr))


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
