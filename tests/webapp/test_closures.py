"""Planned closures: announced ahead, read-only while in force, nothing a user typed is lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webapp.services.closures import schedule_closure

START = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
END = START + timedelta(hours=3)


def _at(app, moment: datetime) -> None:
    app.config["FIXED_NOW"] = moment


def test_banner_is_shown_from_the_announcement_time_until_the_end(app, client, db):
    schedule_closure(db, START, END, message_sv="Vi uppgraderar.", message_en="We are upgrading.", announce_hours=48)
    _at(app, START - timedelta(hours=49))
    assert "Planerat avbrott" not in client.get("/").get_data(as_text=True)
    _at(app, START - timedelta(hours=47))
    page = client.get("/").get_data(as_text=True)
    assert "Planerat avbrott" in page and "Vi uppgraderar." in page and "1 december 2026 22:00" in page
    _at(app, END - timedelta(minutes=1))
    assert "Planerat avbrott" in client.get("/").get_data(as_text=True)
    _at(app, END)
    assert "Planerat avbrott" not in client.get("/").get_data(as_text=True)


def test_during_a_closure_pages_stay_readable(app, client, db):
    schedule_closure(db, START, END)
    _at(app, START + timedelta(minutes=5))
    assert client.get("/").status_code == 200
    assert client.get("/tillganglighet").status_code == 200


def test_a_state_change_during_a_closure_gets_503_retry_after_and_keeps_the_input(app, client, db, csrf_token):
    app.add_url_rule("/_probe", "probe", lambda: ("stored", 200), methods=["POST"])
    schedule_closure(db, START, END)
    _at(app, START + timedelta(hours=1))
    token = csrf_token("/")
    response = client.post("/_probe", data={"csrf_token": token, "reason": "Jag låg på sjukhus"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(2 * 3600)
    page = response.get_data(as_text=True)
    assert 'value="Jag låg på sjukhus"' in page and 'action="/_probe"' in page
    assert "<dt>csrf_token</dt>" not in page and "<dt>reason</dt>" in page
    _at(app, END + timedelta(seconds=1))
    assert client.post("/_probe", data={"csrf_token": token, "reason": "x"}).get_data(as_text=True) == "stored"


def test_language_switch_and_logout_work_during_a_closure(app, client, db, csrf_token):
    schedule_closure(db, START, END)
    _at(app, START + timedelta(minutes=1))
    token = csrf_token("/")
    assert client.post("/language", data={"csrf_token": token, "lang": "en"}).status_code == 303


def test_a_closure_must_end_after_it_starts(db):
    import pytest

    with pytest.raises(ValueError):
        schedule_closure(db, START, START)
