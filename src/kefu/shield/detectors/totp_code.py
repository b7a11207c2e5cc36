"""Verification codes given in context: 验证码, 谷歌验证码, Google Authenticator, 2FA/SMS/email code.

Six digits alone are an order number, a UID or an amount; only a code the
customer calls a code is taken, and never one whose label in between names
something else ("2FA code doesn't work, order 123456").
"""

from __future__ import annotations

import re

from kefu.shield.findings import Finding
from kefu.shield.scan import Scan

KIND = "verification_code"
GATE = ("code", "码", "碼", "2fa", "mfa", "otp", "authenticator", "口令")

_KEYWORD = (
    r"(?:验证码|驗證碼|校验码|校驗碼|动态码|動態碼|动态口令|動態口令|确认码|確認碼|短信码|安全码|安全碼"
    r"|(?<![a-z])(?:2fa|mfa|otp|totp|authenticator|code)(?![a-z]))"
)
_BETWEEN = r"(?P<mid>[^\d\n。！？!?]{0,24}?)"
_DIGITS = r"(?P<s>\d{3}[ -]\d{3}|\d{4,8})"
_AFTER_CODE = r"(?![\d\w]|[.:/-]\d)"
_PATTERN = re.compile(_KEYWORD + _BETWEEN + r"(?<![\w.])" + _DIGITS + _AFTER_CODE)
_CODE_FIRST = re.compile(
    r"(?<![\w.])(?P<s>\d{6})(?![\d\w])\s*(?:is|是|为|為|就是)?\s*(?:my|the|我的)?\s*"
    r"(?:google |sms |email |谷歌|短信|邮箱|郵箱)?"
    r"(?:验证码|驗證碼|动态码|動態碼|(?:2fa|otp|totp|verification|authenticator) ?code)"
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
    if not scan.mentions(GATE):
        return []
    low = scan.lower
    findings = [
        Finding(KIND, *m.span("s")) for m in _PATTERN.finditer(low) if _is_code(low, m)
    ]
    findings += [Finding(KIND, *m.span("s")) for m in _CODE_FIRST.finditer(low)]
    return findings


def _is_code(low: str, match: re.Match[str]) -> bool:
    if _OTHER_LABEL.search(match.group("mid")):
        return False
    if _NOT_SECRET_CODE.search(low[max(0, match.start() - 20) : match.start()]):
        return False
    return _UNIT_AFTER.match(low, match.end("s")) is None
