"""Private keys: 64-hex (with or without 0x), WIF, extended keys (xprv, yprv, zprv …).

A 64-hex value is a private key when the words before it say key/私钥/private,
or when nothing says what it is; a transaction id, block hash or signature
looks the same, so words like TxID, hash or 交易哈希 keep it.
"""

from __future__ import annotations

import re

from kefu.shield.detectors import base58, context
from kefu.shield.detectors.long_tokens import long_tokens
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan

KIND = "private_key"

_HEX64 = re.compile(r"(?:0x)?[0-9a-fA-F]{64}")
_EXTENDED_PREFIXES = ("xprv", "yprv", "zprv", "tprv", "uprv", "vprv", "Yprv", "Zprv")
_WIF_VERSIONS = (0x80, 0xEF)

_W = r"(?<![a-z])"
_CONTEXT = re.compile(
    rf"(?P<api>{_W}api[ _-]?secret|{_W}secret[ _-]?key|secretkey|api密钥|密钥|密鑰|{_W}secret(?![a-z]))"
    rf"|(?P<keep>{_W}api[ _-]?key|apikey|{_W}public[ _-]?key|pubkey|公钥|公鑰|{_W}txid|{_W}tx[ _-]?id"
    rf"|{_W}tx[ _-]?hash|{_W}tx(?![a-z])|hash|哈希|交易|{_W}transaction|区块|區塊|{_W}block"
    rf"|{_W}deposit|{_W}withdraw|{_W}transfer|充值|提现|提現|提币|提幣|转账|轉帳|到账|到帳"
    rf"|scan|explorer|浏览器|瀏覽器|signature|签名|簽名|{_W}sig(?![a-z])|{_W}order|订单|訂單"
    rf"|{_W}uid|{_W}address|地址|{_W}received|{_W}arrived|{_W}credited|{_W}sent(?![a-z])"
    rf"|{_W}pending|{_W}confirm)"
    rf"|(?P<key>{_W}private|私钥|私鑰|{_W}priv(?![a-z])|{_W}key(?![a-z])|{_W}wif(?![a-z])|keystore"
    rf"|钥匙|导出|導出)"
)
_BEFORE = 120
_AFTER = 60
_CONTEXT_ONLY_MIN = 50


def find(scan: Scan) -> list[Finding]:
    findings: list[Finding] = []
    for start, end in long_tokens(scan):
        if _is_private_key(scan, start, end):
            findings.append(Finding(KIND, start, end))
    return findings


def _is_private_key(scan: Scan, start: int, end: int) -> bool:
    token = scan.text[start:end]
    if _HEX64.fullmatch(token):
        return _hex_is_key(scan, start, end, token)
    if token.startswith(_EXTENDED_PREFIXES) and 100 <= len(token) <= 115:
        return base58.is_base58(token)
    if _looks_like_wif(token):
        return True
    label = _label(scan, start, end)
    return label == "key" and len(token) >= _CONTEXT_ONLY_MIN


def _hex_is_key(scan: Scan, start: int, end: int, token: str) -> bool:
    if token.removeprefix("0x").startswith("00000000"):
        return False  # a block hash: proof of work leaves leading zeros
    label = _label(scan, start, end)
    return label in (None, "key")


def _label(scan: Scan, start: int, end: int) -> str | None:
    """What the nearest words call the token: "key", "api", "keep", or None."""
    window, _ = context.before(scan.lower, start, _BEFORE)
    label = context.last_label(_CONTEXT, window)
    if label is None:
        label = context.first_label(_CONTEXT, context.after(scan.lower, end, _AFTER))
    return label


def _looks_like_wif(token: str) -> bool:
    if not (
        (len(token) == 51 and token[0] in "59") or (len(token) == 52 and token[0] in "KLc")
    ):
        return False
    payload = base58.b58decode_check(token)
    return payload is not None and payload[0] in _WIF_VERSIONS and len(payload) in (33, 34)
