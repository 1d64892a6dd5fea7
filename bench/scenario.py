"""Virtual users for bench/load.py: people who read a page, think, and go on.

Each of ``users`` threads is one person at a time: it picks what to do by the weights in
``MIX`` (employees browse their pension and the comparison, some of them choose, staff page the
queue), waits a thinking time drawn from an exponential distribution (mean ``think`` seconds;
also before its first step, so the users do not all start in the same millisecond),
and records each request's latency under the step's label. Choosing is the whole signing over
HTTP through the test identity provider's pages (log in, open /val, sign, identify, the callback
that stores the choice, the receipt), each person once.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import defaultdict

import requests

from tests.system.browser import CSRF_INPUT, Browser

# (step, weight): what a user does next.
MIX = (
    ("my pension", 40),
    ("comparison", 25),
    ("comparison, other age", 10),
    ("choice page", 10),
    ("employer queue", 10),
    ("choosing", 5),
)
PATHS = {"my pension": "/min-pension", "comparison": "/min-pension/jamforelse", "choice page": "/val",
         "employer queue": "/arbetsgivare/"}
RECEIVED = "Your choice has been received"


class Recorder:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.failures: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def record(self, label: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[label].append(seconds)
            self.failures[label] += not ok

    def figures(self, elapsed: float) -> dict[str, dict]:
        out = {}
        for label, values in sorted(self.latencies.items()):
            cuts = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
            out[label] = {"requests": len(values), "rps": len(values) / elapsed, "p50": cuts[49] * 1000,
                          "p95": cuts[94] * 1000, "p99": cuts[98] * 1000, "non_2xx": self.failures[label]}
        return out


def _timed(recorder: Recorder, label: str, call, expect=(200,)):
    started = time.perf_counter()
    response = call()
    recorder.record(label, time.perf_counter() - started, response.status_code in expect)
    return response


def _choose(base: str, pnr: str, recorder: Recorder) -> bool:
    """One person's whole choice; every request is timed under its step."""
    browser = Browser(base, language="en")
    start = _timed(recorder, "choosing: log in", lambda: browser.get("/login/start"), (302,))
    page = _timed(recorder, "choosing: log in", lambda: browser.get(start.headers["Location"]))
    callback = browser.authorize(start.headers["Location"], pnr) if page.status_code == 200 else None
    if callback is None:
        return False
    _timed(recorder, "choosing: log in", lambda: browser.get(callback), (303,))
    choice_page = _timed(recorder, "choosing: choice page", lambda: browser.get("/val"))
    token = CSRF_INPUT.search(choice_page.text)
    if token is None:
        return False
    signing = _timed(recorder, "choosing: sign", lambda: browser.post(
        "/val/signera", {"csrf_token": token.group(1), "agreement": "AKAP-KR"}), (303,))
    if signing.status_code != 303:
        return False
    back = browser.authorize(signing.headers["Location"], pnr)
    stored = _timed(recorder, "choosing: store the choice", lambda: browser.get(back), (302, 303))
    if stored.status_code not in (302, 303):
        return False
    receipt = _timed(recorder, "choosing: receipt", lambda: browser.get(stored.headers["Location"]))
    return RECEIVED in receipt.text


def run(base: str, employees: list[str], approvers: list[str], choosers: list[str], users: int,
        seconds: float, think: float, seed: int = 2023) -> tuple[dict[str, dict], int, int]:
    """Returns the figures per step, the number of completed choices and of failed ones."""
    recorder = Recorder()
    stop_at = time.monotonic() + seconds
    queue = list(choosers)
    queue_lock = threading.Lock()
    chosen, failed = [0], [0]
    labels, weights = zip(*MIX, strict=True)

    def user(index: int) -> None:
        rng = random.Random(seed + index)
        http = requests.Session()
        http.headers["Accept-Language"] = "sv"
        # Each user is somewhere in their visit when the run starts: without this first pause
        # all of them would click in the same millisecond, a burst no steady load has.
        time.sleep(rng.expovariate(1 / think))
        while time.monotonic() < stop_at:
            step = rng.choices(labels, weights)[0]
            if step == "choosing":
                with queue_lock:
                    pnr = queue.pop() if queue else None
                if pnr is not None:
                    ok = _choose(base, pnr, recorder)
                    with queue_lock:
                        chosen[0] += ok
                        failed[0] += not ok
            else:
                cookie = rng.choice(approvers if step == "employer queue" else employees)
                path = PATHS.get(step) or f"/min-pension/jamforelse?retirement_age={rng.randint(61, 69)}"
                _timed(recorder, step, lambda url=base + path, cookie=cookie: http.get(
                    url, headers={"Cookie": cookie}, allow_redirects=False, timeout=30))
            time.sleep(rng.expovariate(1 / think))

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder.figures(time.monotonic() - started), chosen[0], failed[0]
