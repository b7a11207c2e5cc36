"""Ticket intake through the REST API, served as `make demo` serves it.

Load comes from wrk (a separate process on 127.0.0.1, not the bottleneck). Results go to
bench/results/intake.json; docs/benchmarks.md records method and figures.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from kefu.auth.customer_tokens import sign_identity_token

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
SECRET = "bench-identity-secret-0123456789abcdef"
DURATION = os.environ.get("KEFU_BENCH_DURATION", "10s")


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    RESULTS.mkdir(exist_ok=True)
    token = sign_identity_token(SECRET, "90000001", "bench@example.com", "Bench", 3600)
    results: dict[str, list[dict[str, object]]] = {
        "kefu": [],
        "kefu_one_process": [],
        "bare_starlette": [],
    }
    for connections in (16, 32, 64):
        # As `make demo` serves it: `kefu serve`'s default, one process per core (two here).
        results["kefu"].append(_bench_kefu(token, connections, []))
        results["kefu_one_process"].append(_bench_kefu(token, connections, ["--workers", "1"]))
        results["bare_starlette"].append(_bench_bare(token, connections))
    (RESULTS / "intake.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


def _bench_kefu(token: str, connections: int, options: list[str]) -> dict[str, object]:
    var_dir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(var_dir),
        "KEFU_IDENTITY_SECRET": SECRET,
        "KEFU_SMTP_URL": "smtp://127.0.0.1:1",
        # The load comes from one address on purpose: measure intake, not the rate limit.
        "KEFU_RATE_LIMITS_ENABLED": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "kefu", "migrate"], env=env, check=True, capture_output=True
    )
    # The worker runs in its own process, as on a busy deployment.
    result = _serve_and_load(
        [sys.executable, "-m", "kefu", "serve", "--port", "18765", *options],
        {**env, "KEFU_RUN_WORKER_IN_WEB": "false"},
        token,
        connections,
    )
    with sqlite3.connect(var_dir / "kefu.sqlite3") as db:
        result["tickets_in_database"] = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
    shutil.rmtree(var_dir, ignore_errors=True)
    return result


def _bench_bare(token: str, connections: int) -> dict[str, object]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare_starlette:app",
        "--port",
        "18765",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return _serve_and_load(command, dict(os.environ), token, connections)


def _serve_and_load(
    command: list[str], env: dict[str, str], token: str, connections: int
) -> dict[str, object]:
    server = subprocess.Popen(
        command, env=env, cwd=ROOT.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait("http://127.0.0.1:18765/api/v1/tickets")
        # Warm-up, not measured: the processes finish starting (help-center index, caches).
        warmup = _wrk(connections, "3s", {**env, "KEFU_BENCH_TOKEN": token})
        stats = _wrk(connections, DURATION, {**env, "KEFU_BENCH_TOKEN": token})
    finally:
        server.terminate()
        server.wait(timeout=10)
    stats["warmup_requests"] = warmup["requests"]
    stats["connections"] = connections
    stats["requests_per_s"] = round(
        int(str(stats["requests"])) / (int(str(stats["duration_us"])) / 1e6), 1
    )
    return stats


def _wrk(connections: int, duration: str, env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}",
            "--latency",
            "-s",
            str(ROOT / "intake.lua"),
            "http://127.0.0.1:18765/api/v1/tickets",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    stats: dict[str, object] = json.loads(line[5:])
    return stats


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


if __name__ == "__main__":
    raise SystemExit(main())
