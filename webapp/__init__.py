"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from webapp import (
    closures,
    csrf_tokens,
    db,
    errors,
    explanations,
    i18n,
    logging_setup,
    render_cache,
    security,
)
from webapp.config import load_settings

csrf = CSRFProtect()
htmx = Htmx()


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. ``overrides`` take precedence over environment variables (used by tests)."""
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    settings = load_settings(Path(app.instance_path), overrides)
    app.config.from_mapping(settings.as_flask_config())
    if settings.trusted_proxies:
        # Trust X-Forwarded-* only from the configured number of reverse proxies in front of us.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    for key, value in (overrides or {}).items():
        if key.isupper() and key not in ("DATABASE_URL", "SECRET_KEY"):
            app.config[key] = value

    logging_setup.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    csrf_tokens.init_app(app)
    htmx.init_app(app)
    i18n.init_app(app)
    explanations.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    closures.init_app(app)
    render_cache.init_app(app)

    from webapp.auth import session as auth_session

    auth_session.init_app(app)

    from webapp.auth.views import bp as auth_bp
    from webapp.employee.views import bp as employee_bp
    from webapp.employer.views import bp as employer_bp
    from webapp.public.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(employee_bp)
    app.register_blueprint(employer_bp)

    from webapp.register.views import bp as register_bp

    app.register_blueprint(register_bp)

    from webapp.invoices.views import bp as invoices_bp

    app.register_blueprint(invoices_bp)

    from webapp.retirement.employee_views import bp as pension_bp
    from webapp.retirement.views import bp as retirement_bp

    app.register_blueprint(retirement_bp)
    app.register_blueprint(pension_bp)
    from webapp.precalc.views import bp as precalc_bp

    app.register_blueprint(precalc_bp)
    from webapp.liability.views import bp as liability_bp

    app.register_blueprint(liability_bp)

    from webapp import testidp

    testidp.init_app(app)

    from webapp.choice import views as choice_views

    choice_views.init_app(app)

    from webapp import cli

    cli.init_app(app)
    return app
