"""Verification codes given in context: 验证码, 谷歌验证码, Google Authenticator, 2FA code.

Six digits alone are an order number, a UID or an amount; only a code the
customer calls a code is taken, and never one whose label in between names
something else ("2FA code doesn't work, order 123456").
"""

from __future__ import annotations

import re

from kefu.shield import keywords
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan, letter_before

KIND = "verification_code"


_KEYWORD = (
    rf"(?:{'|'.join(keywords.VERIFICATION_CODE_ZH)}"
    rf"|(?:{'|'.join(keywords.VERIFICATION_CODE_EN)})(?![a-z]))"
)
_BETWEEN = r"(?P<mid>[^\d\n。！？!?]{0,24}?)"
_DIGITS = r"(?P<s>\d{3}[ -]\d{3}|\d{4,8})"
_AFTER_CODE = r"(?![0-9a-z]|[.:/-]\d)"
_PATTERN = re.compile(_KEYWORD + _BETWEEN + r"(?<![0-9a-z_.])" + _DIGITS + _AFTER_CODE)
# "123456 is my 2FA code": the text just before a keyword, ending where it starts.
_CODE_FIRST = re.compile(
    r"(?<![0-9a-z_.])(?P<s>\d{6})(?![0-9a-z])\s*(?:is|是|为|為|就是)?\s*(?:my|the|我的)?\s*"
    r"(?:google |sms |email |verification |谷歌|短信|邮箱|郵箱)?$"
)

_OTHER_LABEL = re.compile(
    r"order|订单|訂單|单号|單號|uid|(?<![a-z])id(?![a-z])|phone|mobile|手机|手機|电话|電話|(?<![a-z])tel"
    r"|amount|金额|金額|ticket|工单|工單|error|错误码|錯誤碼|号码|號碼|account|账号|帳號|賬號|number"
    r"|price|价格|價格|balance|余额|餘額|block|区块|invite|referral|邀请|推荐|promo|优惠|zip|postal"
)
_NOT_SECRET_CODE = re.compile(
    r"(?:error|promo|referral|invite|invitation|zip|postal|country|area|status|response|reason"
    r"|qr|discount|coupon|bonus|phishing|swift|bank|branch|source|tracking|voucher|gift|redeem"
    r"|region|http|country calling|dial)[ _-]?$"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:usdt|btc|eth|usd|cny|rmb|元|块|%|秒|分钟|分鐘|小时|小時|天|次|个|個|位|digits?(?![a-z])"
    r"|seconds?|secs?(?![a-z])|minutes?|mins?(?![a-z])|hours?|days?(?![a-z])|times)"
)


def find(scan: Scan) -> list[Finding]:
    if not _may_hold_code(scan):
        return []
    low = scan.lower
    spans: set[tuple[int, int]] = set()
    for pos in scan.positions(keywords.VERIFICATION_CODE):
        if letter_before(low, pos):
            continue
        match = _PATTERN.match(low, pos)
        if match is not None and _is_code(low, match):
            spans.add(match.span("s"))
        offset = max(0, pos - 40)
        first = _CODE_FIRST.search(low[offset:pos])
        if first is not None:
            spans.add((offset + first.start("s"), offset + first.end("s")))
    return [Finding(KIND, start, end) for start, end in sorted(spans)]


def _may_hold_code(scan: Scan) -> bool:
    """False only when no three digits stand in a row ("2FA code is wrong").

    Only asked of ASCII text: the patterns' digit class also takes full-width
    digits, which the ASCII view cannot show.
    """
    return not scan.is_ascii or scan.digit_shape.find(b"111") >= 0


def _is_code(low: str, match: re.Match[str]) -> bool:
    if _OTHER_LABEL.search(match.group("mid")):
        return False
    if _NOT_SECRET_CODE.search(low[max(0, match.start() - 20) : match.start()]):
        return False
    return _UNIT_AFTER.match(low, match.end("s")) is None
