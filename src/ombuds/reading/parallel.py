"""Parse statements in worker processes, in input order, with memory flat in corpus size.

Reading the inputs and using the results stay in the calling process (for ``ingest``: one
process stores, so the database and index keep a single writer); only parsing, the costly
step, moves to the workers. Statements go out in chunks, and at most a few chunks per worker
are ever in flight, so a corpus of any size streams through in bounded memory. A short input
(one chunk) is parsed here, without starting any process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from ombuds.reading.sources import Parsed, ParseFailure, RawInput, parse_input

CHUNK = 64  # statements sent to a worker at once (amortises the hand-over)
IN_FLIGHT_PER_WORKER = 3  # chunks queued per worker: enough to keep it busy, no more


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _parse_chunk(chunk: list[RawInput | ParseFailure]) -> list[Parsed | ParseFailure]:
    return [parse_input(item) for item in chunk]


def _warm() -> None:
    """Load and compile the reading patterns once per worker, before any statement arrives."""
    from ombuds.reading.patterns import load_patterns, warm

    warm(load_patterns())


def parse_in_workers(
    items: Iterable[RawInput | ParseFailure], workers: int, chunk: int = CHUNK
) -> Iterator[Parsed | ParseFailure]:
    """``parse_input`` of every item, computed by ``workers`` processes, yielded in order."""
    stream = iter(items)
    first = list(islice(stream, chunk))
    if len(first) < chunk or workers <= 1:
        yield from _parse_chunk(first)
        for item in stream:
            yield parse_input(item)
        return
    # forkserver: workers start from a clean process, not a fork of this one (which may hold
    # database connections, index locks and threads).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ombuds.reading.sources"])  # workers fork with it loaded
    pending: deque[Future[list[Parsed | ParseFailure]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm) as pool:
        try:
            pending.append(pool.submit(_parse_chunk, first))
            limit = workers * IN_FLIGHT_PER_WORKER
            while pending:
                while len(pending) < limit:
                    batch = list(islice(stream, chunk))
                    if not batch:
                        break
                    pending.append(pool.submit(_parse_chunk, batch))
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
