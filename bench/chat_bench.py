"""Live chat under incident load, against `kefu serve --workers 1` on 127.0.0.1 (issue #5).

Run: .venv/bin/python -m bench.chat_bench [--idle 10000] [--active 500] [--interval 1.0]
     [--warmup 5] [--seconds 20] [--distinct]
Writes bench/results/chat.json (`--out` for another file).

1. Idle widgets: `--idle` WebSockets connect and say hello, then stay open and send the
   widget's heartbeat (a `ping` every 20 s, spread over the 20 s), as real widgets do. The
   server's resident memory is read from /proc once they are all connected, and again at
   the end with the number still open. The file-descriptor limit of this process (and so of
   the server it starts) is raised to the hard limit first.
2. Active chats: `--active` further widgets each send a question every `--interval`
   seconds (so `active / interval` messages/s), for `--warmup` seconds not counted and then
   `--seconds` measured, while the idle ones stay connected. Every message goes the whole
   way: ingest (dedupe, shield, identify, thread, triage, persist) and the bot's answer
   (help-center search, category, answer), committed in one write transaction. Round trip
   = send → `ack` (committed), and send → the bot's answer arriving on the socket.
   Questions repeat across visitors, as in an incident; `--distinct` appends a number to
   every text, so no two messages are alike and no search is answered from memory.

Every visitor comes from 127.0.0.1, so the server runs with KEFU_RATE_LIMITS_ENABLED=false:
the per-address limit (60 messages per 10 s) would otherwise refuse nearly all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
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
HEARTBEAT_S = 20.0  # the widget's ping interval (welcome.heartbeat_seconds)
CONNECT_TIMEOUT_S = 300.0  # all idle widgets must be connected by then
# Questions from the bot's labelled set that it answers (no handoff, no clarifying question),
# also with a number appended (--distinct): a chat that handed over would stop answering.
QUESTIONS = (
    "充值的USDT一直没到账",
    "提现一直显示审核中",
    "充币忘记填memo了",
    "充值需要多少个确认",
    "大额提现需要提前报备吗",
    "How do I find the TxID of my deposit",
    "I deposited on the wrong network",
    "withdrawal sent but not received by the other exchange",
    "why was my withdrawal cancelled",
    "忘记登录密码怎么办",
    "KYC审核要多久",
    "登录提示新设备验证",
    "身份认证上传护照失败",
    "邮箱收不到验证码",
    "I forgot my password",
    "how long does identity verification take",
    "I can't log in to my account",
    "passport upload keeps failing",
    "how to change my account email",
    "现货交易手续费怎么算",
    "市价单滑点太大",
    "闪兑的汇率怎么算",
    "怎么设置手续费抵扣",
    "how are spot trading fees calculated",
    "market order slippage was too high",
    "what exchange rate does convert use",
    "why was I charged a higher fee",
    "怎么调整杠杆倍数",
    "强平价格怎么计算",
    "保证金不足怎么办",
    "how do I change leverage",
    "how is the liquidation price calculated",
    "my margin is insufficient",
    "定期理财可以提前赎回吗",
    "借币利息是多少",
    "理财年化收益是多少",
    "can I redeem locked savings early",
    "what is the interest rate on crypto loans",
    "what APY does earn offer",
    "谷歌验证器丢了怎么重置",
    "收到可疑的短信链接是官方的吗",
    "how do I set an anti-phishing code",
    "API返回签名错误",
    "怎么创建API key",
    "websocket断开怎么办",
    "API returns invalid signature",
    "how do I create an API key",
    "websocket keeps disconnecting",
    "项目方想申请上币",
    "做市商合作怎么申请",
    "we are a market maker and want to cooperate",
    "怎么下载App",
    "how do I sign up",
    "I am a new user, how do I start",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=int, default=10_000)
    parser.add_argument("--active", type=int, default=500)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    _raise_fd_limit(args.idle + args.active + 200)
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
        [sys.executable, "-m", "kefu", "serve", "--port", str(args.port), "--workers", "1"],
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
        server.wait(timeout=30)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    report["machine"] = f"{platform.machine()} {python} cpus={os.cpu_count()}"
    report["database"] = "SQLite (WAL), in-process live hub, one server process"
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def _raise_fd_limit(needed: int) -> None:
    """The server inherits this process's limit; each side holds one socket per widget."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < needed:
        raise SystemExit(f"need {needed} file descriptors, the hard limit is {hard}")


async def _run(url: str, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    rss_before = _rss_mib(pid)
    stop = asyncio.Event()
    started = time.perf_counter()
    idle = await asyncio.wait_for(_open_all(url, args.idle, 0), CONNECT_TIMEOUT_S)
    connect_s = time.perf_counter() - started
    rss_idle = _rss_mib(pid)
    beating = [asyncio.create_task(_heartbeat(ws, stop)) for ws in idle]
    active = await asyncio.wait_for(_open_all(url, args.active, args.idle), CONNECT_TIMEOUT_S)
    # The load generator's own collector paused it for 30-70 ms twice a run (its full
    # passes over a thousand sockets' objects), which every message in flight then counted
    # as server latency. It measures the server, so it does not collect while it does.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu_before = _cpu_seconds(pid)
    results = await asyncio.gather(*(_chat(ws, i, args) for i, ws in enumerate(active)))
    cpu_used = _cpu_seconds(pid) - cpu_before
    gc.enable()
    exchanged = sum(r["sent"] for r in results)
    rss_end = _rss_mib(pid)
    held = sum(1 for ws in idle if ws.state.name == "OPEN")
    stop.set()
    await asyncio.gather(*beating, return_exceptions=True)
    acks = [x for r in results for x in r["ack_ms"]]
    answers = [x for r in results for x in r["answer_ms"]]
    errors = sum(r["errors"] for r in results)
    await asyncio.gather(*(ws.close() for ws in idle + active), return_exceptions=True)
    return {
        "idle": {
            "widgets_requested": args.idle,
            "widgets_connected": len(idle),
            "widgets_still_open_at_end": held,
            "connect_and_hello_s": round(connect_s, 1),
            "heartbeat_s": HEARTBEAT_S,
            "server_rss_mib_before": rss_before,
            "server_rss_mib_with_idle_widgets": rss_idle,
            "server_rss_mib_at_end": rss_end,
        },
        "active": {
            "widgets": len(active),
            "interval_s": args.interval,
            "warmup_s": args.warmup,
            "seconds": args.seconds,
            "distinct_texts": args.distinct,
            "messages_measured": len(acks) + errors,
            "messages_per_s": round((len(acks) + errors) / args.seconds, 1),
            "errors": errors,
            # The server's CPU time (user + system) over the whole active phase (warm-up
            # included), per message sent in it: what one message costs, whatever the load.
            "server_cpu_ms_per_message": round(1000 * cpu_used / max(exchanged, 1), 3),
            "ack_ms": _percentiles(acks),
            "bot_answer_ms": _percentiles(answers),
        },
        "target": "p99 < 50 ms at 500 messages/s; 10,000 idle widgets < 1.5 GiB (issue #5)",
    }


async def _open_all(url: str, count: int, first: int) -> list[Any]:
    limit = asyncio.Semaphore(100)

    async def one(i: int) -> Any:
        async with limit:
            ws = await websockets.connect(url, max_size=2**20, open_timeout=60, ping_interval=None)
            await ws.send(json.dumps({"type": "hello", "lang": "zh-Hans" if i % 2 else "en"}))
            while json.loads(await ws.recv())["type"] != "welcome":
                pass
            return ws

    return list(await asyncio.gather(*(one(first + i) for i in range(count))))


async def _heartbeat(ws: Any, stop: asyncio.Event) -> None:
    """What an open widget does while nobody types: a ping every 20 s, reading the pongs."""
    next_ping = time.monotonic() + random.uniform(0, HEARTBEAT_S)
    while not stop.is_set():
        try:
            await asyncio.wait_for(ws.recv(), max(0.0, next_ping - time.monotonic()))
        except TimeoutError:
            await ws.send(json.dumps({"type": "ping"}))
            next_ping += HEARTBEAT_S
        except websockets.ConnectionClosed:
            return


async def _chat(ws: Any, index: int, args: argparse.Namespace) -> dict[str, Any]:
    ack_ms: list[float] = []
    answer_ms: list[float] = []
    errors = sent = 0
    await asyncio.sleep(args.interval * index / max(args.active, 1))  # spread the starts
    start = time.perf_counter()
    measure_from, deadline = start + args.warmup, start + args.warmup + args.seconds
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        sent_at = time.perf_counter()
        counted = sent_at >= measure_from
        text = QUESTIONS[(index * 7 + n) % len(QUESTIONS)]
        if args.distinct:
            text = f"{text} #{index}-{n}"
        await ws.send(json.dumps({"type": "message", "client_id": f"b{index}-{n}", "text": text}))
        sent += 1
        acked = answered = False
        while not (acked and answered):
            event = json.loads(await asyncio.wait_for(ws.recv(), 30))
            elapsed = (time.perf_counter() - sent_at) * 1000
            if event["type"] == "ack":
                acked = True
                if counted:
                    ack_ms.append(elapsed)
            elif event["type"] == "message" and event["author"] == "bot":
                answered = True
                if counted:
                    answer_ms.append(elapsed)
            elif event["type"] == "error":
                errors += counted
                break
        await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - sent_at)))
    return {"ack_ms": ack_ms, "answer_ms": answer_ms, "errors": errors, "sent": sent}


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


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


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
