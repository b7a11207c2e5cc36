"""The `kefu` command: serve, demo, migrate, worker, smtpd, imap-poll, agent, token, config,
shield, email, audit, customer."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kefu.settings import Settings, SettingsError, configuration_problems, load_settings

Command = Callable[[argparse.Namespace], int]
DEFAULT_WORKERS = max(1, min(2, os.cpu_count() or 1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiosmtpd logs every SMTP command at INFO; kefu logs what it does with the mail.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    _install_log_filter()
    command: Command = args.command
    try:
        return command(args)
    except SettingsError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2


def _serving_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"web processes (default {DEFAULT_WORKERS}: one per core, at most two)",
    )
    command.add_argument("--access-log", action="store_true", help="log every request")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the web app (and worker, unless disabled)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    _serving_options(serve)
    serve.set_defaults(command=cmd_serve)

    demo = sub.add_parser("demo", help="migrate, seed demo data, print logins, and serve")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    _serving_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="set up and print, do not serve")
    demo.set_defaults(command=cmd_demo)

    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        command=cmd_migrate
    )
    worker = sub.add_parser("worker", help="run the durable-job worker alone")
    worker.add_argument("--once", action="store_true", help="run every due job, then exit")
    worker.set_defaults(command=cmd_worker)

    agent = sub.add_parser("agent", help="manage agents").add_subparsers(required=True)
    create = agent.add_parser("create", help="create an agent and print the TOTP secret")
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--role", default="agent", choices=["agent", "lead", "admin", "security"])
    create.add_argument("--team", default=None)
    create.add_argument("--password", required=True)
    create.set_defaults(command=cmd_agent_create)
    totp = agent.add_parser("totp", help="print an agent's current TOTP code (demo only)")
    totp.add_argument("email")
    totp.set_defaults(command=cmd_agent_totp)

    token = sub.add_parser("token", help="API tokens").add_subparsers(required=True)
    token_create = token.add_parser("create", help="create an integration API token")
    token_create.add_argument("name")
    token_create.add_argument("--scope", action="append", default=[], dest="scopes")
    token_create.set_defaults(command=cmd_token_create)

    config = sub.add_parser("config", help="configuration").add_subparsers(required=True)
    config.add_parser("check", help="explain what is wrong, one line per problem").set_defaults(
        command=cmd_config_check
    )

    shield = sub.add_parser("shield", help="redact secrets from stdin, print JSON")
    shield.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    shield.set_defaults(command=cmd_shield)

    smtpd = sub.add_parser("smtpd", help="run the SMTP listener for the support mailboxes")
    smtpd.add_argument("--listen", default=None, help="host:port (default KEFU_SMTPD_LISTEN)")
    smtpd.set_defaults(command=cmd_smtpd)
    imap = sub.add_parser("imap-poll", help="poll the IMAP folders in KEFU_IMAP_URLS")
    imap.add_argument("--once", action="store_true", help="fetch what is waiting and exit")
    imap.set_defaults(command=cmd_imap_poll)

    bot = sub.add_parser("bot", help="the chat bot").add_subparsers(required=True)
    ask = bot.add_parser("ask", help="print how the bot reads TEXT, as JSON")
    ask.add_argument("text")
    ask.add_argument("--lang", default=None, choices=["zh-Hans", "en"])
    ask.add_argument("--category", default=None)
    ask.set_defaults(command=cmd_bot_ask)

    email = sub.add_parser("email", help="email tools").add_subparsers(required=True)
    parse = email.add_parser("parse", help="print the normalised parse of an .eml file as JSON")
    parse.add_argument("file", type=Path)
    parse.set_defaults(command=cmd_email_parse)
    ingest = email.add_parser(
        "ingest", help="store .eml files and Maildirs (DIRs recursively) as received mail"
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR")
    ingest.add_argument(
        "--no-reply",
        action="store_true",
        help="a migration: send no confirmations; every message is tagged 'imported'",
    )
    ingest.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="reading processes (0: read in this one; default: one per core, at most 2)",
    )
    ingest.add_argument("--batch", type=int, default=200, help="emails per write transaction")
    ingest.set_defaults(command=cmd_email_ingest)

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(required=True)
    audit.add_parser(
        "verify", help="check the audit trail's hash chain; exit 1 at the first broken entry"
    ).set_defaults(command=cmd_audit_verify)

    customer = sub.add_parser("customer", help="personal-data requests").add_subparsers(
        required=True
    )
    export = customer.add_parser("export", help="print everything kept about a customer (JSON)")
    export.add_argument("who", metavar="UID|EMAIL")
    export.set_defaults(command=cmd_customer_export)
    erase = customer.add_parser("erase", help="erase a customer's content; keeps the audit log")
    erase.add_argument("who", metavar="UID|EMAIL")
    erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
    erase.set_defaults(command=cmd_customer_erase)

    from kefu.kb.cli import add_kb_commands

    add_kb_commands(sub)
    return parser


def cmd_serve(args: argparse.Namespace) -> int:
    from kefu.channels.email.service import email_channel_for

    settings = _checked_settings()
    _migrate(settings)
    with email_channel_for(settings):  # SMTP listener / IMAP pollers, when configured
        _serve(settings, args)
    return 0


# Chat frames are a few hundred bytes of JSON: per-message deflate saves little bandwidth
# and costs CPU on every frame and a compressor's memory on every open widget. Protocol
# pings are off too: the widget sends its own heartbeat every 20 s and a connection silent
# for 65 s is closed (docs/chat-protocol.md); a second ping per socket would only add work.
# A frame is at most a few kilobytes (2,000 characters of text; images go by HTTP upload):
# one over 1 MiB closes the socket (1009) rather than being buffered (the default, 16 MiB).
WEBSOCKET_OPTIONS: dict[str, Any] = {
    "ws_per_message_deflate": False,
    "ws_ping_interval": None,
    "ws_max_size": 1024 * 1024,
}


def _serve(settings: Settings, args: argparse.Namespace, **environment: str) -> None:
    """Serve the app as `kefu serve` and `kefu demo` both do. Several workers are several
    processes on one database; `environment` (KEFU_* settings) reaches each of them."""
    import uvicorn

    if args.workers <= 1:
        from kefu.web.app import create_app
        from kefu.web.runtime import tune_for_serving

        app = create_app(settings)
        tune_for_serving()
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="info",
            access_log=args.access_log,
            **WEBSOCKET_OPTIONS,
        )
        return
    os.environ.update(environment)
    if not settings.redis_url:
        os.environ["KEFU_LIVE_PEERS"] = "true"  # live events between the processes
    uvicorn.run(
        "kefu.web.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=args.access_log,
        **WEBSOCKET_OPTIONS,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    settings = load_settings(environment="demo", dev_mail_sink=True)
    _migrate(settings)
    from kefu.auth.customer_tokens import sign_identity_token
    from kefu.auth.totp import current_code
    from kefu.demo.seed import DEMO_AGENTS, seed_demo
    from kefu.services import build_services
    from kefu.store.models import Agent

    services = build_services(settings)
    seed_demo(services)
    base = f"http://{args.host}:{args.port}"
    print("\n=== kefu demo ===")
    print(f"Customer portal : {base}/")
    print(f"Agent inbox     : {base}/agent")
    print(f"API docs        : {base}/api/docs   (OpenAPI: {base}/api/v1/openapi.json)")
    print(f"Dev mailbox     : {base}/dev/mailbox")
    print(f"Help center     : {base}/help      Verifier: {base}/verify")
    print(f"Chat widget demo: {base}/demo/exchange   Agent chat console: {base}/agent/chat")
    print(f"Demo exchange   : {base}/demo-exchange/")
    print(
        "\nDemo agents (password, TOTP secret, current code; `kefu agent totp EMAIL` for another):"
    )
    with services.db.read() as session:
        for demo in DEMO_AGENTS:
            agent = session.scalars(select(Agent).where(Agent.email == demo.email)).one()
            print(
                f"  {demo.email:32} {demo.role:9} password={demo.password}  "
                f"totp_secret={agent.totp_secret}  code={current_code(agent.totp_secret)}"
            )
    token = sign_identity_token(
        settings.resolved_identity_secret(), "10000001", "wang@example.com", "王小明", 7 * 24 * 3600
    )
    print("\nDemo customer identity token (uid 10000001, valid 7 days):")
    print(f"  TOKEN={token}")
    print(f'  curl -s {base}/api/v1/tickets -H "Authorization: Bearer $TOKEN"')
    print(f"  Portal sign-in as this customer: {base}/portal/sso?token=$TOKEN\n")
    sys.stdout.flush()
    if args.no_serve:
        return 0
    _serve_demo(settings, args)
    return 0


def _serve_demo(settings: Settings, args: argparse.Namespace) -> None:
    """The dev mailbox's SMTP sink runs once, here; the web processes read its folder."""
    from kefu.channels.email.sink import start_mail_sink
    from kefu.web.app import smtp_port

    sink = start_mail_sink(settings.dev_mailbox_dir, port=smtp_port(settings.smtp_url))
    try:
        _serve(
            settings.model_copy(update={"dev_mail_sink": False}),
            args,
            KEFU_ENVIRONMENT="demo",
            KEFU_DEV_MAIL_SINK="false",
        )
    finally:
        sink.stop()


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate(_checked_settings())
    print("database is up to date")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from kefu.jobs.handlers import HANDLERS
    from kefu.jobs.worker import Worker
    from kefu.services import build_services

    worker = Worker(build_services(_checked_settings()), HANDLERS)
    if args.once:
        total = 0
        while (ran := worker.run_once()) and total < 100_000:
            total += ran
        print(f"ran {total} jobs")
        return 0
    stop = threading.Event()
    try:
        worker.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def cmd_agent_create(args: argparse.Namespace) -> int:
    from kefu.auth.agents import create_agent
    from kefu.auth.totp import provisioning_uri
    from kefu.services import build_services

    services = build_services(_checked_settings())
    with services.db.write() as session:
        agent = create_agent(session, args.email, args.name, args.password, args.role, args.team)
        secret, email = agent.totp_secret, agent.email
    print(f"created agent {email}")
    print(f"TOTP secret: {secret}")
    print(f"Authenticator URI: {provisioning_uri(secret, email)}")
    return 0


def cmd_agent_totp(args: argparse.Namespace) -> int:
    from kefu.auth.totp import current_code
    from kefu.services import build_services
    from kefu.store.models import Agent

    settings = _checked_settings()
    if not settings.is_demo:
        print("kefu agent totp works on demo deployments only", file=sys.stderr)
        return 2
    services = build_services(settings)
    with services.db.read() as session:
        agent = session.scalars(select(Agent).where(Agent.email == args.email.lower())).first()
    if agent is None:
        print(f"no agent {args.email}", file=sys.stderr)
        return 1
    print(current_code(agent.totp_secret))
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from kefu.auth.agents import create_api_token
    from kefu.services import build_services

    services = build_services(_checked_settings())
    with services.db.write() as session:
        token = create_api_token(session, args.name, args.scopes or ["tickets:read"])
    print(token)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from kefu.audit import verify_chain
    from kefu.services import build_services

    services = build_services(_checked_settings())
    try:
        with services.db.engine.connect() as connection:
            report = verify_chain(connection)
    finally:
        services.db.close()
    if report.ok:
        print(f"OK: {report.checked} events, chain head {report.head}")
        return 0
    print(
        f"BROKEN at event #{report.broken_id} ({report.problem}): the {report.checked} "
        f"events before it verify; this one or one before it was edited or removed",
        file=sys.stderr,
    )
    return 1


def cmd_customer_export(args: argparse.Namespace) -> int:
    from kefu.audit import Actor, record_event
    from kefu.customers.privacy import export_customer, find_customer
    from kefu.errors import NotFound
    from kefu.i18n import t
    from kefu.services import build_services

    settings = _checked_settings()
    services = build_services(settings)
    try:
        with services.db.write() as session:
            customer = find_customer(session, args.who)
            data = export_customer(session, customer)
            record_event(session, "customer.exported", Actor.system(), customer_id=customer.id)
    except NotFound as exc:
        print(t(exc.message_key, settings.default_language, **exc.params), file=sys.stderr)
        return 1
    finally:
        services.db.close()
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def cmd_customer_erase(args: argparse.Namespace) -> int:
    from kefu.customers.privacy import erase_customer, find_customer
    from kefu.errors import NotFound
    from kefu.i18n import t
    from kefu.services import build_services

    settings = _checked_settings()
    lang = settings.default_language
    if not args.yes:
        print(t("hardening.erase_needs_yes", lang), file=sys.stderr)
        return 2
    services = build_services(settings)
    try:
        with services.db.write() as session:
            erased = erase_customer(session, services.files, find_customer(session, args.who))
    except NotFound as exc:
        print(t(exc.message_key, lang, **exc.params), file=sys.stderr)
        return 1
    finally:
        services.db.close()
    print(t("hardening.erased", lang, **vars(erased)))
    return 0


def cmd_config_check(args: argparse.Namespace) -> int:
    problems = configuration_problems(load_settings())
    for line in problems:
        print(line)
    if not problems:
        print("configuration OK")
    return 1 if problems else 0


def cmd_shield(args: argparse.Namespace) -> int:
    from kefu.shield.cli import run_shield_cli

    result: int = run_shield_cli(sys.stdin, sys.stdout, jsonl=args.jsonl)
    return result


def cmd_bot_ask(args: argparse.Namespace) -> int:
    from kefu.bot import answer_or_handoff
    from kefu.services import build_services

    services = build_services(_checked_settings())
    try:
        decision = answer_or_handoff(services, args.text, args.lang, args.category)
    finally:
        services.db.close()
    print(json.dumps(decision.as_json(), ensure_ascii=False, indent=2))
    return 0


def cmd_email_parse(args: argparse.Namespace) -> int:
    from kefu.channels.email.parse import parse_email

    parsed = parse_email(args.file.read_bytes())
    print(json.dumps(parsed.to_json_dict(), ensure_ascii=False, indent=2))
    return 0


def cmd_email_ingest(args: argparse.Namespace) -> int:
    from kefu.channels.email.service import ingest_email_files

    # One INFO line per stored message would be thousands; the summary says it all.
    logging.getLogger("kefu.ingest.pipeline").setLevel(logging.WARNING)
    summary = ingest_email_files(
        _checked_settings(), args.paths, answer=not args.no_reply, jobs=args.jobs, batch=args.batch
    )
    for path, reason in summary.failed:
        print(f"failed: {path} ({reason})", file=sys.stderr)
    print(json.dumps(summary.as_json()))
    return 1 if summary.failed else 0


def cmd_smtpd(args: argparse.Namespace) -> int:
    from kefu.channels.email.service import serve_smtpd

    return serve_smtpd(_checked_settings(), args.listen)


def cmd_imap_poll(args: argparse.Namespace) -> int:
    from kefu.channels.email.service import serve_imap

    return serve_imap(_checked_settings(), once=args.once)


def _checked_settings() -> Settings:
    settings = load_settings()
    problems = configuration_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def _migrate(settings: Settings) -> None:
    from kefu.demo.seed import ensure_teams
    from kefu.kb.signals import ensure_signal_pruning
    from kefu.services import build_services
    from kefu.store.migrate import migrate
    from kefu.work.automations import ensure_default_automations
    from kefu.work.policies import ensure_default_sla_policies

    services = build_services(settings)
    migrate(services.db)
    ensure_teams(services)
    ensure_default_sla_policies(services)
    ensure_default_automations(services)
    ensure_signal_pruning(services)
    services.db.engine.dispose()


def _install_log_filter() -> None:
    from kefu.shield.log_filter import install_log_filter

    install_log_filter()


if __name__ == "__main__":
    raise SystemExit(main())
