"""Passwords, fund passwords and PINs given in context: "password is …", "资金密码：…".

The value must follow a connector (is / 是 / 为 / : / =); "I never shared my
password" has none, and "my password is wrong" ends in a stop word.
"""

from __future__ import annotations

import re

from kefu.shield import keywords
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan, letter_before

KIND = "password"

_KEYWORD = (
    r"(?P<kw>(?:passwords?|passwd|pass ?word|passcode|passphrase|pwd|pw|pin(?: ?code)?)(?![a-z])"
    r"|密码|密碼)"
)
_BETWEEN = r"(?P<mid>[^:：=是为為.?!。？！,，;；\n]{0,30}?)"
_CONNECTOR = (
    r"(?P<conn>(?:\s*(?:(?<![a-z])(?:is|was|are|be|now|to|still)(?![a-z])|[:：=]|是|为|為|改成了?|改为了?"
    r"|改為了?|设为|設為|设置为|設置為|就是|依然是|一直是))+\s*)[\"'“‘「(（]?"
)
_VALUE = r"(?P<s>[!-~]{4,64})"
_PATTERN = re.compile(_KEYWORD + _BETWEEN + _CONNECTOR + _VALUE)
# "密码 123456": no connector at all, right after the keyword.
_BARE = re.compile(_KEYWORD + r"(?P<mid>)(?P<conn>[^\S\n]+)" + _VALUE)

_TRAILING = ".,;:)]}>'\"”’」）"
_BETWEEN_STOP = re.compile(
    r"reset|link|e-?mail|manager|policy|field|hint|requirement|rule|length|page|form|box|prompt"
    r"|error|attempt|recover|expir|strength|protect|重置|找回|规则|規則|长度|長度|邮件|郵件|提示|错误|錯誤"
)
# Words that follow "password is" in a sentence about a password, not in one giving it.
_STOP_TEXT = """
    about accepted again also always another any anything because been before being blocked
    both case case-sensitive changed changing correct definitely different does doesn't done
    easy empty encrypted entered exactly expired fine first forgotten from going good hard
    here hidden however incorrect invalid just known last least less locked long longer lost
    maybe mine missing more most much never none nothing okay only other please probably
    protected really rejected required reset right safe same saved secure sent set shown
    since some something still stored strong that the their them then there these they this
    those too typed unknown updated used valid very wait weak what when where which while
    will with without working wrong your yours
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


def find(scan: Scan) -> list[Finding]:
    findings = []
    for pos in scan.positions(keywords.PASSWORD):
        span = None
        for pattern in (_PATTERN, _BARE):
            match = pattern.match(scan.lower, pos)
            span = _secret_span(scan, match) if match else None
            if span is not None:
                findings.append(Finding(KIND, *span))
                break
    return findings


def _secret_span(scan: Scan, match: re.Match[str]) -> tuple[int, int] | None:
    if letter_before(scan.lower, match.start()) or _BETWEEN_STOP.search(match.group("mid")):
        return None
    start, end = match.span("s")
    value = scan.text[start:end].rstrip(_TRAILING)
    end = start + len(value)
    if not _looks_like_password(value, bare=not match.group("conn").strip()):
        return None
    return start, end


def _looks_like_password(value: str, *, bare: bool) -> bool:
    low = value.lower()
    if len(value) < 4 or low in _STOP_WORDS or low.startswith(("http", "www.")):
        return False
    if set(value) <= {"*", "x", "X", "•", "."}:
        return False  # already masked
    # Without "is"/":" only a value with a digit is plausibly a password.
    return not bare or any(ch.isdigit() for ch in value)
