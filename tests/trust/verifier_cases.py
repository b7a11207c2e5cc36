"""A labelled set of impersonation patterns seen against exchanges, mapped to the demo brand.

Sources of the patterns: the exchanges' own warnings (fake "support" Telegram accounts
with a digit or "Support"/"Help" added, look-alike domains such as gate-io-support.com,
g4te, subdomain and "@" tricks, free-mail senders, spoofed hotlines) collected in
/work/shared/reference/exchange-support-domain.md §2.1 and §2.5, plus the standard
typosquatting families (dnstwist: omission, insertion, transposition, homoglyph,
punycode, TLD swap, hyphenation). Each case: (text, kind hint, expected status).
"""

from __future__ import annotations

FAKE, OFFICIAL, NOT, UNKNOWN = "likely_impersonation", "official", "not_official", "unknown"


def _idna(host: str) -> str:
    return host.encode("idna").decode("ascii")


CASES: list[tuple[str, str | None, str]] = [
    # look-alike websites and domains
    ("https://demo-exchange-support.com", None, FAKE),
    ("demo-exchange-help.net", None, FAKE),
    ("https://support-demo-exchange.com/ticket", None, FAKE),
    ("https://demoexchange-login.com", None, FAKE),
    ("https://login.demo-exchange-verify.com", None, FAKE),
    ("dem0-exchange.example", None, FAKE),
    ("https://dem0-exchange.com", None, FAKE),
    ("https://demo-exchang3.example", None, FAKE),
    ("demo-exchnge.example", None, FAKE),
    ("demo-exchangee.example", None, FAKE),
    ("demoo-exchange.example", None, FAKE),
    ("https://deme-exchange.example", None, FAKE),
    ("https://demo-exchamge.example", None, FAKE),
    ("https://demo-exchange.example.evil.com", None, FAKE),
    ("https://demo-exchange.example.security-check.io/login", None, FAKE),
    ("https://www.demo-exchange.example.account-verify.net", None, FAKE),
    ("https://demo-exchange.example-login.com", None, FAKE),
    ("https://demo-exchange.com", None, FAKE),
    ("https://demo-exchange.io", None, FAKE),
    ("demo-exchange.net", None, FAKE),
    ("https://demo-exchange.support", None, FAKE),
    ("https://demoexchange.example", None, FAKE),
    ("https://demo.exchange.com", None, FAKE),
    ("https://dеmo-exchange.example", None, FAKE),  # Cyrillic е
    ("https://demо-exchange.example", None, FAKE),  # Cyrillic о
    ("https://demo-ехchange.example", None, FAKE),  # Cyrillic е and х
    ("https://demo-exchαnge.example", None, FAKE),  # Greek α
    ("https://démo-exchange.example", None, FAKE),  # accent
    ("https://" + _idna("dеmo-exchange.example"), None, FAKE),  # punycode of the Cyrillic one
    ("https://" + _idna("demо-exchange.com") + "/login", None, FAKE),
    ("https://demo-exchange.example@evil.com/login", None, FAKE),
    ("https://support.demo-exchange.example@phish.io", None, FAKE),
    ("https://demo-exchange-official.com", None, FAKE),
    ("https://demo-exchange-airdrop.com/claim", None, FAKE),
    ("https://claim-demo-exchange.org", None, FAKE),
    ("https://demo-exchange-kyc.com", None, FAKE),
    ("https://dem0-exchange-support.com", None, FAKE),
    ("https://demo-exchanges.com", None, FAKE),
    ("www.demo-exchange-app.com", None, FAKE),
    ("https://app-demoexchange.net", None, FAKE),
    ("https://mydemo-exchange.com", None, FAKE),
    ("https://demoexchange.com.evil.co", None, FAKE),
    ("https://dem-exchange.example", None, FAKE),
    ("https://dernо-exchange.example", None, FAKE),  # rn for m, Cyrillic о
    ("https://exchange-demo.com", None, FAKE),  # word order swapped: a known miss
    ("Check https://demo-exchange.example and https://demo-exchange-verify.com", None, FAKE),
    ("请登录 demo-exchange-cn.com 完成风险解除", None, FAKE),
    # look-alike senders
    ("support@demo-exchange-support.com", None, FAKE),
    ("security@dem0-exchange.example", None, FAKE),
    ("noreply@demo-exchange.com", None, FAKE),
    ("demoexchange.support@gmail.com", None, FAKE),
    ("demo.exchange.help@outlook.com", None, FAKE),
    ("Demo Exchange Support <help@secure-mail.io>", None, FAKE),
    ('"Demo Exchange Security" <alert@notify-center.net>', None, FAKE),
    ("support@dеmo-exchange.example", None, FAKE),
    ("support@demo-exchange.example.verify-account.com", None, FAKE),
    ("demoexchange-service@qq.com", None, FAKE),
    ("kefu.demoexchange@163.com", None, FAKE),
    ("From: Demo Exchange <no-reply@demoexchange-mail.com>", None, FAKE),
    ("演示交易所客服 <help@evil.com>", None, FAKE),
    ("Demo Exchange Team <team@mailer-service.net>", None, FAKE),
    # look-alike handles
    ("@DemoExchangeSupport1", None, FAKE),
    ("@DemoExchange_Support", None, FAKE),
    ("@DemoExchangeSupp0rt", None, FAKE),
    ("@DemoExchangeSuport", None, FAKE),
    ("@DemoExchangeHelp", None, FAKE),
    ("@DemoExchange_CS", None, FAKE),
    ("@DemoExchangeAdmin", None, FAKE),
    ("@DemoExchangeOfficial_", None, FAKE),
    ("@DemoExchangeSupport24", None, FAKE),
    ("@Demo_Exchange", None, FAKE),
    ("@DemoExchangeVIP", None, FAKE),
    ("@DemoExchangeSupportDesk", None, FAKE),
    ("@DemoExchnageSupport", None, FAKE),
    ("@DemoExchangeSupoprt", None, FAKE),
    ("@DemoExchangeSupportt", None, FAKE),
    ("@DemoЕxchangeSupport", None, FAKE),  # Cyrillic Е
    ("t.me/DemoExchangeSupport_bot", None, FAKE),
    ("https://t.me/DemoExchange", None, FAKE),  # our X name, on Telegram
    ("https://t.me/DemoExchangeSupportTeam", None, FAKE),
    ("https://x.com/DemoExchangeSupport", None, FAKE),  # our Telegram name, on X
    ("https://x.com/DemoExchange_", None, FAKE),
    ("https://twitter.com/DemoExchange1", None, FAKE),
    ("https://x.com/DemoExchangeCare", None, FAKE),
    ("https://x.com/dem0exchange", None, FAKE),
    ("https://facebook.com/DemoExchangeSupport", None, FAKE),
    ("https://www.facebook.com/DemoExchange.Official", None, FAKE),
    ("客服 @DemoExchange_Kefu 说我的账户有风险，要我转到安全账户", None, FAKE),
    ("Telegram: @DemoExchangeSupp0rt", None, FAKE),
    ("DemoExchangeSupport2", "telegram", FAKE),
    ("DemoExchange", "telegram", FAKE),
    # look-alike numbers and agent ids
    ("+1 202 555 0148", None, FAKE),
    ("+1 (202) 555-0117", None, FAKE),
    ("DX-10O1", None, FAKE),
    ("DX-1OO2", None, FAKE),
    ("DX-l003", None, FAKE),
    # official
    ("https://www.demo-exchange.example", None, OFFICIAL),
    ("https://demo-exchange.example/login", None, OFFICIAL),
    ("demo-exchange.example", None, OFFICIAL),
    ("DEMO-EXCHANGE.EXAMPLE", None, OFFICIAL),
    ("https://support.demo-exchange.example/hc/articles/1", None, OFFICIAL),
    ("https://api.demo-exchange.example/v1", None, OFFICIAL),
    ("https://demo-exchange.example./", None, OFFICIAL),
    ("https://demo-exchange.example:443/login", None, OFFICIAL),
    ("这是官方网站吗？https://www.demo-exchange.example", None, OFFICIAL),
    ("Is https://www.demo-exchange.example/ really yours?", None, OFFICIAL),
    ("support@demo-exchange.example", None, OFFICIAL),
    ("Security@Demo-Exchange.example", None, OFFICIAL),
    ("mailto:noreply@demo-exchange.example", None, OFFICIAL),
    ("Demo Exchange <support@demo-exchange.example>", None, OFFICIAL),
    ("@DemoExchangeSupport", None, OFFICIAL),
    ("@demoexchangesupport", None, OFFICIAL),
    ("https://t.me/DemoExchangeSupport", None, OFFICIAL),
    ("t.me/DemoExchangeSupport", None, OFFICIAL),
    ("https://t.me/s/DemoExchangeSupport", None, OFFICIAL),
    ("DemoExchangeSupport", "telegram", OFFICIAL),
    ("https://x.com/DemoExchange", None, OFFICIAL),
    ("https://twitter.com/DemoExchange", None, OFFICIAL),
    ("@DemoExchange", None, OFFICIAL),
    ("https://www.facebook.com/DemoExchangeOfficial", None, OFFICIAL),
    ("+1 202 555 0147", None, OFFICIAL),
    ("+1 (202) 555-0147", None, OFFICIAL),
    ("202-555-0147", "phone", OFFICIAL),
    ("0012025550147", None, OFFICIAL),
    ("DX-1001", None, OFFICIAL),
    ("dx-1002", None, OFFICIAL),
    ("DX 1003", "agent_id", OFFICIAL),
    # not official, and not imitating us
    ("@binance", None, NOT),
    ("@john_smith", None, NOT),
    ("@CryptoNewsDaily", None, NOT),
    ("https://google.com", None, NOT),
    ("https://www.coindesk.com/markets", None, NOT),
    ("example.com", None, NOT),
    ("support@binance.com", None, NOT),
    ("alice@gmail.com", None, NOT),
    ("ceo@demo-exchange.example", None, NOT),
    ("hr@demo-exchange.example", None, NOT),
    ("+44 20 7946 0958", None, NOT),
    ("+86 138 0013 8000", None, NOT),
    ("DX-1009", None, NOT),
    ("DX-2001", None, NOT),
    ("https://bit.ly/3abcxyz", None, NOT),
    ("https://t.me/joinchat/AAAAAEkk", None, NOT),
    ("https://t.me/+AbCdEf123", None, NOT),
    ("https://evil.com/demo-exchange/login", None, NOT),
    ("https://medium.com/@someone/how-to-use-demo-exchange", None, NOT),
    ("memeexchange.com", None, NOT),
    ("@MemeExchange", None, NOT),
    ("https://exchange.com", None, NOT),
    ("@exchange_support", None, NOT),
    ("https://x.com/elonmusk", None, NOT),
    ("https://facebook.com/somepage", None, NOT),
    ("@Demo", None, NOT),
    ("https://demo.example.org", None, NOT),
    ("https://deepexchange.io", None, NOT),
    ("https://www.okx.com", None, NOT),
    ("@gate_io", None, NOT),
    # nothing to check
    ("hello there", None, UNKNOWN),
    ("我的账户被冻结了怎么办", None, UNKNOWN),
    ("??!!", None, UNKNOWN),
    ("Is this the official one?", None, UNKNOWN),
    ("12345", None, UNKNOWN),
]

# Patterns the verifier does not catch yet (counted in the figures, listed in the docs).
KNOWN_MISSES = frozenset({"https://exchange-demo.com"})
