"""Throughput of the core: complaints assessed per second and statements drafted per second.

    python benchmarks/assess.py [--n 5000] [--json]

Generates N varied synthetic complaints (ombuds.intake.synthetic: most files complete, about one
in five still needing information, whose questions are ranked too), then times assessment alone
and Markdown drafting (assessment + composition + rendering) on one core, and reports the
process's peak resident memory. Rates are given by the wall clock and by the process's CPU
time: on a shared, busy machine the CPU-time rate is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter

from ombuds.drafting import render, statement_for
from ombuds.engine import assess
from ombuds.intake.synthetic import random_complaints
from ombuds.rulebook import load_rulebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000, help="number of complaints")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    rulebook = load_rulebook()
    complaints = list(random_complaints(args.n, seed=args.seed, rulebook=rulebook))
    assess(complaints[0], rulebook)  # warm caches (templates compile once)
    render(statement_for(complaints[0], rulebook), rulebook, "md")

    start, cpu = time.perf_counter(), time.process_time()
    decisions = Counter(assess(c, rulebook).decision.value for c in complaints)
    assess_s, assess_cpu = time.perf_counter() - start, time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    chars = 0
    for complaint in complaints:
        chars += len(render(statement_for(complaint, rulebook), rulebook, "md"))
    draft_s, draft_cpu = time.perf_counter() - start, time.process_time() - cpu

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "n": args.n,
        "assess_per_s": round(args.n / assess_s, 1),
        "draft_per_s": round(args.n / draft_s, 1),
        "assess_per_cpu_s": round(args.n / assess_cpu, 1),
        "draft_per_cpu_s": round(args.n / draft_cpu, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"complaints:            {args.n} (decisions: {dict(decisions)})")
        print(
            f"assessed per second:   {result['assess_per_s']:,.0f} "
            f"({result['assess_per_cpu_s']:,.0f} per CPU second)"
        )
        print(
            f"drafted per second:    {result['draft_per_s']:,.0f} "
            f"({result['draft_per_cpu_s']:,.0f} per CPU second; Markdown, "
            f"{chars / args.n:,.0f} characters each)"
        )
        print(f"peak memory (RSS):     {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
