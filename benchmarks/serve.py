"""Load on the casework service: N clients for S seconds, a realistic mix, over HTTP.

    python benchmarks/serve.py --clients 50 --seconds 20 [--json] [--db URL] [--url URL]

Without --url it starts `ombuds serve` on 127.0.0.1 (a free port) over a new database (a
SQLite file in a temporary folder, or --db, e.g. an empty PostgreSQL database), adds an
assessor and a reviewer, and opens --cases shared cases. With --url it drives a running
server, given --assessor-token and --reviewer-token.

Each client repeats, with --think-ms between requests: list cases (30%), read a case (25%),
patch a shared case with If-Match (20%: append a note to a point, re-reading and retrying on
412), read the assessment (15%), and take its own case one workflow step further (10%: open,
assess, draft, review, sign-off by the reviewer, publish, then a new case). Latency is per
request. ``errors`` counts transport failures and statuses outside the expected ones (412 on
a patch is expected: someone else edited first); ``lost_updates`` counts acknowledged notes
missing from the cases at the end. Where the server runs here, its own CPU time per request
is added (``server_cpu_ms_per_request``): on a shared machine the latencies measure the
machine's load as much as the service. Run it against a fresh database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seeds" / "24-022-031.yaml"
PASSWORD = "benchmark-password"
STEPS = ["assessment", "draft", "(draft)", "review", "decided", "published"]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    acknowledged: dict[int, set[str]] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def document(reference: str) -> dict[str, Any]:
    data = json.loads(json.dumps(yaml.safe_load(SEED.read_text(encoding="utf-8")), default=str))
    data["reference"] = reference
    return dict(data)


class Client:
    def __init__(
        self, n: int, http: httpx.AsyncClient, tokens: dict[str, str], shared: list[int],
        tally: Tally, think: float, rng: random.Random,
    ) -> None:  # fmt: skip
        self.n, self.http, self.shared, self.tally = n, http, shared, tally
        self.assessor = {"Authorization": f"Bearer {tokens['assessor']}"}
        self.reviewer = {"Authorization": f"Bearer {tokens['reviewer']}"}
        self.think, self.rng = think, rng
        self.own: int | None = None
        self.year = 26
        self.step = 0
        self.opened = 0
        self.notes = 0

    async def request(
        self, method: str, url: str, expect: set[int], **kw: Any
    ) -> httpx.Response | None:
        kw.setdefault("headers", self.assessor)
        start = time.perf_counter()
        try:
            response = await self.http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.tally.error(type(exc).__name__)
            return None
        self.tally.latencies.append(time.perf_counter() - start)
        if response.status_code not in expect:
            self.tally.error(f"{method} {url.split('?')[0]} {response.status_code}")
            return None
        return response

    async def run(self, until: float) -> None:
        while time.perf_counter() < until:
            choice = self.rng.random()
            if choice < 0.30:
                await self.request("GET", "/api/cases?limit=20", {200})
            elif choice < 0.55:
                await self.request("GET", f"/api/cases/{self.rng.choice(self.shared)}", {200})
            elif choice < 0.75:
                await self.add_note(self.rng.choice(self.shared))
            elif choice < 0.90:
                await self.request(
                    "GET", f"/api/cases/{self.rng.choice(self.shared)}/assessment", {200}
                )
            else:
                await self.next_step()
            if self.think:
                await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    async def add_note(self, case_id: int) -> None:
        self.notes += 1
        note = f"bench {self.n}-{self.notes}"
        for _ in range(20):
            read = await self.request("GET", f"/api/cases/{case_id}", {200})
            if read is None:
                return
            points = read.json()["document"]["points"]
            points[0] = {**points[0], "notes": [*points[0].get("notes", []), note]}
            sent = await self.request(
                "PATCH",
                f"/api/cases/{case_id}",
                {200, 412},
                json={"points": points},
                headers={**self.assessor, "If-Match": read.headers["ETag"]},
            )
            if sent is None:
                return
            if sent.status_code == 200:
                self.tally.acknowledged.setdefault(case_id, set()).add(note)
                return

    async def next_step(self) -> None:
        if self.own is None:
            self.opened += 1
            reference = f"{self.year} {self.n:03d} {self.opened:03d}"
            made = await self.request("POST", "/api/cases", {201, 409}, json=document(reference))
            ok = made is not None and made.status_code == 201
            self.own = made.json()["id"] if ok and made is not None else None  # 409: next number
            self.step = 0
            return
        step = STEPS[self.step]
        url = f"/api/cases/{self.own}"
        if step == "(draft)":
            done = await self.request("POST", f"{url}/draft", {200}, json={})
        else:
            who = self.reviewer if step in {"decided", "published"} else self.assessor
            done = await self.request(
                "POST", f"{url}/transitions", {200}, json={"to": step}, headers=who
            )
        if done is None:
            self.own = None  # start again with a new case
            return
        self.step += 1
        if self.step == len(STEPS):
            self.own = None


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ombuds(*args: str, stdin: str | None = None, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["ombuds", *args],
        input=stdin, capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def start_server(db: str, folder: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    env = {**os.environ, "OMBUDS_DB": db, "OMBUDS_INDEX": str(folder / "index")}
    ombuds("users", "add", "bench-assessor", "--role", "assessor", "--password-stdin",
           stdin=PASSWORD + "\n", env=env)  # fmt: skip
    ombuds("users", "add", "bench-reviewer", "--role", "reviewer", "--password-stdin",
           stdin=PASSWORD + "\n", env=env)  # fmt: skip
    tokens = {
        "assessor": ombuds("users", "token", "bench-assessor", env=env),
        "reviewer": ombuds("users", "token", "bench-reviewer", env=env),
    }
    port = free_port()
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen(["ombuds", "serve", "--port", str(port)], env=env, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return server, url, tokens
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not start; see {folder / 'serve.log'}")


async def drive(url: str, tokens: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    tally = Tally()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        headers = {"Authorization": f"Bearer {tokens['assessor']}"}
        shared = []
        for n in range(args.cases):
            made = await http.post("/api/cases", json=document(f"27 {n:03d} 001"), headers=headers)
            if made.status_code != 201:
                raise SystemExit(f"cannot open the shared cases: {made.status_code} {made.text}")
            shared.append(made.json()["id"])
        rng = random.Random(args.seed)
        clients = [
            Client(
                n, http, tokens, shared, tally, args.think_ms / 1000, random.Random(rng.random())
            )
            for n in range(args.clients)
        ]
        started = time.perf_counter()
        until = started + args.seconds
        await asyncio.gather(*(client.run(until) for client in clients))
        elapsed = time.perf_counter() - started
        lost = 0
        for case_id, notes in tally.acknowledged.items():
            final = (await http.get(f"/api/cases/{case_id}", headers=headers)).json()
            kept = set(final["document"]["points"][0].get("notes", []))
            lost += len(notes - kept)
    latencies = sorted(tally.latencies)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": args.clients,
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
        "errors": tally.errors,
        "lost_updates": lost,
        "error_kinds": tally.error_kinds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cases", type=int, default=20, help="shared cases the clients edit")
    parser.add_argument("--think-ms", type=float, default=0, help="pause between requests")
    parser.add_argument("--db", help="database for the server started here (default SQLite)")
    parser.add_argument("--url", help="drive this running server instead of starting one")
    parser.add_argument("--assessor-token")
    parser.add_argument("--reviewer-token")
    parser.add_argument("--keep-log", type=Path, help="copy the server's request log here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    server = None
    cpu: float | None = None
    with tempfile.TemporaryDirectory(prefix="ombuds-bench-") as tmp:
        folder = Path(tmp)
        if args.url:
            if not (args.assessor_token and args.reviewer_token):
                parser.error("--url needs --assessor-token and --reviewer-token")
            url = args.url
            tokens = {"assessor": args.assessor_token, "reviewer": args.reviewer_token}
        else:
            server, url, tokens = start_server(args.db or str(folder / "bench.db"), folder)
        try:
            before = cpu_seconds(server.pid) if server is not None else None
            result = asyncio.run(drive(url, tokens, args))
            after = cpu_seconds(server.pid) if server is not None else None
            if before is not None and after is not None and result["requests"]:
                cpu = (after - before) * 1000 / result["requests"]
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
                if args.keep_log:
                    args.keep_log.write_bytes((folder / "serve.log").read_bytes())
    if not result["error_kinds"]:
        del result["error_kinds"]
    if cpu is not None:
        # The server's own CPU time per request (setup included): what the machine's other
        # load cannot inflate, unlike the latencies.
        result["server_cpu_ms_per_request"] = round(cpu, 2)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:14} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
