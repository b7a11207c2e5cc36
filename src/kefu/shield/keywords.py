"""The words that put a detector to work.

Every keyword of a detector's regex starts with one of that detector's needles,
so the detector only has to try its regex at these positions. All needles are
found in one Aho-Corasick pass (ahocorasick-rs): a regex alternation or one
`in` per needle costs 10–50 ns per character of text, this well under one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ahocorasick_rs import AhoCorasick, MatchKind


@dataclass(frozen=True)
class Needles:
    """One detector's needles (lower case), as indexes into the shared automaton."""

    indexes: frozenset[int]


_ALL: list[str] = []


def needles(*words: str) -> Needles:
    _ALL.extend(w for w in words if w not in _ALL)
    return Needles(frozenset(_ALL.index(w) for w in words))


PASSWORD = needles("pass", "pw", "pin", "密码", "密碼")
VERIFICATION_CODE_ZH = (
    "验证码",
    "驗證碼",
    "校验码",
    "校驗碼",
    "动态码",
    "動態碼",
    "动态口令",
    "動態口令",
    "确认码",
    "確認碼",
    "短信码",
    "安全码",
    "安全碼",
)
VERIFICATION_CODE_EN = ("2fa", "mfa", "otp", "totp", "authenticator", "auth", "code")
VERIFICATION_CODE = needles(*VERIFICATION_CODE_ZH, *VERIFICATION_CODE_EN)
API_SECRET = needles("secret", "apisecret", "密钥", "密鑰", "私密金鑰")
SEED_CONTEXT = needles(
    "助记",
    "助記",
    "记忆词",
    "記憶詞",
    "种子",
    "種子",
    "恢复",
    "恢復",
    "备份",
    "備份",
    "钱包短语",
    "錢包短語",
    "seed",
    "mnemonic",
    "recovery",
    "backup",
    "secret",
    "12 words",
    "24 words",
)


# All needles of all detectors (every `needles(...)` call is above); one pass
# finds every one of them.
_AUTOMATON = AhoCorasick(_ALL, matchkind=MatchKind.LeftmostLongest)
Match = tuple[int, int, int]  # (needle index, start, end)
# Every needle in a lowered text, leftmost-longest, in order (the bound method
# itself: this runs once per message).
find_matches: Callable[[str], list[Match]] = _AUTOMATON.find_matches_as_indexes
