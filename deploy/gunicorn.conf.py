"""gunicorn settings for a web host: ``gunicorn -c deploy/gunicorn.conf.py taskboard.wsgi``.

Sized from the machine unless told (GUNICORN_WORKERS, GUNICORN_THREADS). The default, one process
per core with four threads each, is what the deadline-day load test chose on 2 cores (docs/benchmarks.md):
a request here is mostly Python (templates, ORM rows) holding the GIL, so processes beyond the cores
only add switching, while a few threads per process cover the waits on PostgreSQL, Redis and the
client's upload without another process's memory.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer is stuck (the slowest page takes seconds, not half a minute).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycled now and then, so a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# nginx on this host (or the load balancer's addresses) may set X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# One JSON object per request, like the application's own logs (taskboard/logging.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": "%(s)s", "bytes": "%(B)s", "duration_ms": "%(M)s", "client": "%({x-forwarded-for}i)s"}'
)
errorlog = "-"
