"""An email → the pipeline: mailboxes, threading, loop protection, verified senders."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from kefu.audit import Actor
from kefu.auth.agents import create_agent
from kefu.channels.email.mailboxes import load_mailboxes
from kefu.channels.email.receive import EmailReceiver, email_external_id
from kefu.jobs.handlers import HANDLERS
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.settings import SettingsError
from kefu.store.models import Event, Team, Ticket
from kefu.tickets.actions import add_agent_message, set_status
from tests.channels.email.email_kit import (
    DOMAIN,
    add_account,
    dkim_signed,
    job_kinds,
    local_zone,
    make_email,
    messages,
    tickets,
)
from tests.support import MailSink, plain_text


def team_of(services: Services, ticket: Ticket) -> str | None:
    with services.db.read() as session:
        return session.scalar(select(Team.slug).where(Team.id == ticket.team_id))


# --------------------------------------------------------------------------- mailboxes


def test_security_mail_goes_to_the_security_team_with_high_priority(
    receiver: EmailReceiver, email_services: Services
) -> None:
    receiver.receive(
        make_email("Please check a login from a new device.", subject="Question"),
        [f"security@{DOMAIN}"],
    )

    [ticket] = tickets(email_services)
    assert (team_of(email_services, ticket), ticket.priority) == ("security", "high")
    assert ticket.mailbox == f"security@{DOMAIN}"
    assert ticket.channel == "email"


def test_support_mail_is_routed_by_its_category_and_business_mail_by_its_mailbox(
    receiver: EmailReceiver, email_services: Services
) -> None:
    receiver.receive(make_email("My API signature is rejected", subject="API error"))
    receiver.receive(
        make_email("We would like to discuss a partnership.", subject="Hello"),
        [f"business@{DOMAIN}"],
    )

    first, second = tickets(email_services)
    assert team_of(email_services, first) == "api"
    assert (team_of(email_services, second), second.priority) == ("business", "normal")


def test_a_message_to_several_mailboxes_is_one_message_in_the_most_urgent_one(
    receiver: EmailReceiver, email_services: Services
) -> None:
    raw = make_email("hello", to=f"support@{DOMAIN}, security@{DOMAIN}")
    receiver.receive(raw, [f"support@{DOMAIN}", f"security@{DOMAIN}"])
    receiver.receive(raw, [f"security@{DOMAIN}"])

    [ticket] = tickets(email_services)
    assert ticket.mailbox == f"security@{DOMAIN}"
    assert len(messages(email_services)) == 1


def test_an_urgent_marker_in_the_subject_raises_priority(
    receiver: EmailReceiver, email_services: Services
) -> None:
    receiver.receive(make_email("请尽快处理", subject="【紧急】提现卡住"))
    assert tickets(email_services)[0].priority == "high"


def test_mailbox_settings_are_checked(email_services: Services) -> None:
    settings = email_services.settings
    boxes = load_mailboxes(settings)
    assert [b.address for b in boxes.boxes][:2] == [f"support@{DOMAIN}", f"security@{DOMAIN}"]
    assert boxes.find(f"Security@{DOMAIN.upper()}") is not None
    assert boxes.is_ours(f"support@{DOMAIN}") and not boxes.is_ours("wang@example.com")
    with pytest.raises(SettingsError, match="KEFU_EMAIL_MAILBOXES"):
        load_mailboxes(settings.model_copy(update={"email_mailboxes": ["vip=vip:sometimes"]}))


# --------------------------------------------------------------------------- content


def test_the_new_part_is_the_text_and_the_whole_mail_is_kept(
    receiver: EmailReceiver, email_services: Services
) -> None:
    body = (
        "The deposit arrived, thank you!\n\n"
        "On Mon, 3 Mar 2025 at 10:00, Support <support@demo-exchange.example> wrote:\n"
        "> Please send the TxID.\n"
    )
    receiver.receive(make_email(body, subject="Re: deposit"))

    [message] = messages(email_services)
    assert message.body_text == "The deposit arrived, thank you!"
    assert message.body_html is not None and "Please send the TxID." in message.body_html
    assert message.meta["email_from"] == "wang@example.com"


def test_the_same_message_id_twice_is_one_message(
    receiver: EmailReceiver, email_services: Services
) -> None:
    raw = make_email("hello", message_id="<same@example.com>")
    first = receiver.receive(raw)
    second = receiver.receive(raw)

    assert second.replayed and second.message_id == first.message_id
    assert len(messages(email_services)) == 1


def test_a_message_without_message_id_is_deduplicated_by_its_content(
    receiver: EmailReceiver, email_services: Services
) -> None:
    raw = (
        b"From: wang@example.com\r\nTo: support@demo-exchange.example\r\nSubject: hi\r\n\r\nhi\r\n"
    )
    receiver.receive(raw)
    receiver.receive(raw)
    assert len(messages(email_services)) == 1
    assert email_external_id(None, raw).endswith("@kefu.invalid>")
    assert email_external_id("x" * 400, raw) == email_external_id("x" * 400, b"other")


# --------------------------------------------------------------------------- threading


def agent_reply(services: Services, ticket_id: int, body: str = "Please send the TxID.") -> int:
    with services.db.write() as session:
        agent = create_agent(
            session, "alice@demo.example", "Alice", "alice-pass-123", "agent", None
        )
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return add_agent_message(session, ticket, Actor("agent", agent.id), body, internal=False).id


def first_message_id(services: Services) -> str | None:
    first: str | None = messages(services)[0].external_id
    return first


def test_a_reply_to_our_email_joins_the_ticket(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    first = receiver.receive(make_email("充值没到账"))
    agent_reply(email_services, first.ticket_id)
    Worker(email_services, HANDLERS).run_once()
    ours = next(m for m in mail_sink.messages() if "TxID" in plain_text(m))
    assert ours["In-Reply-To"] == first_message_id(email_services)

    reply = make_email(
        "TxID is abc123",
        subject="Re: something else entirely",
        in_reply_to=ours["Message-ID"],
        references=f"{ours['References']} {ours['Message-ID']}",
    )
    second = receiver.receive(reply)

    assert second.ticket_id == first.ticket_id and not second.created_ticket
    [agent_message] = messages(email_services, "agent")
    assert agent_message.external_id == ours["Message-ID"]


def test_a_ticket_number_in_the_subject_threads_only_the_senders_own_ticket(
    receiver: EmailReceiver, email_services: Services
) -> None:
    wang = receiver.receive(make_email("first", subject="Deposit missing"))
    again = receiver.receive(make_email("any news?", subject=f"Re: [{wang.ticket_number}] Deposit"))
    stranger = receiver.receive(
        make_email("hello", sender="mallory@evil.example", subject=f"[{wang.ticket_number}] hi")
    )

    assert again.ticket_id == wang.ticket_id
    assert stranger.created_ticket and stranger.ticket_id != wang.ticket_id


def test_a_reply_to_a_closed_ticket_opens_a_follow_up(
    receiver: EmailReceiver, email_services: Services
) -> None:
    first = receiver.receive(make_email("first", message_id="<first@example.com>"))
    with email_services.db.write() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None
        set_status(session, ticket, "closed", Actor.system())
    later = receiver.receive(make_email("it happened again", in_reply_to="<first@example.com>"))

    assert later.created_ticket and later.ticket_id != first.ticket_id
    assert "follow_up" in tickets(email_services)[-1].tags


def test_a_reply_to_a_closed_ticket_reopens_it_when_so_configured(
    email_services: Services,
) -> None:
    settings = email_services.settings.model_copy(update={"reply_to_closed_ticket": "reopen"})
    services = replace(email_services, settings=settings)
    receiver = EmailReceiver(services, local_zone())
    first = receiver.receive(make_email("first", message_id="<first@example.com>"))
    with services.db.write() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None
        set_status(session, ticket, "closed", Actor.system())
    later = receiver.receive(make_email("it happened again", in_reply_to="<first@example.com>"))

    assert later.ticket_id == first.ticket_id and not later.created_ticket
    [ticket] = tickets(services)
    assert ticket.status == "open"
    with services.db.read() as session:
        changes = session.scalars(
            select(Event.data).where(Event.kind == "ticket.status_changed").order_by(Event.id)
        ).all()
    assert changes[-1] == {"old": "closed", "new": "open"}


# --------------------------------------------------------------------------- loop protection


@pytest.mark.parametrize(
    ("headers", "sender", "tag"),
    [
        ({"Auto-Submitted": "auto-replied"}, "wang@example.com", "auto_reply"),
        ({"Precedence": "bulk"}, "wang@example.com", "auto_reply"),
        ({}, f"support@{DOMAIN}", "own_address"),
    ],
)
def test_machine_mail_is_stored_and_tagged_but_never_answered(
    receiver: EmailReceiver,
    email_services: Services,
    headers: dict[str, str],
    sender: str,
    tag: str,
) -> None:
    receiver.receive(make_email("I am out of office", sender=sender, headers=headers))

    [ticket] = tickets(email_services)
    [message] = messages(email_services)
    assert tag in ticket.tags and message.meta["tags"] == [tag]
    assert "email.ticket_confirmation" not in job_kinds(email_services)


def test_a_bounce_is_stored_and_never_answered(
    receiver: EmailReceiver, email_services: Services
) -> None:
    bounce = (
        b"Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@example.com>\r\n"
        b"To: support@demo-exchange.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <bounce1@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; x@example.com\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    receiver.receive(bounce)

    [ticket] = tickets(email_services)
    assert "bounce" in ticket.tags
    # Only the internal workflow (SLA clock, assignment): nothing is sent to anyone.
    assert job_kinds(email_services) == ["workflow.ticket_created"]


def test_a_sender_writing_too_often_is_no_longer_answered(
    receiver: EmailReceiver, email_services: Services
) -> None:
    for n in range(6):
        receiver.receive(make_email(f"message {n}", subject=f"Question number {n} about fees"))

    confirmations = job_kinds(email_services).count("email.ticket_confirmation")
    assert confirmations == 4  # the 5th and 6th within ten minutes are not answered
    assert "rate_limited" in messages(email_services)[-1].meta["tags"]
    assert len(messages(email_services)) == 6


def test_no_email_is_ever_sent_to_our_own_address(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    receipt = receiver.receive(make_email("loop?", sender=f"security@{DOMAIN}"))
    agent_reply(email_services, receipt.ticket_id)
    Worker(email_services, HANDLERS).run_once()
    assert mail_sink.messages() == []


# --------------------------------------------------------------------------- verified senders


def test_dkim_signed_mail_from_the_account_email_is_verified(
    receiver: EmailReceiver, email_services: Services
) -> None:
    account = add_account(email_services)
    receipt = receiver.receive(dkim_signed(make_email("please freeze my account")))

    [message] = messages(email_services)
    assert (message.trust, message.meta["dkim"]) == ("verified", "pass")
    assert receipt.customer_id == account


def test_dkim_signed_mail_from_an_address_that_is_no_account_is_only_claimed(
    receiver: EmailReceiver, email_services: Services
) -> None:
    receiver.receive(dkim_signed(make_email("hello")))
    [message] = messages(email_services)
    assert (message.trust, message.meta["dkim"]) == ("claimed", "pass")


def test_a_spoofed_sender_asking_to_change_the_account_email_is_not_verified(
    receiver: EmailReceiver, email_services: Services
) -> None:
    add_account(email_services)
    change = "Please change my account email to new@evil.example"
    unsigned = make_email(change)
    signed_by_attacker = dkim_signed(make_email(change, subject="again"), domain="evil.example")
    tampered = dkim_signed(make_email("harmless")).replace(b"harmless", b"change my email")
    for raw in (unsigned, signed_by_attacker, tampered):
        receiver.receive(raw)

    trusts = [(m.trust, m.meta["dkim"]) for m in messages(email_services)]
    assert trusts == [("claimed", "none"), ("claimed", "pass"), ("claimed", "fail")]


def test_authentication_results_count_only_from_our_own_mta(
    email_services: Services,
) -> None:
    from tests.channels.email.email_kit import local_zone

    add_account(email_services)
    trusting = email_services.settings.model_copy(
        update={"email_trusted_authserv_ids": ["mx.demo-exchange.example"]}
    )
    receiver = EmailReceiver(
        type(email_services)(
            trusting, email_services.db, email_services.files, email_services.live
        ),
        local_zone(),
    )
    ours = "mx.demo-exchange.example; dkim=pass header.d=example.com; spf=pass"
    forged = "mx.other.example; dkim=pass header.d=example.com"
    receiver.receive(make_email("one", headers={"Authentication-Results": ours}))
    receiver.receive(make_email("two", headers={"Authentication-Results": forged}))

    first, second = messages(email_services)
    assert (first.trust, first.meta["spf"]) == ("verified", "pass")
    assert (second.trust, second.meta["dkim"]) == ("claimed", "none")


def test_an_unverified_customer_record_never_makes_mail_verified(
    receiver: EmailReceiver, email_services: Services
) -> None:
    # A customer created by an earlier email (no exchange account) is not an account email.
    receiver.receive(make_email("first"))
    with email_services.db.write() as session:
        session.execute(update(Ticket).values(status="closed"))
    receiver.receive(dkim_signed(make_email("second")))
    assert [m.trust for m in messages(email_services)] == ["claimed", "claimed"]


def test_replies_come_from_the_mailbox_written_to_and_carry_the_anti_phishing_line(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    receipt = receiver.receive(
        make_email("account locked", subject="Login"), [f"security@{DOMAIN}"]
    )
    Worker(email_services, HANDLERS).run_once()
    agent_reply(email_services, receipt.ticket_id, "We unlocked it.")
    Worker(email_services, HANDLERS).run_once()

    confirmation, reply = mail_sink.messages()
    for mail in (confirmation, reply):
        assert f"security@{DOMAIN}" in mail["From"]
        assert "anti-phishing code" in plain_text(mail).splitlines()[0]  # the fixed place
        assert mail["In-Reply-To"] == first_message_id(email_services)
    assert receipt.ticket_number in reply["Subject"]
    assert reply["Message-ID"] == messages(email_services, "agent")[0].external_id
