"""Load test of the running site: gunicorn with the repository's gunicorn.conf.py on loopback,
the demo data, logged-in users, and the figures per page.

    .venv/bin/python bench/load.py                       # SQLite in a temporary directory
    .venv/bin/python bench/load.py postgresql+psycopg://postgres@127.0.0.1:5432/h_bench
    .venv/bin/python bench/load.py --connections 32 --seconds 10 --employees 2000

On PostgreSQL the public schema of the given database is DROPPED and rebuilt: use a scratch
database. The demo data (``flask demo-data``: the named test persons and N synthetic employees)
is loaded, the site is started with gunicorn (``WEB_CONCURRENCY`` workers, default one per core,
gthread), and each page is loaded for a fixed time by ``wrk`` (``apt-get install -y wrk``) with a
fixed number of connections; without wrk a Python threaded client is used (it competes with the
server for the CPU, so its figures are lower). Every request carries the session cookie of one of
``--users`` employees (or, for the employer queue, of the demo approver), rotating.

First, on the freshly started site, a mixed scenario (``bench/scenario.py``): ``--virtual-users``
people at once (32), each thinking ``--think`` seconds on average between steps, browse their
pension and the comparison, some of them choose (the whole signing over HTTP through the test
identity provider's pages), and staff page the queue; latency is printed per step. The scenario
runs twice: first views (as at the start of a day), then later views of the same employees with
other random steps (the pages seen before are kept). Then each page is loaded on its own as fast
as it answers (a stress test, after a warm-up).

The bare Flask page, served by a second gunicorn with the same settings, stays up all the time,
and each page's windows alternate with windows of the bare page (``--rounds`` pairs of
``--seconds`` each): a shared machine's speed drifts (twice as fast in one minute as in another
has been seen), and a ratio is only fair between windows measured next to each other. Printed per
page: requests per second, latency p50/p95/p99 (the median over its windows), non-2xx answers, the
workers' CPU time per request (which depends little on other load on the machine), the paired bare
windows' requests per second, and the page's share of them (the median of the pairs, with their
range); and the resident memory (RSS) of the gunicorn workers after the run.

The load generator runs on the same machine as the server, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/, whose queue.py would shadow the standard library's queue

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.scenario import run as run_scenario  # noqa: E402
from tests.database_support import migrate_from_empty  # noqa: E402
from webapp import create_app  # noqa: E402

DEMO_TODAY = "2023-04-20"
SECRET = "bench-load-secret"
PAGES = [  # (label, path, who)
    ("start page", "/", "employee"),
    ("my pension", "/min-pension", "employee"),
    ("comparison", "/min-pension/jamforelse", "employee"),
    ("choice page", "/val", "employee"),
    ("employer queue", "/arbetsgivare/", "approver"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, employees: int) -> None:
    migrate_from_empty(url)
    from webapp.demo.commands import fill

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    started = time.perf_counter()
    summary = fill(app.extensions["db_engine"], employees, 2023, False)
    print(f"demo data: {summary.persons} persons, {summary.choices} choices "
          f"in {time.perf_counter() - started:.1f} s")
    app.extensions["db_engine"].dispose()


def cookie_maker(url: str, users: int):
    """A function that returns signed session cookies (as the login leaves them) for employees
    without a choice, and for the demo approvers, made with the server's SECRET_KEY so that no
    login round trips are timed. Each call signs them anew: a cookie older than 30 s gets a new
    one on every answer (the idle clock), which a browser stores and wrk does not."""
    from webapp.models import Choice, EmployerRole, Employment, Person

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        employees = connection.execute(
            select(Person.id).where(Person.id.in_(select(Employment.person_id)))
            .where(Person.id.not_in(select(Choice.person_id))).order_by(Person.id).limit(users)
        ).scalars().all()
        approvers = connection.execute(
            select(EmployerRole.person_id).where(EmployerRole.role == "approver").order_by(EmployerRole.person_id)
        ).scalars().all()
    serializer = app.session_interface.get_signing_serializer(app)
    engine.dispose()

    def cookies() -> tuple[list[str], list[str]]:
        now = int(time.time())

        def cookie(person_id: int) -> str:
            # As a browser holds it after its first page: with the session's CSRF secret.
            return "session=" + serializer.dumps({"person_id": person_id, "auth_time": now, "last_seen": now,
                                                  "csrf_token": secrets.token_hex(20)})

        return [cookie(i) for i in employees], [cookie(i) for i in approvers[:1]]

    return cookies


def choosers(url: str, count: int, skip: int) -> list[str]:
    """Personal identity numbers of employees who may still choose (eligible, no choice yet),
    other than the ``skip`` first ones whose sessions browse."""
    from sqlmodel import Session

    from webapp.models import Choice, Employment, Person
    from webapp.services import pension
    from webapp.services.history import load_records

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    found: list[str] = []
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        candidates = session.scalars(
            select(Person).where(Person.id.in_(select(Employment.person_id)))
            .where(Person.id.not_in(select(Choice.person_id))).order_by(Person.id).offset(skip)
        ).all()
        for person in candidates:
            if pension.eligibility(load_records(session, person)).eligible:
                found.append(person.pnr)
                if len(found) == count:
                    break
    app.extensions["db_engine"].dispose()
    return found


class Server:
    def __init__(self, app_module: str, url: str | None, log: Path):
        self.log = log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The site runs as the system tests run it (tests/system/wsgi.py): the test identity
        # provider is mounted so that the choosing users can sign, and the relying party's back
        # channel to it stays inside the worker, as with a real provider on another host.
        env = {**os.environ, "BIND": f"127.0.0.1:{self.port}", "SECRET_KEY": SECRET,
               "PENSIONSVAL_MODE": "development", "PENSIONSVAL_TODAY": DEMO_TODAY, "TEST_IDP": "1",
               "SYSTEM_TEST_BASE_URL": self.base}
        if url:
            env["DATABASE_URL"] = url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app_module],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see " + str(log))

    def worker_pids(self) -> list[str]:
        return subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                              capture_output=True, text=True).stdout.split()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the live workers and of those already recycled (max_requests),
        which the kernel adds to the master's children times, from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")

        def stat(pid) -> list[str]:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

        master = stat(self.process.pid)
        total = int(master[13]) + int(master[14])  # cutime, cstime: reaped workers
        for pid in self.worker_pids():
            fields = stat(pid)
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def worker_rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def run_wrk(url: str, cookies: list[str], connections: int, seconds: int, tmp: Path) -> dict:
    cookie_file = tmp / "cookies.txt"
    cookie_file.write_text("\n".join(cookies))
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "wrk_report.lua"), url],
        capture_output=True, text=True, env={**os.environ, "BENCH_COOKIES": str(cookie_file)}, check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000, "p95": figures["p95_us"] / 1000, "p99": figures["p99_us"] / 1000,
        "non_2xx": figures["non_2xx"] + figures["socket_errors"], "requests": figures["requests"],
    }


def run_python(url: str, cookies: list[str], connections: int, seconds: int, _tmp: Path) -> dict:
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        http = requests.Session()
        n = index
        mine, failures = [], 0
        while time.monotonic() < stop_at:
            headers = {"Cookie": cookies[n % len(cookies)]} if cookies else {}
            n += connections
            started = time.perf_counter()
            response = http.get(url, headers=headers, allow_redirects=False, timeout=10)
            mine.append(time.perf_counter() - started)
            failures += not 200 <= response.status_code < 300
        with lock:
            latencies.extend(mine)
            bad[0] += failures

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p95": cuts[94] * 1000,
            "p99": cuts[98] * 1000, "non_2xx": bad[0], "requests": len(latencies)}


def measure(server: Server, load, url: str, cookies: list[str], connections: int, seconds: int, tmp: Path) -> dict:
    """The load's figures plus the server's CPU time per request: unlike throughput, that figure
    hardly depends on what else the machine is doing."""
    before = server.cpu_seconds()
    figures = load(url, cookies, connections, seconds, tmp)
    figures["cpu_ms"] = (server.cpu_seconds() - before) * 1000 / max(1, figures["requests"])
    return figures


def combined(windows: list[dict]) -> dict:
    """One page's figures over its windows: throughput as the mean of the windows' (all equally
    long), CPU over all their requests, the latency percentiles as the median of the windows' (so
    one disturbed window does not rule)."""
    requests_ = sum(w["requests"] for w in windows)
    return {
        "rps": statistics.mean(w["rps"] for w in windows),
        **{key: statistics.median(w[key] for w in windows) for key in ("p50", "p95", "p99")},
        "non_2xx": sum(w["non_2xx"] for w in windows), "requests": requests_,
        "cpu_ms": sum(w["cpu_ms"] * w["requests"] for w in windows) / max(1, requests_),
    }


def measure_against_bare(site: Server, bare: Server, load, url: str, fresh_cookies, connections: int,
                         seconds: int, rounds: int, tmp: Path) -> tuple[dict, dict, list[float]]:
    """``rounds`` pairs of windows, the bare page's then the page's: the page's figures, the bare
    page's in the same pairs, and the page's share of the bare throughput in each pair."""
    page_windows, bare_windows, shares = [], [], []
    for _round in range(rounds):
        bare_windows.append(measure(bare, load, bare.base + "/", [], connections, seconds, tmp))
        page_windows.append(measure(site, load, url, fresh_cookies(), connections, seconds, tmp))
        shares.append(page_windows[-1]["rps"] / bare_windows[-1]["rps"])
    return combined(page_windows), combined(bare_windows), shares


def server_durations(log: Path, start: int) -> dict[str, dict]:
    """Per path (without the query), the durations the app's JSON access log recorded after
    byte ``start`` of the server's log: the busiest paths first."""
    by_path: dict[str, list[float]] = {}
    with log.open("rb") as handle:
        handle.seek(start)
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if "duration_ms" in entry:
                path = entry["message"].split()[1].split("?")[0]
                by_path.setdefault(path, []).append(entry["duration_ms"])
    out = {}
    for path, values in sorted(by_path.items(), key=lambda item: -len(item[1]))[:8]:
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
        out[path] = {"requests": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}
    return out


def check_pages(base: str, employee: str, approver: str) -> None:
    """Each page answers 200 to a logged-in user (not a redirect to the login)."""
    for label, path, who in PAGES:
        response = requests.get(base + path, headers={"Cookie": employee if who == "employee" else approver},
                                allow_redirects=False, timeout=30)
        if response.status_code != 200:
            raise SystemExit(f"{label} ({path}) answered {response.status_code}; the session cookie does not work")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", nargs="?", help="PostgreSQL URL of a scratch database (default SQLite)")
    parser.add_argument("--employees", type=int, default=2000, help="synthetic demo employees")
    parser.add_argument("--users", type=int, default=200, help="logged-in employees whose sessions rotate")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (users at once)")
    parser.add_argument("--seconds", type=int, default=5, help="duration of each measured window")
    parser.add_argument("--rounds", type=int, default=3,
                        help="pairs of windows per page: the bare page's, then the page's")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk exists")
    parser.add_argument("--warmup", type=int, default=15,
                        help="seconds of load per page before measuring: every worker renders and keeps the "
                             "rotating users' pages once (a first view costs several times a repeated one)")
    parser.add_argument("--virtual-users", type=int, default=32,
                        help="users at once in the mixed scenario (0 skips it: the pages alone)")
    parser.add_argument("--think", type=float, default=1.0, help="mean thinking time between a user's steps, s")
    parser.add_argument("--scenario-seconds", type=int, default=30, help="duration of the mixed scenario")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="pensionsval-load-"))
    url = args.database_url or f"sqlite:///{tmp / 'load.sqlite'}"
    prepare_database(url, args.employees)
    fresh_cookies = cookie_maker(url, args.users)
    employees, approvers = fresh_cookies()
    chooser_pnrs = choosers(url, 400, args.users)
    load = run_python if args.python_client or not shutil.which("wrk") else run_wrk
    workers = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count()))
    print(f"database: {url.split('://')[0]}, gunicorn: {workers} gthread workers x "
          f"{os.environ.get('THREADS', '4')} threads, load: {load.__name__.removeprefix('run_')}, "
          f"{args.connections} connections, {args.rounds} x {args.seconds} s per page, "
          f"{len(employees)} employees rotating")

    results = {}  # label: (page's figures, paired bare figures, shares)
    bare = Server("bench.bare_app:app", None, tmp / "bare.log")
    site = Server("tests.system.wsgi:app", url, tmp / "site.log")
    try:
        load(bare.base + "/", [], args.connections, 2, tmp)  # warm-up
        check_pages(site.base, employees[0], approvers[0])
        rss_idle = site.worker_rss_mib()
        # The mixed scenario first, on a fresh server: each page is requested a few times by one
        # user (templates compiled, connections and parameter files open, as on a server that has
        # been up for a minute), so every page the scenario's users see is their first view, as
        # at the start of a day (the per-page runs after it repeat views, with the caches full).
        for _round in range(10):
            check_pages(site.base, employees[0], approvers[0])
        scenarios = []
        # Then the same again with other random steps, as later in the day: the employees' pages
        # seen in the first run are kept (in the worker that served them), the choosers are new.
        half = len(chooser_pnrs) // 2
        runs = (("first views", 2023, chooser_pnrs[:half]), ("later views", 2024, chooser_pnrs[half:])) \
            if args.virtual_users else ()
        for name, seed, pnrs in runs:
            employees, approvers = fresh_cookies()
            log_start = site.log.stat().st_size
            figures, chosen, failed = run_scenario(site.base, employees, approvers, pnrs, args.virtual_users,
                                                   args.scenario_seconds, args.think, seed=seed)
            scenarios.append((name, figures, chosen, failed, server_durations(site.log, log_start)))
        for label, path, who in PAGES:
            def cookies_of_page(who=who) -> list[str]:
                employees, approvers = fresh_cookies()
                return employees if who == "employee" else approvers

            load(site.base + path, cookies_of_page(), args.connections, args.warmup, tmp)  # templates, caches, pool
            results[label] = measure_against_bare(site, bare, load, site.base + path, cookies_of_page,
                                                  args.connections, args.seconds, args.rounds, tmp)
        rss_loaded = site.worker_rss_mib()
    finally:
        site.stop()
        bare.stop()

    print(f"\neach page in {args.rounds} windows of {args.seconds} s, each after a window of the bare Flask page "
          "(same gunicorn settings); \"of bare\" is the median of the pairs' shares, their range in brackets")
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'CPU ms/req':>12}"
          f"{'bare req/s':>12}{'bare CPU':>10}{'of bare':>9}  range")
    for label, (page, paired, shares) in results.items():
        print(f"{label:<18}{page['rps']:>9.0f}{page['p50']:>9.1f}{page['p95']:>9.1f}{page['p99']:>9.1f}"
              f"{page['non_2xx']:>9}{page['cpu_ms']:>12.2f}{paired['rps']:>12.0f}{paired['cpu_ms']:>10.2f}"
              f"{statistics.median(shares):>9.0%}  ({min(shares):.0%}–{max(shares):.0%})")
    for name, scenario, chosen, failed, server_side in scenarios:
        print(f"\nmixed scenario, {name}: {args.virtual_users} virtual users at once, thinking {args.think} s on "
              f"average between steps, {args.scenario_seconds} s; choices stored: {chosen}, failed: {failed}")
        print(f"{'step':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        for label, r in scenario.items():
            print(f"{label:<28}{r['requests']:>9}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
                  f"{r['non_2xx']:>9}")
        print("the same requests as the server's access log timed them (from the request's start in the worker to "
              "its answer; the rest of the client's figure is the wait for a free worker thread and the client "
              "itself):")
        print(f"{'path':<28}{'requests':>9}{'':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for path, r in server_side.items():
            print(f"{path:<28}{r['requests']:>9}{'':>9}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}")
    load_average = os.getloadavg()[0]
    print(f"\nload average at the end: {load_average:.1f} on {os.cpu_count()} cores (wrk and the scenario's client "
          "count too; much above that, something else took CPU from the server and the figures are low)")
    print(f"\nworker RSS: idle {', '.join(f'{m:.0f}' for m in rss_idle)} MiB; "
          f"after the run {', '.join(f'{m:.0f}' for m in rss_loaded)} MiB")
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"logs kept in {tmp}")


if __name__ == "__main__":
    main()
