"""When a change is first served: an ASK polled on an endpoint until it says yes."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request


def ask(address: str, query: str, timeout: float) -> bool:
    """The answer of an ASK through the endpoint at ``address``."""
    url = f"{address}/sparql?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bool(json.load(response)["boolean"])


class FirstServed:
    """Asks ``query`` every 10 ms, in a thread, from :meth:`start` until an answer says yes."""

    def __init__(self, address: str, query: str, timeout: float) -> None:
        self.address, self.query, self.timeout = address, query, timeout
        self._seen: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._started = 0.0

    def _watch(self) -> None:
        while not self._stop.is_set():
            if ask(self.address, self.query, self.timeout):
                self._seen = time.monotonic()
                return
            time.sleep(0.01)

    def start(self) -> float:
        """Start asking; the time of the start (``time.monotonic``)."""
        self._started = time.monotonic()
        self._thread.start()
        return self._started

    def seconds(self, wait: float) -> float:
        """Seconds from the start to the first yes, waiting ``wait`` seconds for it at most."""
        self._thread.join(wait)
        self._stop.set()
        assert self._seen is not None, f"never served: {self.query}"
        return self._seen - self._started
