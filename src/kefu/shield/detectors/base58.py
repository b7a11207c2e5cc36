"""Base58Check, as used by WIF private keys and BIP32 extended keys."""

from __future__ import annotations

import hashlib

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def b58encode_check(payload: bytes) -> str:
    raw = payload + _checksum(payload)
    number = int.from_bytes(raw, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(ALPHABET[rem])
    leading = len(raw) - len(raw.lstrip(b"\0"))
    return "1" * leading + "".join(reversed(out))


def b58decode_check(text: str) -> bytes | None:
    """The payload, or None when `text` is not Base58 or its checksum is wrong."""
    number = 0
    for ch in text:
        digit = _INDEX.get(ch)
        if digit is None:
            return None
        number = number * 58 + digit
    leading = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\0" * leading + body
    if len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    return payload if _checksum(payload) == check else None


def is_base58(text: str) -> bool:
    return all(ch in _INDEX for ch in text)
