"""Live chat under incident load, against `kefu serve` (one process) on 127.0.0.1.

Run: .venv/bin/python -m bench.chat_bench [--idle 500] [--active 200] [--seconds 15]
Writes bench/results/chat.json.

1. Idle widgets: `--idle` WebSockets connect and say hello, then stay open (held, and the
   server's resident memory is read from /proc).
2. Active chats: `--active` of them each send a question every `--interval` seconds (the
   widget's rate limit is one a second) for `--seconds`. Every message goes the whole way:
   ingest (dedupe, shield, identify, thread, triage, persist), then the bot (help-center
   search, category, answer) in a second transaction. Round trip = send → `ack` (committed)
   and send → the bot's answer arriving on the socket.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

RESULTS = Path(__file__).parent / "results" / "chat.json"
QUESTIONS = [
    "怎么找到充值的 TxID？",
    "提现一直显示审核中",
    "How do I reset my authenticator?",
    "API returns invalid signature",
    "合约资金费率是什么",
    "my limit order is not filled",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--active", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.5)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=18766)
    args = parser.parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="kefu-chat-bench-"))
    env = {**os.environ, "KEFU_VAR_DIR": str(var_dir), "KEFU_RUN_WORKER_IN_WEB": "false"}
    # Every simulated visitor comes from one address: measure chat, not the rate limit.
    env["KEFU_RATE_LIMITS_ENABLED"] = "false"
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("KEFU_REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "kefu", "demo", "--no-serve", "--port", str(args.port)],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "kefu", "serve", "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"127.0.0.1:{args.port}"
        _wait(f"http://{base}/")
        report = asyncio.run(_run(f"ws://{base}/ws/chat", server.pid, args))
    finally:
        server.terminate()
        server.wait(timeout=20)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    report["machine"] = f"{platform.machine()} {python} cpus={os.cpu_count()}"
    report["database"] = "SQLite (WAL), in-process live hub, one server process"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


async def _run(url: str, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    rss_before = _rss_mib(pid)
    started = time.perf_counter()
    sockets = await _open_all(url, args.idle)
    connect_s = time.perf_counter() - started
    held = sum(1 for ws in sockets if ws.state.name == "OPEN")
    rss_idle = _rss_mib(pid)
    active = sockets[: args.active]
    results = await asyncio.gather(*(_chat(ws, i, args) for i, ws in enumerate(active)))
    acks = [x for r in results for x in r["ack_ms"]]
    answers = [x for r in results for x in r["answer_ms"]]
    errors = sum(r["errors"] for r in results)
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    sent = len(acks) + errors
    return {
        "idle": {
            "sessions_requested": args.idle,
            "sessions_held": held,
            "connect_and_hello_s": round(connect_s, 2),
            "server_rss_mib_before": rss_before,
            "server_rss_mib_with_sessions": rss_idle,
        },
        "active": {
            "sessions": len(active),
            "seconds": args.seconds,
            "messages_sent": sent,
            "messages_per_s": round(sent / args.seconds, 1),
            "errors": errors,
            "ack_ms": _percentiles(acks),
            "bot_answer_ms": _percentiles(answers),
        },
        "target": "p99 < 50 ms at 500 messages/s; 10,000 idle widgets < 1.5 GiB (issue #5)",
    }


async def _open_all(url: str, count: int) -> list[Any]:
    limit = asyncio.Semaphore(100)

    async def one(i: int) -> Any:
        async with limit:
            ws = await websockets.connect(url, max_size=2**20, open_timeout=30, ping_interval=None)
            await ws.send(json.dumps({"type": "hello", "lang": "zh-Hans" if i % 2 else "en"}))
            while json.loads(await ws.recv())["type"] != "welcome":
                pass
            return ws

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def _chat(ws: Any, index: int, args: argparse.Namespace) -> dict[str, Any]:
    ack_ms: list[float] = []
    answer_ms: list[float] = []
    errors = 0
    await asyncio.sleep(args.interval * index / max(args.active, 1))  # spread the starts
    deadline = time.perf_counter() + args.seconds
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        sent_at = time.perf_counter()
        frame = {
            "type": "message",
            "client_id": f"b{index}-{n}",
            "text": QUESTIONS[(index + n) % len(QUESTIONS)],
        }
        await ws.send(json.dumps(frame))
        acked = answered = False
        while not (acked and answered):
            event = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if event["type"] == "ack":
                ack_ms.append((time.perf_counter() - sent_at) * 1000)
                acked = True
            elif event["type"] == "message" and event["author"] == "bot":
                answer_ms.append((time.perf_counter() - sent_at) * 1000)
                answered = True
            elif event["type"] == "error":
                errors += 1
                break
        await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - sent_at)))
    return {"ack_ms": ack_ms, "answer_ms": answer_ms, "errors": errors}


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "n": len(values),
        "p50": at(0.5),
        "p90": at(0.9),
        "p99": at(0.99),
        "max": round(ordered[-1], 1),
        "mean": round(statistics.fmean(values), 1),
    }


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("kefu serve did not start")


if __name__ == "__main__":
    raise SystemExit(main())
