"""Error pages in the user's language, for plain requests and for htmx fragments alike."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("The request could not be handled"), _l("Something in the request was wrong. Go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("The page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("That is not possible on this page.")),
    413: (_l("The file is too large"), _l("The file you sent is larger than we accept.")),
    429: (_l("Too many attempts"), _l("You have made too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. Try again in a while; if it happens again, contact your HR department.")),
    503: (_l("The service is closed for the moment"), _l("Try again later.")),
}


def render_error(status: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    template = "errors/_error.html" if getattr(request, "htmx", False) else "errors/error.html"
    return render_template(template, status=status, title=title or default_title,
                           message=message or default_message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render_error(
            400,
            _l("The form has expired"),
            _l("For your security the form was only valid for a while. Go back, reload the page and send it again."),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        response = render_error(error.code or 500)
        if error.code == 405 and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(500)
