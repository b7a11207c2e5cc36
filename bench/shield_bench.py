"""Throughput of the secret shield on typical support chat and email text.

Run: .venv/bin/python bench/shield_bench.py
Prints MB/s (UTF-8 bytes of input per CPU second of this process, one core,
one redact_secrets call per message) and writes bench/results/shield.json.
Target (issue #3): at least 20 MB/s on the mixed set. "bulk_64k" is the same
text in 64 KB documents, i.e. the cost per byte without the per-call overhead.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kefu.shield import redact_secrets

RESULTS = Path(__file__).parent / "results" / "shield.json"
TARGET_MB_S = 20.0

EN_CHAT = [
    "Hi, my withdrawal of {amount} {coin} has been pending for {hours} hours, can you check?",
    "Hello, I deposited {amount} {coin} to my account but it has not arrived yet. TxID: {txid}",
    "why is my account frozen?? I need to trade now, UID {uid}",
    "I can't log in, it says the 2FA code is wrong every time. Please help.",
    "The withdrawal address is {address}, is it correct?",
    "order {order} was filled at {price} but I only got half of it",
    "ok thanks",
    "Still waiting... it's been {hours} hours. Any update on ticket KF-{ticket}?",
    "How do I reset Google Authenticator? I lost my phone.",
    "I want to close my account and withdraw everything to my bank card.",
    "The app keeps crashing when I open the futures tab on Android 14.",
    "Is there a fee for USDT withdrawals on the TRC20 network?",
    "My KYC was rejected but my passport photo is clear, what is wrong?",
    "Can you tell me when the {coin} deposit will be enabled again?",
]
ZH_CHAT = [
    "你好，我的提现一直显示处理中，已经过了{hours}个小时了，请帮忙看一下，UID {uid}",
    "充值{amount} {coin}还没到账，交易哈希：{txid}",
    "为什么我的账户被冻结了？我现在急需交易",
    "谷歌验证码一直提示错误，登录不了，怎么办？",
    "提币地址是 {address}，请问对吗？",
    "订单 {order} 成交价 {price}，但是只成交了一半",
    "好的，谢谢",
    "请问 TRC20 网络提 USDT 手续费是多少？",
    "我的实名认证被拒绝了，护照照片很清楚，是什么原因？",
    "手机丢了，谷歌验证器怎么重置？",
    "合约页面一直闪退，安卓手机，最新版本",
    "工单 KF-{ticket} 已经三天没人回复了，请尽快处理",
]
EN_EMAIL = [
    "Dear support team,\n\nI am writing about a deposit I made on {date}. I sent {amount} {coin} "
    "from my hardware wallet to the deposit address shown in my account ({address}). The "
    "transaction has {conf} confirmations on the explorer (TxID {txid}) but my balance still "
    "shows zero. My UID is {uid}. I have attached a screenshot of the wallet and of the "
    "explorer page.\n\nCould you please look into this as soon as possible? I need the funds "
    "for a payment this week.\n\nBest regards,\nMichael Chen\n\n-- \nSent from my iPhone\n\n"
    "On {date}, Support <support@exchange.example> wrote:\n> Thank you for contacting us. "
    "Your ticket number is KF-{ticket}. An agent will reply within 24 hours.\n> Please never "
    "share your password, verification codes or recovery phrase with anyone, including us.\n",
    "Hello,\n\nSince yesterday I cannot place any orders in the spot market. Every time I try "
    "to buy {coin} with USDT, the order form shows an error that my account is restricted. I "
    "completed identity verification last month and I have never had any problem before. "
    "My last order was {order} at a price of {price}.\n\nI would appreciate it if you could "
    "tell me what happened and what I need to do to lift the restriction.\n\nThanks,\nAnna\n",
]
ZH_EMAIL = [
    "客服您好：\n\n我于{date}从硬件钱包向平台充值地址（{address}）转入了{amount} {coin}，"
    "区块浏览器上已经有{conf}个确认（交易哈希 {txid}），但账户余额仍然显示为零。"
    "我的UID是{uid}，附件是钱包和浏览器页面的截图。"
    "\n\n麻烦尽快帮我查一下，这周需要用这笔资金付款。\n\n谢谢！\n王先生\n\n"
    "在 {date}，客服 <support@exchange.example> 写道：\n> 感谢您的来信，您的工单号是 KF-{ticket}，"
    "我们会在24小时内回复。\n> 请勿向任何人（包括客服）透露您的密码、验证码或助记词。\n",
    "您好，\n\n从昨天开始我在现货市场无法下单，每次用USDT买{coin}时都提示账户受限。上个月我已经完成了"
    "身份认证，之前从来没有出现过这个问题。最后一笔订单是{order}，成交价{price}。\n\n"
    "请告诉我是什么原因，以及需要怎么做才能解除限制。\n\n谢谢\n李娜\n",
]
SECRETS = [
    "my password is Zx9!qwerty2024",
    "谷歌验证码 {code}",
    "资金密码是{code}",
    "my 2FA code is {code}",
]


def _fill(template: str, rng: random.Random) -> str:
    hexchars = "0123456789abcdef"
    return template.format(
        amount=rng.choice(["0.5", "120", "1,500.25", "3.14159"]),
        coin=rng.choice(["BTC", "ETH", "USDT", "SOL", "TRX"]),
        hours=rng.randint(2, 48),
        txid="".join(rng.choice(hexchars) for _ in range(64)),
        uid=rng.randint(10_000_000, 99_999_999),
        address="0x" + "".join(rng.choice(hexchars) for _ in range(40)),
        order=rng.randint(100_000, 999_999_999),
        price=f"{rng.uniform(1, 70000):.2f}",
        ticket=rng.randint(240_000, 249_999),
        date=f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
        conf=rng.randint(3, 120),
        code=f"{rng.randint(0, 999_999):06d}",
    )


def build_corpus(count: int, seed: int = 7) -> list[str]:
    """Chat lines (80 %) and emails (20 %), half English and half Chinese, 2 % with a secret."""
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        chinese = rng.random() < 0.5
        if rng.random() < 0.8:
            pool = ZH_CHAT if chinese else EN_CHAT
        else:
            pool = ZH_EMAIL if chinese else EN_EMAIL
        text = _fill(rng.choice(pool), rng)
        if rng.random() < 0.02:
            text += " " + _fill(rng.choice(SECRETS), rng)
        messages.append(text)
    return messages


def measure(messages: list[str], language_of: list[str], rounds: int = 5) -> float:
    """Best-of-`rounds` MB/s of UTF-8 input, one redact_secrets call per message."""
    size = sum(len(m.encode()) for m in messages)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text, language in zip(messages, language_of, strict=True):
            redact_secrets(text, language)
        best = min(best, time.process_time() - start)
    return size / best / 1e6


def _select(
    messages: list[str], languages: list[str], keep: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    pairs = [(m, lang) for m, lang in zip(messages, languages, strict=True) if keep(m)]
    return [m for m, _ in pairs], [lang for _, lang in pairs]


def _documents(messages: list[str], size: int) -> list[str]:
    """The same messages joined into documents of about `size` characters (a mailbox export)."""
    documents, current, length = [], [], 0
    for message in messages:
        current.append(message)
        length += len(message)
        if length >= size:
            documents.append("\n\n".join(current))
            current, length = [], 0
    if current:
        documents.append("\n\n".join(current))
    return documents


def main() -> int:
    messages = build_corpus(20_000)
    languages = ["zh-Hans" if not m.isascii() else "en" for m in messages]
    redact_secrets("warm up: load the word lists 助记词", "en")
    english = [(m, lang) for m, lang in zip(messages, languages, strict=True) if lang == "en"]
    chinese = [(m, lang) for m, lang in zip(messages, languages, strict=True) if lang != "en"]
    documents = _documents(messages, 64 * 1024)
    results: dict[str, float | int | str] = {
        "mixed_mb_s": measure(messages, languages),
        "chat_mb_s": measure(*_select(messages, languages, lambda m: len(m) < 300)),
        "email_mb_s": measure(*_select(messages, languages, lambda m: len(m) >= 300)),
        "bulk_64k_mb_s": measure(documents, ["en"] * len(documents)),
        "english_mb_s": measure([m for m, _ in english], [lang for _, lang in english]),
        "chinese_mb_s": measure([m for m, _ in chinese], [lang for _, lang in chinese]),
        "messages": len(messages),
        "megabytes": sum(len(m.encode()) for m in messages) / 1e6,
        "target_mb_s": TARGET_MB_S,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for name in ("mixed_mb_s", "chat_mb_s", "email_mb_s", "english_mb_s", "chinese_mb_s",
                 "bulk_64k_mb_s"):  # fmt: skip
        print(f"{name:14s} {float(results[name]):7.1f} MB/s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if float(results["mixed_mb_s"]) >= TARGET_MB_S else 1


if __name__ == "__main__":
    sys.exit(main())
