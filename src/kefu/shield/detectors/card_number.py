"""Payment card numbers: 13–19 digits, plain or grouped by spaces/dashes, Luhn-valid.

Order ids, timestamps and phone numbers are long digit strings too; the issuer
prefix, the Luhn check and the words before the number tell them apart.
"""

from __future__ import annotations

import re

from kefu.shield.detectors import context
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan

KIND = "card_number"

# Runs on the digit shape: digits are "1", spaces and dashes "-".
_SHAPE = re.compile(
    rb"1(?<!11)(?<!1-1)(?:1{12,18}|1{3}-1{4}-1{4}(?:-1{4})?-1{1,4}|1{3}-1{6}-1{4,5})(?!-?1)"
)
_ISSUER_FIRST_DIGITS = "23456"
_NOT_A_CARD = re.compile(
    r"order|订单|訂單|单号|單號|uid|(?<![a-z])id(?![a-z])|编号|編號|流水|phone|mobile|(?<![a-z])tel"
    r"|手机|手機|电话|電話|txid|(?<![a-z])tx|hash|哈希|交易号|ticket|工单|工單|timestamp|时间戳"
)
_BEFORE = 30
_MIN_DIGITS = 13


def find(scan: Scan) -> list[Finding]:
    if len(scan.text) < _MIN_DIGITS:
        return []
    shape = scan.digit_shape
    # `find` rather than `in`: bytes.__contains__ first tries the needle as an
    # int, and the failed try costs more than the search on a chat line.
    if shape.find(b"1111111111111") < 0 and shape.find(b"1111-1111") < 0:
        return []
    findings = []
    for match in _SHAPE.finditer(shape):
        start, end = match.span()
        if _is_card(scan, start, end):
            findings.append(Finding(KIND, start, end))
    return findings


def _is_card(scan: Scan, start: int, end: int) -> bool:
    digits = "".join(ch for ch in scan.text[start:end] if ch.isdigit())
    if digits[0] not in _ISSUER_FIRST_DIGITS or not luhn_valid(digits):
        return False
    if start > 0 and scan.text[start - 1] == "+":
        return False  # +86 138… is a phone number
    if _inside_a_word(scan.text, start, end):
        return False  # digits within 0x5290…eE7 (an address, a hash) or a token
    return _NOT_A_CARD.search(context.before(scan.lower, start, _BEFORE)) is None


def _inside_a_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return _is_word_ascii(before) or _is_word_ascii(after)


def _is_word_ascii(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch)
        if i % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
