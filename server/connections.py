"""The HTTP server's connections: waitress, with a deadline for each request's head.

waitress closes a connection only when it has been idle (nothing received, nothing sent) for
``channel_timeout``, and while its connection limit is reached it accepts no one. So sockets
that send a few bytes of a request line and then nothing, or one byte now and then, hold their
places for minutes, and a hundred of them lock every new client out.

Here a connection that waits for a request's head (the request line and headers) must have
received the whole head within ``header-timeout`` seconds, counted from the moment it began to
wait: when it was accepted, or when the previous answer had been sent. Past that it is closed,
however many bytes trickled in. The clock does not run while a request is being answered, however
long the query takes, nor while a request's body is being received or an answer sent: those
phases are bounded by waitress's idle timeout (no byte either way for ``IDLE_TIMEOUT`` seconds).
The connection limit is high enough that the sockets held open until their deadline do not
keep others out; the soft limit of open files is raised to fit it.
"""

from __future__ import annotations

import logging
import resource
import time
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

#: Seconds with no byte received or sent, outside the head, before a connection is closed (a
#: stalled upload, a client that stopped reading its answer). A query being answered is never
#: idle in this sense: waitress does not close a connection whose request is running.
IDLE_TIMEOUT = 60
#: Files the process keeps open besides connections (the dataset, the workers' pipes, logs).
OTHER_FILES = 256


class HeadDeadlineChannel(HTTPChannel):
    """A waitress channel closed when a request's head is not complete in time.

    ``readable()`` is asked by waitress's loop, on the main thread, for every connection at
    every turn (at least once a second): it starts the clock when it first sees the channel
    waiting for a head, stops it when it sees a request in hand, and closes the channel past
    the deadline.
    """

    #: Seconds a head may take; set on the class made for each server (see guarded_channel).
    header_timeout = 5.0
    #: When the channel was first seen waiting for a head; None while it has a request in hand.
    head_clock: float | None = None

    def readable(self) -> bool:
        if self._past_head_deadline():
            self.will_close = True  # waitress then closes it from writable()/handle_write()
            return False
        return bool(super().readable())

    def service(self) -> None:
        super().service()
        # An answer has just been written (on a worker thread): the next head's clock starts
        # when the main loop next sees the channel waiting, not from an earlier wait.
        self.head_clock = None

    def _past_head_deadline(self) -> bool:
        if self.will_close or self.close_when_flushed:
            return False
        request = self.request
        in_hand = bool(
            self.requests
            or self.total_outbufs_len
            or (request is not None and request.headers_finished)
        )
        now = time.monotonic()
        if in_hand:
            self.head_clock = None
            return False
        if self.head_clock is None:
            self.head_clock = now
            return False
        return now - self.head_clock > self.header_timeout


def guarded_channel(header_timeout: float) -> type[HeadDeadlineChannel]:
    """A channel class whose heads must be complete within ``header_timeout`` seconds."""
    return type("GuardedChannel", (HeadDeadlineChannel,), {"header_timeout": header_timeout})


def http_server(
    app: Any,
    *,
    host: str,
    port: int,
    threads: int,
    connection_limit: int,
    header_timeout: float,
    **adjustments: Any,
) -> Any:
    """A waitress server for ``app`` whose connections have head deadlines (not started)."""
    files = raise_open_file_limit(connection_limit + OTHER_FILES)
    if files < connection_limit + OTHER_FILES:  # past it accept() would fail, again and again
        connection_limit = max(1, files - OTHER_FILES)
        logging.getLogger("waitress").warning(
            "connection-limit lowered to %d: the process may open only %d files",
            connection_limit,
            files,
        )
    sockets: dict[int, Any] = {}
    server = create_server(
        app,
        map=sockets,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit,
        channel_timeout=IDLE_TIMEOUT,
        # Look at every connection each second: the head deadlines and idle timeouts are
        # enforced within a second of passing.
        cleanup_interval=1,
        # poll(), not select(): select() cannot watch a descriptor numbered 1024 or more, and
        # the connection limit may be above that.
        asyncore_use_poll=True,
        **adjustments,
    )
    channel = guarded_channel(header_timeout)
    for listener in list(sockets.values()):
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server


def raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft limit of open files to ``wanted`` if the hard limit allows
    (else to the hard limit); the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
