"""HTTP measurements against a SPARQL endpoint on loopback: the latency of one query asked again
and again, and throughput under concurrent clients (a bounded load generator: each client asks
in a loop until the time is up, on its own keep-alive connection)."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

ACCEPT = "application/sparql-results+json"
#: The load test's cheap query.
CHEAP = "ASK { ?s a <https://w3id.org/habitat-kg/ontology#Activity> }"
#: The load test's heavy query: a GROUP BY with HAVING over the whole graph, and one of the heavy
#: questions as ``benchmarks.targets`` defines them (rdflib-endpoint takes about 1 s on it at
#: 100k); fixed, so that every size and server runs the same query.
LOAD_TEST_HEAVY = "partners-on-several-resolutions"


class Client:
    """One keep-alive connection to an endpoint; ``parameters`` go with every query (a peer may
    need the dataset's graphs named), and ``headers`` besides Accept; the last answer's body
    and headers are kept."""

    def __init__(
        self,
        url: str,
        timeout: float,
        parameters: Sequence[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path or "/"
        self.timeout = timeout
        self.parameters = list(parameters)
        self.sent_headers = {"Accept": ACCEPT, **(headers or {})}
        self.body = b""
        self.headers: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def ask(self, sparql: str) -> tuple[int, int]:
        """Send the query by GET; the status and the size of the answer."""
        fields = [("query", sparql), *self.parameters]
        target = f"{self.path}?{urllib.parse.urlencode(fields)}"
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened again
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self._connection.request("GET", target, headers=self.sent_headers)
                response = self._connection.getresponse()
                self.body = response.read()
                self.headers = dict(response.getheaders())
                return response.status, len(self.body)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass
class Samples:
    samples: list[float] = field(default_factory=list)  # seconds
    statuses: dict[int, int] = field(default_factory=dict)
    timed_out: bool = False


def repeat(
    url: str, sparql: str, reps: int, budget: float, limit: float, client: Client | None = None
) -> Samples:
    """Ask ``sparql`` up to ``reps`` times (stopping after ``budget`` seconds); a call longer
    than ``limit`` seconds ends the measurement as timed out. On ``client``'s connection if one is
    given (left open), else on one of its own."""
    own = client is None
    client, samples = client or Client(url, limit), Samples()
    started = time.perf_counter()
    try:
        while len(samples.samples) < reps and (
            not samples.samples or time.perf_counter() - started < budget
        ):
            before = time.perf_counter()
            try:
                status, _ = client.ask(sparql)
            except TimeoutError:
                samples.timed_out = True
                break
            samples.samples.append(time.perf_counter() - before)
            samples.statuses[status] = samples.statuses.get(status, 0) + 1
    finally:
        if own or samples.timed_out:  # a timed-out connection may still bring the late answer
            client.close()
    return samples


@dataclass
class Throughput:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load_test(url: str, sparql: str, clients: int, duration: float, limit: float) -> Throughput:
    """``clients`` threads asking ``sparql`` in a loop for ``duration`` seconds."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def run() -> None:
        client = Client(url, limit)
        mine, failed = [], 0
        try:
            while time.perf_counter() < deadline:
                before = time.perf_counter()
                try:
                    status, _ = client.ask(sparql)
                except (TimeoutError, OSError, http.client.HTTPException):
                    failed += 1
                    client.close()
                    continue
                if status == 200:
                    mine.append(time.perf_counter() - before)
                else:
                    failed += 1
        finally:
            client.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Throughput(len(latencies), elapsed, latencies, errors[0])
