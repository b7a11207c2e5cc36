"""Seed a fictional exchange: five teams, three agents, a dozen customers and their tickets.

Idempotent: running it again on a seeded database changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kefu.auth.agents import create_agent
from kefu.ingest.inbound import Channel, Inbound, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.kb.folder import seed_articles
from kefu.services import Services
from kefu.store.models import Agent, Team

TEAMS = (
    ("support", "客服一线", "Frontline support"),
    ("security", "安全团队", "Security team"),
    ("business", "商务团队", "Business team"),
    ("listing", "上币团队", "Listing team"),
    ("api", "API 技术支持", "API support"),
)


@dataclass(frozen=True)
class DemoAgent:
    email: str
    name: str
    role: str
    team: str
    password: str


DEMO_AGENTS = (
    DemoAgent("alice@demo-exchange.example", "Alice 李", "agent", "support", "alice-demo-pass"),
    DemoAgent("bob@demo-exchange.example", "Bob 王", "lead", "support", "bob-demo-pass1"),
    DemoAgent(
        "charlie@demo-exchange.example", "Charlie 陈", "security", "security", "charlie-demo-pass"
    ),
)

# (uid, name, email, language, category, subject, description)
DEMO_TICKETS = (
    (
        "10000001",
        "王小明",
        "wang@example.com",
        "zh-Hans",
        "deposit_withdrawal",
        "USDT 充值未到账",
        "我在 2 小时前从另一个平台提了 500 USDT（TRC20）到我的充值地址，TxID: 7c1f0a9e3b2d4c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f，但是账户里还没有到账。",
    ),
    (
        "10000002",
        "李娜",
        "lina@example.com",
        "zh-Hans",
        "account",
        "实名认证一直审核中",
        "我三天前提交了 KYC 二级认证，到现在还显示审核中，请帮忙看看。",
    ),
    (
        "10000003",
        "张伟",
        "zhangwei@example.com",
        "zh-Hans",
        "security",
        "[紧急] 账户被盗，资产被转走",
        "我的账户刚刚有一笔我不认识的提币，不是我本人操作的！请立即冻结我的账户！",
    ),
    (
        "10000004",
        "Emily Carter",
        "emily@example.com",
        "en",
        "trading",
        "Limit order not filled",
        "My limit buy order for BTC/USDT at 61,250 was not filled even though the price touched it. Order id 882771234.",
    ),
    (
        "10000005",
        "James Lee",
        "james@example.com",
        "en",
        "api",
        "Signature for this request is not valid",
        "I keep getting error -1022 when placing orders through the REST API. My server time is synced.",
    ),
    (
        "10000006",
        "刘洋",
        "liuyang@example.com",
        "zh-Hans",
        "futures",
        "合约被强平，强平价格不对",
        "我的 BTCUSDT 永续合约仓位被强平了，但是我看到的标记价格并没有到强平价，想申请核查。",
    ),
    (
        "10000007",
        "Sophia Nguyen",
        "sophia@example.com",
        "en",
        "earn_loans",
        "Flexible savings interest missing",
        "I subscribed 1,000 USDT to flexible savings on Monday and have not received any interest yet.",
    ),
    (
        "10000008",
        "陈静",
        "chenjing@example.com",
        "zh-Hans",
        "listing_business",
        "项目上币申请咨询",
        "我们是一个 DeFi 项目，想申请在贵平台上币，请问需要准备哪些材料？",
    ),
    (
        "10000009",
        "Oliver Smith",
        "oliver@example.com",
        "en",
        "getting_started",
        "How do I buy my first crypto?",
        "I just created an account. What's the easiest way to buy USDT with a card?",
    ),
    (
        "10000010",
        "赵磊",
        "zhaolei@example.com",
        "zh-Hans",
        "deposit_withdrawal",
        "提币一直在审核中",
        "我提了 2 个 ETH 到我的钱包，已经 6 个小时了还显示审核中。",
    ),
    (
        "10000011",
        "Mia Johnson",
        "mia@example.com",
        "en",
        "security",
        "Lost my phone with Google Authenticator",
        "My phone was stolen and I cannot log in because I no longer have my 2FA codes. How do I reset it?",
    ),
    (
        "10000012",
        "周婷",
        "zhouting@example.com",
        "zh-Hans",
        "deposit_withdrawal",
        "充值忘记填写 Memo",
        "我充值 XRP 的时候忘记填写标签（Memo）了，资金还能找回吗？",
    ),
)


def seed_demo(services: Services) -> list[DemoAgent]:
    """Create the demo data unless it is there; return the demo agents (for printing)."""
    with services.db.write() as session:
        if session.scalar(select(Team.id).limit(1)) is None:
            session.add_all(Team(slug=s, name_zh=zh, name_en=en) for s, zh, en in TEAMS)
            session.flush()
        if session.scalar(select(Agent.id).limit(1)) is None:
            for demo in DEMO_AGENTS:
                agent = create_agent(
                    session, demo.email, demo.name, demo.password, demo.role, demo.team
                )
                agent.totp_confirmed = True  # demo agents are enrolled; their secrets are printed
            _seed_tickets_needed = True
        else:
            _seed_tickets_needed = False
    if _seed_tickets_needed:
        for uid, name, email, lang, category, subject, description in DEMO_TICKETS:
            ingest(
                services,
                Inbound(
                    channel=Channel.WEB,
                    sender=Sender(Trust.VERIFIED, uid=uid, email=email, name=name, language=lang),
                    subject=subject,
                    body_text=description,
                    category=category,
                    external_id=f"demo-seed:{uid}",
                ),
            )
        _seed_emails(services)
        _seed_other_channels(services)
        _seed_macros(services)
    seed_articles(services)
    return list(DEMO_AGENTS)


# Real raw messages through the real email receiver: one GBK-encoded Chinese mail to
# support@ and one to security@, so the demo inbox shows the email channel at work.
DEMO_EMAILS = (
    (
        "support@demo-exchange.example",
        "From: =?gbk?b?1cXA2g==?= <zhanglei@example.com>\r\n"
        "To: support@demo-exchange.example\r\n"
        "Subject: =?gbk?b?zOGx0tK71rHU2snzusvW0A==?=\r\n"
        "Message-ID: <demo-email-1@example.com>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=gbk\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n",
        "我昨天提了 0.5 BTC，到现在还显示审核中，订单号 990011223，请帮忙看看。",
    ),
    (
        "security@demo-exchange.example",
        "From: Mia Johnson <mia@example.com>\r\n"
        "To: security@demo-exchange.example\r\n"
        "Subject: Suspicious login from a new device\r\n"
        "Message-ID: <demo-email-2@example.com>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n",
        "I received a login alert from a device I do not recognise. Please check my account.",
    ),
)

DEMO_MACROS = (
    (
        "ask-for-txid",
        "{customer_name}您好，为尽快核查工单 {ticket_number}，请提供充值/提现的 TxID、币种和网络，以及相关截图。",
        "Hello {customer_name}, to check ticket {ticket_number} quickly, please send the TxID, "
        "coin and network of the transfer, with a screenshot.",
        "pending",
    ),
    (
        "never-share-secrets",
        "{customer_name}您好，温馨提示：我们绝不会索要您的密码、验证码、助记词或私钥，请勿向任何人透露。",
        "Hello {customer_name}, a reminder: we will never ask for your password, codes, seed "
        "phrase or private key. Never share them with anyone.",
        "",
    ),
)


def _seed_emails(services: Services) -> None:
    import base64

    from kefu.channels.email.authenticity import zone_resolver
    from kefu.channels.email.receive import EmailReceiver

    receiver = EmailReceiver(services, zone_resolver({}))  # no DNS look-ups in the demo
    for recipient, headers, body in DEMO_EMAILS:
        charset = "gbk" if "charset=gbk" in headers else "utf-8"
        raw = headers.encode("ascii") + base64.encodebytes(body.encode(charset))
        receiver.receive(raw, [recipient])


# One ticket from each remaining channel, so the inbox shows them all.
DEMO_CHANNEL_TICKETS = (
    (
        Channel.API,
        "10000005",
        "James Lee",
        "james@example.com",
        "en",
        "api",
        "Order endpoint returns -1021",
        "Timestamp for this request is outside of the recvWindow.",
    ),
    (
        Channel.CHAT,
        "10000002",
        "李娜",
        "lina@example.com",
        "zh-Hans",
        "account",
        "",
        "人工客服，我的账户登录不了，提示需要重新验证身份",
    ),
)


def _seed_other_channels(services: Services) -> None:
    for channel, uid, name, email, lang, category, subject, text in DEMO_CHANNEL_TICKETS:
        ingest(
            services,
            Inbound(
                channel=channel,
                sender=Sender(Trust.VERIFIED, uid=uid, email=email, name=name, language=lang),
                subject=subject,
                body_text=text,
                category=category,
                external_id=f"demo-seed:{channel.value}:{uid}",
            ),
        )


def _seed_macros(services: Services) -> None:
    from kefu.store.models import Macro

    with services.db.write() as session:
        for name, body_zh, body_en, status in DEMO_MACROS:
            actions = {"status": status} if status else {}
            session.add(Macro(name=name, body_zh=body_zh, body_en=body_en, actions=actions))


def ensure_teams(services: Services) -> None:
    """Teams are reference data every deployment needs (tickets are routed to them)."""
    with services.db.write() as session:
        existing = set(session.scalars(select(Team.slug)))
        session.add_all(
            Team(slug=s, name_zh=zh, name_en=en) for s, zh, en in TEAMS if s not in existing
        )
