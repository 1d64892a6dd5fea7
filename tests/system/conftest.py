"""System tests: the real app under gunicorn (several worker processes, the repository's
gunicorn.conf.py) on a loopback port, against the test database (SQLite file, or PostgreSQL
when TEST_DATABASE_URL is set), driven over HTTP with ``requests``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/system/" in str(item.fspath):
            item.add_marker(pytest.mark.system)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """``start()`` / ``kill()`` (SIGKILL to the master and every worker) / ``stop()``."""

    def __init__(self, database_url: str, log_path: Path, workers: int = 2, threads: int = 4,
                 today: str = "2023-04-20"):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "PENSIONSVAL_MODE": "development",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "system-test-secret",
            "TEST_IDP": "1",
            "PENSIONSVAL_TODAY": today,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "THREADS": str(threads),
            "SYSTEM_TEST_BASE_URL": self.base_url,
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60, ready_status: int = 200) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "tests.system.wsgi:app"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.base_url + "/health", timeout=10).status_code == ready_status:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def kill(self) -> None:
        """SIGKILL the whole process group at once: no graceful shutdown, no finishing requests."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """Start with ``server = gunicorn()`` after arranging the data; stopped at the end."""
    servers: list[GunicornServer] = []

    def _start(ready_status: int = 200, url: str | None = None, **kwargs) -> GunicornServer:
        server = GunicornServer(url or database_url, tmp_path / "gunicorn.log", **kwargs)
        server.start(ready_status=ready_status)
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()
