"""gunicorn settings of the portal: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment (GUNICORN_* variables) so the
same file serves one small server and a row of app servers behind nginx.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# Where nginx reaches this app server: 127.0.0.1:8000 on the same machine, or
# 0.0.0.0:8000 on an app server behind a separate nginx (firewalled).
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# gunicorn's recommendation: (2 x cores) + 1 synchronous workers. Each worker
# holds one PostgreSQL connection: keep workers x app servers below the
# server's max_connections (or put PgBouncer in front of it).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer is killed (exports of many rows run in the task
# worker, not in a request). Slow clients are nginx's job, it buffers them.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or "60")
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or "30")
# nginx keeps connections to the upstream open for a short while.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or "5")

# Restart each worker after about this many requests (jitter so they do not
# restart together): a leak in one library cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or "2000")
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or "200")

# Load the application before forking: faster start, less memory per worker.
# Database connections are opened lazily by each worker, never shared.
preload_app = (os.environ.get("GUNICORN_PRELOAD") or "true").lower() == "true"

# Logs to stdout/stderr for systemd or docker. The access log shows the
# client's address as nginx forwards it and the request time in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = os.environ.get("GUNICORN_ERROR_LOG") or "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
    '"%(f)s" "%(a)s" %(D)sus'
)
# Trust X-Forwarded-* only from the proxy's address (nginx on another
# machine: set its address here).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1"
# Worker heartbeat files: set to /dev/shm in containers whose /tmp is on a
# slow overlay disk (gunicorn's advice); the system's temp folder otherwise.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
