"""gunicorn settings for `fahras serve` (gunicorn -c webui/gunicorn.conf.py 'webui:create_app()').

Values come from the settings table (search/settings.py), so the environment
overrides each one: FAHRAS_HOST, FAHRAS_PORT, FAHRAS_WEB_WORKERS, FAHRAS_WEB_THREADS.
"""
import os
import shutil
import tempfile

from search import settings

bind = f"{settings.get('FAHRAS_HOST')}:{settings.get('FAHRAS_PORT')}"

# One process per core; searching is CPU-bound Python, so more processes than
# cores only add memory (each holds its own index reader and vocabulary).
workers = int(settings.get("FAHRAS_WEB_WORKERS"))
# Threads let a worker answer health checks and cheap pages while another
# thread waits on a search; the GIL keeps the CPU work one at a time. gunicorn's
# gthread worker, except that kept-alive connections are shared out evenly
# between the workers (webui/worker.py): 20 clients on two workers split 10 to
# 10 or 11 to 9 and got about 760 requests/s at p95 about 40 ms, where
# gthread's splits (up to 20 to 0) gave 560-740 requests/s at p95 48-78 ms.
worker_class = "webui.worker.BalancedThreadWorker"
threads = int(settings.get("FAHRAS_WEB_THREADS"))

# The search budget (FAHRAS_SEARCH_TIMEOUT) is enforced inside the app with a
# thread pool; this is only the arbiter's heartbeat for a wedged worker, so it
# is well above the budget and never what a slow search runs into.
timeout = max(30, 4 * int(float(settings.get("FAHRAS_SEARCH_TIMEOUT"))))
graceful_timeout = 20
keepalive = 5

# Request-size limits before the app sees anything. 8190 is gunicorn's ceiling
# for the request line; it leaves room for a 1,000-character Arabic query
# (6 bytes per letter once percent-encoded) plus filters. Longer URLs get
# gunicorn's own plain 400; shorter ones over the app's limits get the JSON 400.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190

# Recycle workers now and then so a slow leak cannot grow without bound; the
# jitter keeps both workers from restarting (and reopening the index) together.
# A new worker spends seconds of CPU rebuilding the did-you-mean vocabulary
# (1.8 s on the development corpus), so at several hundred requests a second
# a recycle every 20,000 requests would cost a few percent of the machine.
max_requests = 100_000
max_requests_jitter = 10_000

# The index is opened lazily in each worker after the fork, never in the arbiter.
preload_app = False

# Combined log format, one line per request (gunicorn's default format is the combined one).
_access = settings.get("FAHRAS_ACCESS_LOG")
accesslog = None if _access == "off" else _access
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = "info"
proc_name = "fahras"

# One control socket per instance (host and port identify a live one): with
# gunicorn's single default path, stopping one instance removed the socket
# of every other.
_runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".gunicorn")
control_socket = os.path.join(_runtime, f"fahras-{settings.get('FAHRAS_HOST')}-{settings.get('FAHRAS_PORT')}.ctl")

# /metrics adds up every worker's counts from files in a directory of this
# instance's own, made before the workers start and removed when it stops.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fahras-metrics-")
    _own_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
else:
    _own_metrics_dir = None


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)
