"""The endpoint and the raw pyoxigraph call timed in turns, question by question.

The endpoint is held to the raw call (within 1.5 × it + 2 ms). Timed minutes apart, in two phases
of a run, the two would also measure whatever else this shared machine did in between: in one run
a question's raw median and its endpoint median moved apart by 2 ms that neither the endpoint nor
the minimal app showed when asked again. So while habitat-kg serves, a probe that holds the same
dataset in pyoxigraph (``benchmarks.probes paced``) and the endpoint take turns: a few calls of a
question through the one, as many through the other, until each has its samples.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from benchmarks.http_load import Client, Samples, repeat
from benchmarks.processes import Probe

#: Calls of one question per turn: few enough that both sides see the same moment of the machine,
#: enough that a turn is not mostly the switch between them.
TURN_CALLS = 5


class PacedRaw:
    """A probe that makes paced raw calls on request, and the samples it gave per question.

    A turn that does not end within the time limit stops the probe (the only way to end an
    evaluation), and so does a probe that ended: the remaining questions are then timed through
    the endpoint alone, and judged against the back-to-back raw call.
    """

    def __init__(self, dataset: Path, load_limit: float, limit: float) -> None:
        self.samples: dict[str, list[float]] = {}
        self._limit = limit
        self._probe: Probe | None = Probe(["paced", "--dataset", str(dataset)])
        if self._probe.next(load_limit) is None:
            self.stop()
            raise RuntimeError(f"{dataset}: the paced probe did not load it in {load_limit:g} s")

    def turn(self, name: str, calls: int, budget: float) -> None:
        """Up to ``calls`` paced calls of question ``name`` (fewer past ``budget`` seconds)."""
        if self._probe is None:
            return
        try:
            self._probe.ask(question=name, calls=calls, budget=budget)
            answer = self._probe.next(budget + self._limit)
        except (OSError, RuntimeError) as error:  # it ended: say why, and go on without it
            print(
                f"    the paced probe ended ({error}); the endpoint goes on alone", file=sys.stderr
            )
            answer = None
        if answer is None:
            self.stop()
            return
        self.samples.setdefault(name, []).extend(answer["paced"])

    def stop(self) -> None:
        if self._probe is not None:
            self._probe.stop()
            self._probe = None


def in_turns(
    url: str, name: str, sparql: str, raw: PacedRaw, reps: int, budget: float, limit: float
) -> Samples:
    """Up to ``reps`` calls of ``sparql`` through the endpoint at ``url``, in turns with paced raw
    calls of question ``name``: each turn asks both sides for the same number of calls, and each
    side's turn ends after ``budget`` seconds (so a slow question may get one call more on one
    side); no new turn starts after ``2 × budget`` seconds in all."""
    endpoint = Samples()
    client = Client(url, limit)  # one connection for all turns: each call of a turn is alike
    started = time.perf_counter()
    try:
        while len(endpoint.samples) < reps and (
            not endpoint.samples or time.perf_counter() - started < 2 * budget
        ):
            calls = min(TURN_CALLS, reps - len(endpoint.samples))
            raw.turn(name, calls, budget)
            turn = repeat(url, sparql, calls, budget, limit, client=client)
            endpoint.samples += turn.samples
            for status, count in turn.statuses.items():
                endpoint.statuses[status] = endpoint.statuses.get(status, 0) + count
            if turn.timed_out:
                endpoint.timed_out = True
                break
    finally:
        client.close()
    return endpoint
