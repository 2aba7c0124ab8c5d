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
from http import HTTPStatus

from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.http.message import Request
from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import ThreadWorker

from .errors import refusal

# The wait per connection held: at 20 clients on two workers, a millisecond
# or so, time for a sleeping sibling to wake. A new connection waits only
# while every worker holds at least its threads' worth, and never past the cap.
YIELD_SECONDS_PER_CONNECTION = 0.0001
MAX_YIELD_SECONDS = 0.005


class _OwnRefusals(Request):
    """gunicorn's request reader, noting whether a request refused for its size was for the API.

    gunicorn refuses an over-long request line (414) or headers (431) before
    the app sees anything, with an English HTML page; the worker answers in
    our own shape instead, and needs the path for that.
    """

    def _parse_python(self, unreader, buf):
        try:
            return super()._parse_python(unreader, buf)
        except (LimitRequestLine, LimitRequestHeaders) as exc:
            path = getattr(self, "path", None)
            if path is None:  # the request line itself was too long: read its start
                parts = bytes(buf[:64]).split(b" ", 2)
                path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
            exc.fahras_path = path
            raise


class BalancedThreadWorker(ThreadWorker):
    def accept(self, *args) -> None:  # (listener), or (server, listener) before gunicorn 23
        if self.nr_conns >= self.cfg.threads:
            # The listening socket is non-blocking: if a sibling took the
            # connection, accept() below gets EAGAIN, which gunicorn ignores.
            time.sleep(min(MAX_YIELD_SECONDS, self.nr_conns * YIELD_SECONDS_PER_CONNECTION))
        super().accept(*args)

    def init_process(self) -> None:
        RequestParser.mesg_class = _OwnRefusals
        super().init_process()

    def handle_error(self, req, client, addr, exc) -> None:
        if not isinstance(exc, (LimitRequestLine, LimitRequestHeaders)):
            return super().handle_error(req, client, addr, exc)
        status = 414 if isinstance(exc, LimitRequestLine) else 431
        body, content_type = refusal(self.wsgi, status, getattr(exc, "fahras_path", "/"))
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nConnection: close\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                "X-Content-Type-Options: nosniff\r\n\r\n")
        self.log.info("refused %s: %s", status, exc)
        try:
            client.sendall(head.encode("latin-1") + body)
        except OSError:
            pass
