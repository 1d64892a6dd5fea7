"""Route the relying party's back channel to this very app without a socket, for Flask
test-client tests: ``route_backchannel_in_process(app)`` mounts a requests adapter that calls the
WSGI app for ``http://localhost/`` (the test client's host)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client


class WSGIAdapter(BaseAdapter):
    def __init__(self, app: Flask):
        super().__init__()
        self.app = app

    def send(self, request: PreparedRequest, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
        parts = urlsplit(request.url)
        answer = Client(self.app).open(  # werkzeug takes the host from base_url, not from the URL
            request.url, base_url=f"{parts.scheme}://{parts.netloc}/", method=request.method,
            headers=list(request.headers.items()), data=body,
        )
        response = Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers.items())
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        response.encoding = answer.charset if hasattr(answer, "charset") else "utf-8"
        response.reason = answer.status.split(" ", 1)[-1]
        return response

    def close(self):
        pass


def route_backchannel_in_process(app: Flask, base_url: str = "http://localhost/") -> None:
    app.extensions.setdefault("oidc_http_adapters", {})[base_url] = WSGIAdapter(app)
