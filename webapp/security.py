"""Response headers a public service sends on every page (CSP without inline script or eval)."""

from __future__ import annotations

from flask import Flask

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask) -> None:
    always = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    if app.config["MODE"] == "production":
        always.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def _headers(response):
        # A view may have set its own; the names present are read once (each lookup in werkzeug's
        # Headers scans the list and raises KeyError when the name is missing).
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for name, value in always:
            if name.lower() not in present:
                headers.add(name, value)
        if "cache-control" not in present and response.mimetype == "text/html":
            headers.add("Cache-Control", "no-store")
        return response
