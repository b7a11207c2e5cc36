"""Private keys: 64-hex (with or without 0x), WIF, extended keys (xprv, yprv, zprv …).

A 64-hex value is a private key when the words before it say key/私钥/private,
or when nothing says what it is; a transaction id, block hash or signature
looks the same, so words like TxID, hash or 交易哈希 keep it.
"""

from __future__ import annotations

import re

from kefu.shield.detectors import base58, context
from kefu.shield.detectors.long_tokens import MIN_LENGTH, long_tokens
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan

KIND = "private_key"

_HEX64 = re.compile(r"(?:0x)?[0-9a-fA-F]{64}")
_EXTENDED_PREFIXES = ("xprv", "yprv", "zprv", "tprv", "uprv", "vprv", "Yprv", "Zprv")
_WIF_VERSIONS = (0x80, 0xEF)

_CONTEXT = context.Labels(
    {
        "api": (
            "api secret",
            "api secret key",
            "api_secret_key",
            "api_secret",
            "apisecret",
            "secret key",
            "secret_key",
            "secretkey",
            "secret",
            "secrets",
            "密钥",
            "密鑰",
        ),
        "keep": (
            "api key",
            "api_key",
            "apikey",
            "public key",
            "public",
            "pubkey",
            "公钥",
            "公鑰",
            "txid",
            "txids",
            "tx id",
            "tx_id",
            "tx",
            "txhash",
            "hash",
            "hashes",
            "哈希",
            "交易",
            "transaction",
            "transactions",
            "区块",
            "區塊",
            "block",
            "blockhash",
            "deposit",
            "deposits",
            "deposited",
            "withdraw",
            "withdrawal",
            "withdrawals",
            "withdrawn",
            "transfer",
            "transferred",
            "充值",
            "提现",
            "提現",
            "提币",
            "提幣",
            "转账",
            "轉帳",
            "到账",
            "到帳",
            "etherscan",
            "bscscan",
            "tronscan",
            "solscan",
            "explorer",
            "浏览",
            "瀏覽",
            "signature",
            "sig",
            "签名",
            "簽名",
            "order",
            "订单",
            "訂單",
            "uid",
            "address",
            "地址",
            "received",
            "arrived",
            "credited",
            "sent",
            "pending",
            "confirmations",
            "confirmed",
        ),
        "key": (
            "private",
            "privkey",
            "private_key",
            "privatekey",
            "私钥",
            "私鑰",
            "priv",
            "key",
            "keys",
            "wif",
            "keystore",
            "钥匙",
            "导出",
            "導出",
        ),
    }
)
_BEFORE = 120
_AFTER = 60
_CONTEXT_ONLY_MIN = 50


def find(scan: Scan) -> list[Finding]:
    if len(scan.text) < MIN_LENGTH:
        return []
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
    return len(token) >= _CONTEXT_ONLY_MIN and _label(scan, start, end) == "key"


def _hex_is_key(scan: Scan, start: int, end: int, token: str) -> bool:
    if token.removeprefix("0x").startswith("00000000"):
        return False  # a block hash: proof of work leaves leading zeros
    label = _label(scan, start, end)
    return label in (None, "key")


def _label(scan: Scan, start: int, end: int) -> str | None:
    """What the nearest words call the token: "key", "api", "keep", or None."""
    label = _CONTEXT.last(context.before(scan.lower, start, _BEFORE))
    if label is None:
        label = _CONTEXT.first(context.after(scan.lower, end, _AFTER))
    return label


def _looks_like_wif(token: str) -> bool:
    if not ((len(token) == 51 and token[0] in "59") or (len(token) == 52 and token[0] in "KLc")):
        return False
    payload = base58.b58decode_check(token)
    return payload is not None and payload[0] in _WIF_VERSIONS and len(payload) in (33, 34)
