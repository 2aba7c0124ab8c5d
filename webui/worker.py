"""gunicorn's threaded worker, sharing kept-alive connections fairly between the worker processes.

All workers listen on one socket, and a connection stays with the worker that
accepted it for as long as it is kept alive. The worker that is already busy
usually wins that race (its process is running; an idle one must first be
woken), so a burst of clients can settle 19 to 1 on two workers: one core
serves nearly all of them while the other idles. A worker that already holds
as many connections as it has threads waits before accepting, longer the more
it holds: of the workers woken by a new connection, the one with the fewest
takes it, and if no sibling does, this worker accepts it as before.
"""
from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker

# The wait per connection held: at 20 clients on two workers, a millisecond
# or so, time for a sleeping sibling to wake. A new connection waits only
# while every worker holds at least its threads' worth, and never past the cap.
YIELD_SECONDS_PER_CONNECTION = 0.0001
MAX_YIELD_SECONDS = 0.005


class BalancedThreadWorker(ThreadWorker):
    def accept(self, *args) -> None:  # (listener), or (server, listener) before gunicorn 23
        if self.nr_conns >= self.cfg.threads:
            # The listening socket is non-blocking: if a sibling took the
            # connection, accept() below gets EAGAIN, which gunicorn ignores.
            time.sleep(min(MAX_YIELD_SECONDS, self.nr_conns * YIELD_SECONDS_PER_CONNECTION))
        super().accept(*args)
