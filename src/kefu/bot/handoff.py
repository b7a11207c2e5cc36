"""When the bot must step aside at once: asked for a person, a dangerous topic, an angry customer.

See docs/subsystems/chat.md and the domain notes (§4): explicit requests and
account-takeover topics are hard triggers; two unhelpful answers are a soft one.
"""

from __future__ import annotations

import re
from enum import StrEnum


class HandoffReason(StrEnum):
    ASKED = "customer_asked"
    SENSITIVE = "sensitive"
    ANGRY = "angry"
    BOT_FAILED = "bot_failed"


# Anywhere in the message; Traditional forms too. "人工智能" (AI) is not a request.
ASKED_FOR_HUMAN = re.compile(
    r"人工(?!智能)|转人工|轉人工|真人|找客服|联系客服|聯繫客服|客服人员|客服小姐|接人工|"
    r"\bhuman\b|\bagent\b|\breal person\b|\brepresentative\b|\blive (?:agent|person|support)\b|"
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |some)?(?:one|someone|person|staff|support)\b|"
    r"\boperator\b|\bcustomer service\b",
    re.IGNORECASE,
)
# Someone may be losing money right now, or already has: security team, urgent.
SENSITIVE = re.compile(
    r"被盗|盗号|被黑|黑客|资产丢失|资金丢失|币丢了|币不见|资产不见|钱不见|余额不见|"
    r"不是我本人|不是我操作|非本人|未经授权|未授权|陌生(?:设备|登录|IP)|异地登录|"
    r"冻结(?:我的)?(?:账户|账号|帐户)|帮我冻结|P2P.{0,12}骗|被骗|诈骗|骗子|"
    r"\bstol(?:e|en)\b|\bhacked\b|\bcompromised\b|unauthori[sz]ed|\bnot me\b|"
    r"did ?n[o']t (?:make|authori[sz]e|do)|(?<!un)freeze my account|(?<!un)lock my account|"
    r"funds? (?:are |is )?(?:gone|missing|disappeared)|suspicious login|"
    r"\bscam(?:med)?\b|\bfraud\b",
    re.IGNORECASE,
)
ANGRY = re.compile(
    r"垃圾|太差|气死|投诉|什么破|破平台|滚|坑人|骗钱|无语|废物|还不处理|"
    r"\bterrible\b|\buseless\b|\bworst\b|\bridiculous\b|\bunacceptable\b|\bwtf\b|"
    r"\bangry\b|\bfurious\b|\bpathetic\b|\bcomplain(?:t)?\b|!!!|！！！",
    re.IGNORECASE,
)


def immediate_handoff(text: str) -> HandoffReason | None:
    """A reason to hand over right now, most serious first; None lets the bot try."""
    if SENSITIVE.search(text):
        return HandoffReason.SENSITIVE
    if ASKED_FOR_HUMAN.search(text):
        return HandoffReason.ASKED
    if ANGRY.search(text):
        return HandoffReason.ANGRY
    return None
