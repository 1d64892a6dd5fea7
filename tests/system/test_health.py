"""The running server's health endpoint, as a load balancer sees it."""

from __future__ import annotations

import requests


def test_the_running_server_reports_healthy_with_its_database(gunicorn):
    server = gunicorn()
    answer = requests.get(server.base_url + "/health", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_the_running_server_reports_503_while_its_database_is_unreachable(gunicorn):
    # PostgreSQL on a loopback port where nothing listens: every connection attempt is refused.
    server = gunicorn(url="postgresql+psycopg://postgres@127.0.0.1:9/none", ready_status=503)
    for _ in range(3):  # every worker, every time, and quickly
        answer = requests.get(server.base_url + "/health", timeout=10)
        assert answer.status_code == 503 and answer.json() == {"status": "unavailable"}
