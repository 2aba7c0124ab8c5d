"""gunicorn's threaded worker, sharing kept-alive connections fairly between the worker processes.

All workers listen on one socket, and a connection stays with the worker that
accepted it for as long as it is kept alive. The worker that is already busy
usually wins that race (its process is running; an idle one must first be
woken), so a burst of clients can settle 19 to 1 on two workers: one core
serves nearly all of them while the other idles. A worker that already holds
as many connections as it has threads waits a millisecond before accepting;
a sibling with fewer takes the connection meanwhile, and if none does, this
worker accepts it as before.
"""
from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker

# Long enough for a sleeping sibling to wake and accept; a connection waits
# this long only when every worker is past its share.
YIELD_SECONDS = 0.001


class BalancedThreadWorker(ThreadWorker):
    def accept(self, *args) -> None:  # (listener), or (server, listener) before gunicorn 23
        if self.nr_conns >= self.cfg.threads:
            # The listening socket is non-blocking: if a sibling took the
            # connection, accept() below gets EAGAIN, which gunicorn ignores.
            time.sleep(YIELD_SECONDS)
        super().accept(*args)
