"""Web benchmark: server time of the register search and the case pages on a large corpus.

    python benchmarks/web.py                      # 100k synthetic decisions, readable
    python benchmarks/web.py --n 10000 --json
    python benchmarks/web.py --db /tmp/web100k.db # keep (or reuse) the built corpus

The corpus is built as benchmarks/corpus.py builds it (statements drafted by the core, varied
to N, ingested into SQLite and its search index). An office is opened over the same database
with an assessor and the seed case 24 022 031 (with a few answers recorded, so its history is
not empty), and `ombuds serve`'s app runs on uvicorn at 127.0.0.1 on a free port. Pages are
fetched over HTTP in turn; the server time of each request is taken by a timing middleware
around the whole app (routing, the page's queries and template), and the time the client
saw is reported beside it. Each page type is warmed once first.

Pages: register search (the corpus benchmark's realistic queries, with their filters), the
register listing by filters alone, a decision page (with its similar decisions), analytics,
my cases, the case page, and the guided-assessment page (with its similar decisions).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn
import yaml
from sqlalchemy import select

from corpus import QUERIES, percentile, varied_record
from ombuds.corpus.ingest import ingest
from ombuds.corpus.schema import decision
from ombuds.corpus.search import SearchFilters
from ombuds.corpus.store import Store, open_store
from ombuds.office import cases, people
from ombuds.office.office import Office
from ombuds.reading import Parsed, parse_text
from ombuds.server.app import create_app
from synthetic_corpus import draft_pool, variants

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seeds" / "24-022-031.yaml"
PASSWORD = "benchmark password 1"
REPEATS = 3


class ServerTime:
    """ASGI middleware: how long the app took for each request, by the path it served."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.times.append((time.perf_counter() - started) * 1000)


def _filters_query(text: str, f: SearchFilters) -> dict[str, str]:
    query = {"q": text}
    if f.organisation:
        query["organisation"] = f.organisation
    if f.category:
        query["category"] = f.category
    if f.decision:
        query["decision"] = f.decision
    if f.test:
        query["reason"] = f.test
    if f.since:
        query["from-year"] = str(f.since.year)
    if f.until:
        query["to-year"] = str(f.until.year)
    return query


def _decisions(n: int, seed: int, log: Callable[[str], None]) -> list[Parsed]:
    """N decisions varied from a pool the core drafts and the reader parses (as corpus.py)."""
    started = time.perf_counter()
    pool = draft_pool(min(3000, n), seed)
    records = [parse_text(text, source=f"pool:{i}") for i, text in enumerate(pool.texts)]
    parsed = []
    for i, variant in enumerate(variants(pool, n, seed)):
        text = variant.apply(pool.texts[variant.pool_index])
        record = varied_record(records[variant.pool_index], variant, f"synthetic:{i}")
        parsed.append(Parsed(record=record, text=text, raw=text))
    log(f"built {n} decisions in {time.perf_counter() - started:.0f}s")
    return parsed


def _store(n: int, db: Path | None, seed: int, log: Callable[[str], None]) -> Store:
    target = db or Path(tempfile.mkdtemp()) / "web.db"
    store = open_store(target)
    with store.engine.connect() as conn:
        have = len(conn.execute(select(decision.c.id).limit(n + 1)).all())
    if have >= n:
        log(f"reusing {target}: {have} decisions")
        return store
    parsed = _decisions(n, seed, log)
    started = time.perf_counter()
    ingest(store, parsed)
    log(f"ingested {n} decisions in {time.perf_counter() - started:.0f}s into {target}")
    return store


def _office(store: Store) -> tuple[Office, int]:
    office = Office(store)
    with store.begin() as conn:
        if not any(u.name == "bench" for u in people.list_users(conn)):
            people.add_user(conn, "benchmark", "bench", "assessor", PASSWORD)
        user = people.find_user(conn, "bench")
    document = json.loads(json.dumps(yaml.safe_load(SEED.read_text()), default=str))
    listed = cases.list_cases(office, user, cases.CaseFilters(), limit=500).items
    found = [c for c in listed if c.reference == document["reference"]]
    view = found[0] if found else cases.create_case(office, user, document)
    if not found:
        cases.transition(office, user, view.id, "assessment")
        cases.set_facts(office, user, view.id, {"evidence_of_fault": False}, "a", None)
    return office, view.id


def run(n: int, db: Path | None, seed: int, log: Callable[[str], None]) -> dict[str, Any]:
    store = _store(n, db, seed, log)
    office, case_id = _office(store)
    with store.engine.connect() as conn:
        references = [
            str(r).replace(" ", "-")
            for r in conn.scalars(select(decision.c.reference).limit(20)).all()
        ]
    timing = ServerTime(create_app(office, cookie_secure=False))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(timing, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    pages: dict[str, list[str]] = {
        "register_search": [f"/decisions?{urlencode(_filters_query(q, f))}" for q, f in QUERIES],
        "register_filters": [
            "/decisions",
            "/decisions?decision=upheld",
            "/decisions?category=Housing",
            "/decisions?from-year=2023&to-year=2023",
        ],
        "decision_page": [f"/decisions/{ref}" for ref in references],
        "analytics": ["/analytics"],
        "case_list": ["/cases"],
        "case_page": [f"/cases/{case_id}"] * 20,
        "assessment_page": [f"/cases/{case_id}/assess"] * 10,
    }
    results: dict[str, Any] = {"n": n}
    try:
        with httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
            form = client.get("/sign-in").text  # the form's token, and its cookie
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            credentials = {"username": "bench", "password": PASSWORD}
            signed = client.post(
                "/sign-in", data={**credentials, "csrf_token": token.group(1) if token else ""}
            )
            if signed.status_code != 200 or "Signed in as" not in signed.text:
                raise SystemExit(f"could not sign in: {signed.status_code}")
            for name, paths in pages.items():
                client.get(paths[0])  # warm
                server_ms: list[float] = []
                client_ms: list[float] = []
                for _ in range(REPEATS if len(paths) > 1 else REPEATS * 3):
                    for path in paths:
                        seen = len(timing.times)
                        started = time.perf_counter()
                        response = client.get(path)
                        client_ms.append((time.perf_counter() - started) * 1000)
                        # The app's time is noted after its last byte is sent: wait for it.
                        deadline = time.monotonic() + 5
                        while len(timing.times) == seen and time.monotonic() < deadline:
                            time.sleep(0.001)
                        server_ms.append(timing.times[-1])
                        if response.status_code != 200:
                            raise SystemExit(f"{path}: HTTP {response.status_code}")
                results[name] = {
                    "requests": len(server_ms),
                    "server_p50_ms": round(percentile(server_ms, 0.5), 1),
                    "server_p95_ms": round(percentile(server_ms, 0.95), 1),
                    "client_p95_ms": round(percentile(client_ms, 0.95), 1),
                }
                log(f"n={n} {name}: {results[name]}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="decisions in the corpus")
    parser.add_argument("--db", type=Path, help="SQLite file to build (or reuse if it has N)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr if args.json else sys.stdout, flush=True)

    result = run(args.n, args.db, args.seed, log)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
