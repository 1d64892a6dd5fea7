"""The data version of each logged-in person (``person.data_version``) without a query per page.

A kept page (webapp/render_cache.py) is valid as long as the person's data version is the one it
was rendered at. On PostgreSQL the triggers of migration 0009 also send the bumped person ids on
the channel ``person_data`` when their transaction commits; each process listens on one
connection of its own, keeps the versions it has read and forgets a person's the moment their
notice arrives. While that connection is down the process keeps nothing and asks the database on
every page, so a lost connection can make pages slower, never stale. SQLite has no notices (and
a query there costs microseconds): it is asked every time.

A notice arrives within milliseconds of the commit: a page another process serves in that window
may still be the one before. The person's own changes are forgotten in their own process at once
(``forget`` after each of their state-changing requests).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

from sqlalchemy.engine import make_url

CHANNEL = "person_data"
APPLICATION_NAME = "pensionsval person data listener"
HEARTBEAT_SECONDS = 5  # how often the listening connection proves it is alive
RETRY_SECONDS = 2
MAX_KEPT = 200_000  # person ids; more than every municipal employee of a large region

log = logging.getLogger(__name__)


class PersonVersions:
    """One app's versions; trusted only while its process's listener is connected."""

    def __init__(self, database_url: str | None) -> None:
        self._database_url = database_url  # None: never listen (always ask the database)
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._versions: dict[int, int] = {}
        self._listening = False
        self._changes = 0  # every notice or reconnection; a read that saw one in between is not kept

    def version(self, person_id: int, read: Callable[[], int | None]) -> int | None:
        if self._database_url and self._pid != os.getpid():  # the first request of this process
            self._pid = os.getpid()
            listen(self, self._database_url)
        with self._lock:
            if self._listening:
                kept = self._versions.get(person_id)
                if kept is not None:
                    return kept
            seen = self._changes
        version = read()
        with self._lock:
            if self._listening and self._changes == seen and version is not None:
                if len(self._versions) >= MAX_KEPT:
                    self._versions.clear()
                self._versions[person_id] = version
        return version

    @property
    def listening(self) -> bool:
        return self._listening

    def forget(self, person_id: int) -> None:
        with self._lock:
            self._versions.pop(person_id, None)
            self._changes += 1

    def _set_listening(self, listening: bool) -> None:
        with self._lock:
            self._versions.clear()
            self._changes += 1
            self._listening = listening


class _Listener:
    """The process's connection on the channel, shared by the apps on one database."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._apps: weakref.WeakSet[PersonVersions] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._connected = False
        threading.Thread(target=self._run, name="person-data-listener", daemon=True).start()

    def add(self, versions: PersonVersions) -> None:
        with self._lock:
            self._apps.add(versions)
            if self._connected:
                versions._set_listening(True)

    def _each(self) -> list[PersonVersions]:
        with self._lock:
            return list(self._apps)

    def _notice(self, notice) -> None:
        try:
            person_id = int(notice.payload)
        except ValueError:
            return
        for versions in self._each():
            versions.forget(person_id)

    def _set_connected(self, connected: bool) -> None:
        with self._lock:
            self._connected = connected
            apps = list(self._apps)
        for versions in apps:
            versions._set_listening(connected)

    def _run(self) -> None:
        import psycopg

        while True:
            try:
                # Keepalives and a user timeout end a connection whose network silently died.
                with psycopg.connect(self._conninfo, autocommit=True, application_name=APPLICATION_NAME,
                                     connect_timeout=5, keepalives=1,
                                     keepalives_idle=5, keepalives_interval=2, keepalives_count=2,
                                     tcp_user_timeout=10_000) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True)
                    while True:
                        for notice in connection.notifies(timeout=HEARTBEAT_SECONDS):
                            self._notice(notice)
                        # psycopg (3.2.4 and later) keeps notices that arrive during this query for
                        # the next notifies(); a dead connection raises here.
                        connection.execute("SELECT 1")
            except Exception as error:  # noqa: BLE001 - any failure: stop trusting, reconnect
                log.warning("person data listener disconnected: %s", type(error).__name__)
            self._set_connected(False)
            time.sleep(RETRY_SECONDS)


_listeners: dict[tuple[int, str], _Listener] = {}
_listeners_lock = threading.Lock()


def listen(versions: PersonVersions, database_url: str) -> None:
    """Keep ``versions`` current from the database's notices (PostgreSQL only), from a listener
    of the calling process."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    key = (os.getpid(), conninfo)
    with _listeners_lock:
        listener = _listeners.get(key)
        if listener is None:
            listener = _listeners[key] = _Listener(conninfo)
    listener.add(versions)
