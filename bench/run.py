"""`make bench`: every benchmark, each in its own process, results in bench/results/*.json.

Each benchmark is bounded in time and in load and talks only to 127.0.0.1. The figures,
with how they were measured, are in docs/benchmarks.md and the subsystem pages.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = ("intake", "shield", "kb", "email", "chat", "sla", "workspace")
TIMEOUT_SECONDS = 900


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        started = time.monotonic()
        print(f"== {name} ==", flush=True)
        try:
            result = subprocess.run(
                [sys.executable, "-m", f"bench.{name}_bench"], timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            failed.append(f"{name} (timed out)")
            continue
        if result.returncode != 0:
            failed.append(name)
        print(f"== {name}: exit {result.returncode} in {time.monotonic() - started:.0f} s ==")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
