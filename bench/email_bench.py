"""Email ingest through the SMTP listener: emails per second on SQLite.

The listener (`kefu.channels.email.smtpd`, with the full pipeline behind it) runs in this
process; the senders are separate processes using Python's smtplib, one SMTP session
each. Every 250 means the message was committed. The mix: plain Chinese text, HTML,
GBK-encoded mail, replies threading into earlier tickets, and 40 KB attachments.

    .venv/bin/python bench/email_bench.py            # writes bench/results/email.json
    KEFU_BENCH_EMAILS=500 .venv/bin/python bench/email_bench.py
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

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DOMAIN = "demo-exchange.example"
EMAILS = int(os.environ.get("KEFU_BENCH_EMAILS", "2000"))
CONNECTIONS = (1, 4)
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


def run(connections: int) -> dict[str, object]:
    from sqlalchemy import func, select

    from kefu.channels.email.authenticity import zone_resolver
    from kefu.channels.email.receive import EmailReceiver
    from kefu.channels.email.smtpd import start_smtpd
    from kefu.demo.seed import ensure_teams
    from kefu.services import build_services
    from kefu.settings import Settings
    from kefu.store.migrate import migrate
    from kefu.store.models import Message, Ticket

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
    with services.db.read() as session:
        stored = session.scalar(select(func.count(Message.id))) or 0
        tickets = session.scalar(select(func.count(Ticket.id))) or 0
    services.db.engine.dispose()
    return {
        "database": "sqlite",
        "connections": connections,
        "emails": EMAILS,
        "stored_messages": stored,
        "tickets": tickets,
        "failed_senders": failed,
        "seconds": round(seconds, 2),
        "emails_per_s": round(EMAILS / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    results = {"mix": list(KINDS), "runs": [run(c) for c in CONNECTIONS]}
    (RESULTS / "email.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--client":
        client(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        raise SystemExit(0)
    raise SystemExit(main())
