"""Email ingest, emails per second on SQLite: from a directory, and over SMTP.

Directory (issue #6's benchmark): 5,000 .eml files through `kefu email ingest`'s code
(`BulkIngest`: reading in worker processes, batches of messages per write transaction),
timed from the first file read to the last commit, in this process; peak RSS of this
process and of the largest worker.

SMTP: the listener (`kefu.channels.email.smtpd`, with the full pipeline behind it) runs in
this process; the senders are separate processes using Python's smtplib, one SMTP session
each. Every 250 means the message was committed.

The mix for both: plain Chinese text, HTML, GBK-encoded mail, replies threading into
earlier tickets, and 40 KB attachments.

    .venv/bin/python -m bench.email_bench            # writes bench/results/email.json
    KEFU_BENCH_EMAILS=500 KEFU_BENCH_DIR_EMAILS=1000 .venv/bin/python -m bench.email_bench
"""

from __future__ import annotations

import json
import os
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kefu.services import Services

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DOMAIN = "demo-exchange.example"
EMAILS = int(os.environ.get("KEFU_BENCH_EMAILS", "2000"))
DIR_EMAILS = int(os.environ.get("KEFU_BENCH_DIR_EMAILS", "5000"))
CONNECTIONS = (1, 4)
JOBS = (0, 2)  # reading processes for the directory ingest (0: this one reads too)
KINDS = ("plain", "html", "gbk", "reply", "attachment")


def mixed_email(index: int) -> bytes:
    """One email of the mix; a reply answers the plain email three before it."""
    kind = KINDS[index % len(KINDS)]
    replying = kind == "reply" and index >= 3
    message = EmailMessage()
    message["From"] = f"Customer <{sender(index)}>"
    message["To"] = f"support@{DOMAIN}"
    message["Message-ID"] = f"<bench-{index}@example.com>"
    message["Subject"] = (
        f"Re: 充值未到账 USDT #{index - 3}" if replying else f"充值未到账 USDT #{index}"
    )
    body = f"您好，我在 {index} 分钟前充值了 500 USDT（TRC20），还没有到账，请帮忙查询。\n谢谢"
    if kind == "html":
        message.set_content(body)
        message.add_alternative(f"<p>{body}</p><p><b>TxID</b>: 7c1f0a9e{index}</p>", "html")
    elif kind == "gbk":
        message.set_content(body, charset="gbk")
    elif replying:
        message["In-Reply-To"] = f"<bench-{index - 3}@example.com>"
        message["References"] = f"<bench-{index - 3}@example.com>"
        quoted = "\n".join(f"> {line}" for line in body.splitlines())
        message.set_content(f"补充：TxID 已附上。\n\n在 2025年3月1日，客服 写道：\n{quoted}\n")
    else:
        message.set_content(body)
    if kind == "attachment":
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 160
        message.add_attachment(png, maintype="image", subtype="png", filename="截图.png")
    return message.as_bytes(policy=SMTP)


def sender(index: int) -> str:
    """400 customers; a reply comes from whoever wrote the email it answers."""
    original = index - 3 if KINDS[index % len(KINDS)] == "reply" and index >= 3 else index
    return f"customer{original % 400}@example.com"


def client(port: int, start: int, stop: int) -> None:
    """A sending MTA: one SMTP session, emails [start, stop) built before the clock matters."""
    emails = [(sender(i), mixed_email(i)) for i in range(start, stop)]
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for address, raw in emails:
            smtp.sendmail(address, [f"support@{DOMAIN}"], raw)


def fresh_services() -> Services:
    from kefu.demo.seed import ensure_teams
    from kefu.services import build_services
    from kefu.settings import Settings
    from kefu.store.migrate import migrate

    var_dir = Path(tempfile.mkdtemp(prefix="kefu-email-bench-"))
    settings = Settings(
        var_dir=var_dir,
        mail_from=f"Support <support@{DOMAIN}>",
        smtp_url="smtp://127.0.0.1:1",
        secret_key="bench-secret-key-0123456789abcdefghijklmnop",
    )
    services = build_services(settings)
    migrate(services.db)
    ensure_teams(services)
    return services


def counts(services: Services) -> tuple[int, int]:
    """(messages, tickets) stored."""
    from sqlalchemy import func, select

    from kefu.store.models import Message, Ticket

    with services.db.read() as session:
        stored = session.scalar(select(func.count(Message.id))) or 0
        tickets = session.scalar(select(func.count(Ticket.id))) or 0
    return stored, tickets


def run_directory(jobs: int) -> dict[str, object]:
    """`kefu email ingest DIR` on DIR_EMAILS files, as its code runs it (in this process)."""
    from kefu.channels.email.authenticity import zone_resolver
    from kefu.channels.email.bulk import BulkIngest
    from kefu.channels.email.receive import EmailReceiver

    directory = Path(tempfile.mkdtemp(prefix="kefu-email-dir-"))
    for index in range(DIR_EMAILS):
        (directory / f"{index:06d}.eml").write_bytes(mixed_email(index))
    services = fresh_services()
    # Unsigned mail needs no DNS; an empty zone keeps the run off the network.
    bulk = BulkIngest(EmailReceiver(services, zone_resolver({})), jobs=jobs)
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF)
    began = time.perf_counter()
    summary = bulk.run([directory])
    seconds = time.perf_counter() - began
    writer_cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu_before
    readers_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN)  # the pool's, once it has exited
    stored, tickets = counts(services)
    services.db.close()
    return {
        "source": "directory",
        "database": "sqlite",
        "jobs": jobs,
        "emails": DIR_EMAILS,
        **summary.as_json(),
        "stored_messages": stored,
        "tickets": tickets,
        "seconds": round(seconds, 2),
        "emails_per_s": round(DIR_EMAILS / seconds, 1),
        # CPU time, which another load on the machine barely changes: the writer's is the
        # serial part; with two free cores the rate is bounded by
        # emails / max(writer, (writer + readers) / 2).
        "writer_cpu_s": round(writer_cpu, 2),
        "readers_cpu_s": round(readers_cpu, 2),
        "emails_per_s_bound_two_free_cores": round(
            DIR_EMAILS / max(writer_cpu, (writer_cpu + readers_cpu) / 2), 1
        ),
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
        "peak_worker_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN),
    }


def run(connections: int) -> dict[str, object]:
    from kefu.channels.email.authenticity import zone_resolver
    from kefu.channels.email.receive import EmailReceiver
    from kefu.channels.email.smtpd import start_smtpd

    services = fresh_services()
    # Unsigned mail needs no DNS; an empty zone keeps the run off the network.
    port = _free_port()
    controller = start_smtpd(EmailReceiver(services, zone_resolver({})), "127.0.0.1", port)
    shares = [
        (EMAILS * i // connections, EMAILS * (i + 1) // connections) for i in range(connections)
    ]
    began = time.perf_counter()
    senders = [
        subprocess.Popen([sys.executable, __file__, "--client", str(port), str(a), str(b)])
        for a, b in shares
    ]
    failed = sum(1 for p in senders if p.wait() != 0)
    seconds = time.perf_counter() - began
    controller.stop()
    stored, tickets = counts(services)
    services.db.close()
    return {
        "source": "smtp",
        "database": "sqlite",
        "connections": connections,
        "emails": EMAILS,
        "stored_messages": stored,
        "tickets": tickets,
        "failed_senders": failed,
        "seconds": round(seconds, 2),
        "emails_per_s": round(EMAILS / seconds, 1),
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
    }


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    # Each run in its own process: peak RSS is then the run's own. Their files and
    # databases go to one scratch folder, removed at the end.
    with tempfile.TemporaryDirectory(prefix="kefu-email-bench-") as scratch:
        directory = [_in_child("--directory", j, scratch) for j in JOBS]
        smtp = [_in_child("--smtp", c, scratch) for c in CONNECTIONS]
    results = {"mix": list(KINDS), "directory": directory, "smtp": smtp}
    (RESULTS / "email.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


def _in_child(flag: str, value: int, scratch: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.email_bench", flag, str(value)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT.parent,
        env={**os.environ, "TMPDIR": scratch},
    ).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--client":
        client(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        raise SystemExit(0)
    if len(sys.argv) == 3 and sys.argv[1] in ("--directory", "--smtp"):
        runner = run_directory if sys.argv[1] == "--directory" else run
        print(json.dumps(runner(int(sys.argv[2]))))
        raise SystemExit(0)
    raise SystemExit(main())
