"""The app as gunicorn serves it in the system tests: ``create_app()`` from the environment, with
one change: the relying party's back channel (discovery, JWKS, token) to the test identity
provider is routed inside the worker instead of over a socket.

Over a socket, a worker thread that handles a login callback waits for the token request, which
queues behind the other callbacks on the same few threads; under a burst of hundreds of callbacks
every thread ends up waiting for a request that no thread is free to serve. A real identity
provider is a separate service, so this models production more closely, not less. Everything a
browser does (pages, forms, redirects, the provider's authorize page, the callback) still goes
over HTTP to gunicorn. Each answer names the worker process that served it (X-Worker-Pid)."""

from __future__ import annotations

import os

from webapp import create_app
from webapp.testidp.inprocess import route_backchannel_in_process

app = create_app()
route_backchannel_in_process(app, os.environ["SYSTEM_TEST_BASE_URL"].rstrip("/") + "/")


@app.after_request
def _served_by(response):
    """Which worker process answered, so a test can tell that the work was spread over them."""
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
