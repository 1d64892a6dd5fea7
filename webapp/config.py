"""Configuration from environment variables, with safe defaults for a local run.

Modes: ``development`` (default; may mount the test identity provider), ``test`` (used by the
test suite) and ``production`` (requires a real OIDC issuer and a SECRET_KEY, never mounts the
test identity provider).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MODES = ("development", "test", "production")

# The Swedish OIDC profile's claim for the personal identity number (oidc.se claims spec 1.0).
DEFAULT_PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
# The scope that releases it in the ID token (oidc.se claims spec 1.0 §3.2).
DEFAULT_SCOPES = "openid https://id.oidc.se/scope/naturalPersonNumber"


class ConfigurationError(RuntimeError):
    """The app refuses to start with an unsafe or incomplete configuration."""


@dataclass(frozen=True)
class Settings:
    mode: str
    database_url: str
    secret_key: str
    oidc_issuer: str | None
    oidc_client_id: str
    oidc_client_secret: str
    oidc_pnr_claim: str
    test_idp_enabled: bool
    trusted_proxies: int
    fixed_today: str | None = None  # demo and tests: the site's idea of today (ISO date)
    oidc_scopes: str = DEFAULT_SCOPES
    oidc_acr_values: str | None = None  # e.g. a broker's value that selects BankID
    oidc_timeout_seconds: float = 10  # each back-channel request to the provider (discovery, JWKS, PAR, token)
    render_cache_size: int = 512  # rendered page parts kept per process (webapp/render_cache.py)
    page_cache_mb: int = 64  # whole employee pages kept per process (webapp/render_cache.py)
    closure_refresh_seconds: float = 10  # how old the closures a page announces may be (webapp/closures.py)
    person_data_notices: bool = True  # listen for data version notices (webapp/person_versions.py)

    def as_flask_config(self) -> dict:
        production = self.mode == "production"
        return {
            "MODE": self.mode,
            "TESTING": self.mode == "test",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "OIDC_ISSUER": self.oidc_issuer,
            "OIDC_CLIENT_ID": self.oidc_client_id,
            "OIDC_CLIENT_SECRET": self.oidc_client_secret,
            "OIDC_PNR_CLAIM": self.oidc_pnr_claim,
            "OIDC_SCOPES": self.oidc_scopes,
            "OIDC_ACR_VALUES": self.oidc_acr_values,
            "OIDC_TIMEOUT_SECONDS": self.oidc_timeout_seconds,
            "TEST_IDP_ENABLED": self.test_idp_enabled,
            "TRUSTED_PROXIES": self.trusted_proxies,
            "FIXED_TODAY": self.fixed_today,
            "RENDER_CACHE_SIZE": self.render_cache_size,
            "PAGE_CACHE_MB": self.page_cache_mb,
            "CLOSURE_REFRESH_SECONDS": self.closure_refresh_seconds,
            "PERSON_DATA_NOTICES": self.person_data_notices,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "SESSION_IDLE_MINUTES": 15,
            "SESSION_ABSOLUTE_HOURS": 8,
            "BABEL_DEFAULT_LOCALE": "sv",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
            "LANGUAGES": ("sv", "en"),
            "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session (idle-limited)
        }


def _secret_key(mode: str, instance_path: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if mode == "production":
        raise ConfigurationError("SECRET_KEY must be set in production mode.")
    # Development and tests: keep a generated key in the instance folder so sessions survive restarts.
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_settings(instance_path: Path, overrides: dict | None = None) -> Settings:
    env = {**os.environ, **(overrides or {})}
    mode = env.get("PENSIONSVAL_MODE", "development")
    if mode not in MODES:
        raise ConfigurationError(f"PENSIONSVAL_MODE must be one of {MODES}, not {mode!r}.")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'pensionsval.sqlite'}"
    test_idp_enabled = env.get("TEST_IDP", "0" if mode == "production" else "1") == "1"
    issuer = env.get("OIDC_ISSUER") or None
    if mode == "production":
        if test_idp_enabled:
            raise ConfigurationError("The test identity provider must never run in production mode.")
        if not issuer or not issuer.startswith("https://"):
            raise ConfigurationError("Production mode needs a real OIDC_ISSUER (https).")
        if env.get("PENSIONSVAL_TODAY"):
            raise ConfigurationError("PENSIONSVAL_TODAY (a fixed date) is for demos and tests only.")
    return Settings(
        mode=mode,
        database_url=database_url,
        secret_key=overrides.get("SECRET_KEY") if overrides and "SECRET_KEY" in overrides
        else _secret_key(mode, instance_path),
        oidc_issuer=issuer,
        oidc_client_id=env.get("OIDC_CLIENT_ID", "pensionsval"),
        oidc_client_secret=env.get("OIDC_CLIENT_SECRET", "pensionsval-local-secret"),
        oidc_pnr_claim=env.get("OIDC_PNR_CLAIM", DEFAULT_PNR_CLAIM),
        test_idp_enabled=test_idp_enabled,
        trusted_proxies=int(env.get("TRUSTED_PROXIES", "0")),
        fixed_today=env.get("PENSIONSVAL_TODAY") or None,
        oidc_scopes=env.get("OIDC_SCOPES") or DEFAULT_SCOPES,
        oidc_acr_values=env.get("OIDC_ACR_VALUES") or None,
        oidc_timeout_seconds=float(env.get("OIDC_TIMEOUT_SECONDS", "10")),
        render_cache_size=int(env.get("RENDER_CACHE_SIZE", "512")),
        page_cache_mb=int(env.get("PAGE_CACHE_MB", "64")),
        closure_refresh_seconds=float(env.get("CLOSURE_REFRESH_SECONDS", "10")),
        # Tests change rows and read the page at once, in one process: they ask the database.
        person_data_notices=env.get("PERSON_DATA_NOTICES", "0" if mode == "test" else "1") == "1",
    )
