"""How long ombuds takes to refuse or bound each hostile input of issue 10 (README "Limits").

    python benchmarks/hostile.py [--json]

Each probe is run in-process and timed once (wall clock, seconds); the figure is the time to
reach the refusal or the bounded result, and the peak resident memory of the whole run is
reported at the end. Inputs are generated here; the importer probes use a local server on
127.0.0.1 (the test suite's hostile server).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ombuds.importer.client import FetchFailed, PoliteClient
from ombuds.importer.listing import parse_listing
from ombuds.importer.politeness import RateLimiter, RetryPolicy
from ombuds.importer.site import load_site
from ombuds.intake import ComplaintFileError, load_complaint
from ombuds.rulebook import load_rulebook
from ombuds.sourcemap import DocumentError, load_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fetch.hostileserver import HostileServer

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "\n".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)
)


def _timed(probe: Callable[[], str]) -> tuple[float, str]:
    start = time.perf_counter()
    outcome = probe()
    return time.perf_counter() - start, outcome


def _refused(text: str) -> Callable[[], str]:
    def probe() -> str:
        try:
            load_document(text)
        except DocumentError as exc:
            return f"refused: {exc}"[:90]
        return "accepted"

    return probe


def _fifty_megabytes(folder: Path) -> Callable[[], str]:
    path = folder / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"reference: ")
        handle.truncate(50 * 1024 * 1024)
    rulebook = load_rulebook()

    def probe() -> str:
        try:
            load_complaint(path, rulebook)
        except ComplaintFileError as exc:
            return f"refused: {exc.problems[0].message}"[:90]
        return "accepted"

    return probe


def _listing(count: int) -> Callable[[], str]:
    rows = "".join(
        f'<li><a href="/decisions/housing/homelessness/24-{i // 1000:03d}-{i % 1000:03d}">'
        f"C (24 {i // 1000:03d} {i % 1000:03d})</a> Statement Upheld Housing 04-Mar-2024</li>"
        for i in range(count)
    )
    html = f"<html><body><ul>{rows}</ul></body></html>"
    site = load_site()
    return lambda: f"{len(parse_listing(site, html, 'https://www.lgo.org.uk/x').items)} items"


def _fetch(server: HostileServer, path: str, timeout: float = 5.0) -> Callable[[], str]:
    def probe() -> str:
        client = PoliteClient(
            user_agent="ombuds/benchmark",
            limiter=RateLimiter(0.0),
            policy=RetryPolicy(attempts=1),
            timeout=timeout,
            site_url=server.base_url,
        )
        try:
            client.get(server.base_url + path)
        except FetchFailed as exc:
            return f"refused: {exc.reason}"[:90]
        finally:
            client.close()
        return "fetched"

    return probe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp, HostileServer() as server:
        probes: dict[str, Callable[[], str]] = {
            "yaml_alias_bomb": _refused(BOMB),
            "json_nested_100k": _refused("[" * 100_000 + "]" * 100_000),
            "yaml_duplicate_key": _refused("a: 1\nb: 2\na: 3\n"),
            "complaint_50_mb": _fifty_megabytes(Path(tmp)),
            "listing_30k_links": _listing(30_000),
            "fetch_declared_1_gib": _fetch(server, "/declared-gib"),
            "fetch_endless_chunked": _fetch(server, "/endless"),
            "fetch_gzip_bomb_512_mib": _fetch(server, "/gzip-bomb"),
            "fetch_trickle_timeout_5": _fetch(server, "/trickle", timeout=5.0),
        }
        for name, probe in probes.items():
            seconds, outcome = _timed(probe)
            results[name] = {"seconds": round(seconds, 3), "outcome": outcome}
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps({"probes": results, "peak_rss_mib": round(peak_mib, 1)}, indent=2))
    else:
        for name, result in results.items():
            print(f"{name:26} {result['seconds']:>8.3f}s  {result['outcome']}")
        print(f"peak resident memory {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
