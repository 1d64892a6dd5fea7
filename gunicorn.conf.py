"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:app`.

Each app process shares nothing but the database, so processes on several hosts can run behind
a load balancer. Threads let one process serve several slow clients."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then (a guard against slow leaks), but seldom: a new worker starts with
# empty page caches (webapp/render_cache.py), and a kept page is served in well under a
# millisecond, so 50 000 requests went by in under a minute under load.
max_requests = 2_000_000
max_requests_jitter = 200_000
accesslog = None  # the app writes structured access logs itself, without personal data
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which several
# instances on one host would fight over; it is off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
