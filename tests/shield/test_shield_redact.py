"""redact_secrets: markers, positions, overlaps and the things that must survive."""

from __future__ import annotations

import random

import pytest
from mnemonic import Mnemonic

from kefu.shield import Finding, redact_secrets
from kefu.shield.detectors.base58 import b58decode_check, b58encode_check
from kefu.shield.detectors.card_number import luhn_valid

ENGLISH = Mnemonic("english")
CHINESE = Mnemonic("chinese_simplified")
RNG = random.Random(3)


def phrase(words: int = 12, lang: Mnemonic = ENGLISH) -> str:
    return str(lang.to_mnemonic(RNG.randbytes(words * 4 // 3)))


def test_text_without_secrets_comes_back_unchanged() -> None:
    text = "Hi, my withdrawal of 0.5 BTC has been pending for 3 hours, UID 12345678."
    assert redact_secrets(text) == redact_secrets(text, "zh-Hans")
    assert redact_secrets(text).text == text
    assert redact_secrets(text).findings == ()


def test_markers_are_in_the_customers_language() -> None:
    seed = phrase()
    assert redact_secrets(f"my seed: {seed}", "en").text == "my seed: [redacted: seed phrase]"
    assert redact_secrets(f"my seed: {seed}", "zh-Hans").text == "my seed: [已隐藏:助记词]"
    assert redact_secrets("验证码 123456", "zh-TW").text == "验证码 [已隐藏:验证码]"


def test_findings_point_into_the_original_text() -> None:
    text = "password: Hunter2! and 谷歌验证码 654321"
    findings = redact_secrets(text).findings
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("password", "Hunter2!"),
        ("verification_code", "654321"),
    ]
    assert findings[0].length == len("Hunter2!")


def test_a_secret_never_appears_in_the_redacted_text() -> None:
    key = "ab" * 32
    text = f"私钥是 {key}，交易哈希 {'cd' * 32}"
    redacted = redact_secrets(text, "zh-Hans")
    assert key not in redacted.text
    assert "cd" * 32 in redacted.text
    assert "[已隐藏:私钥]" in redacted.text


def test_the_longest_finding_wins_an_overlap() -> None:
    seed = phrase(24)
    text = f"recovery phrase: {seed}"
    findings = redact_secrets(text).findings
    assert [f.kind for f in findings] == ["seed_phrase"]
    assert text[findings[0].start : findings[0].end] == seed


def test_a_finding_does_not_hold_the_secret() -> None:
    finding = redact_secrets("pwd: Zx9!qwerty").findings[0]
    assert finding == Finding("password", 5, 15)
    assert "Zx9" not in repr(finding)


@pytest.mark.parametrize(
    "text",
    [
        "I never shared my password",
        "my password is wrong",
        "What is a seed phrase?",
        "order 123456 is not filled",
        "TxID: " + "ab" * 32,
        "send to 0x" + "12" * 20,
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
        "call +86 138 1234 5678 or +8613812345678",
        "price 67,123.45 USDT, amount 1,500",
        "API Key: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
        "signature=" + "ef" * 32,
        "xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDfVxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz",
    ],
)
def test_values_support_needs_are_kept(text: str) -> None:
    assert redact_secrets(text).findings == ()


def test_wif_and_extended_keys_are_found_without_context() -> None:
    wif = b58encode_check(b"\x80" + bytes(range(32)) + b"\x01")
    xprv = b58encode_check(bytes.fromhex("0488ade4") + bytes(9) + bytes(range(32)) + bytes(33))
    findings = redact_secrets(f"{wif} and {xprv}").findings
    assert [f.kind for f in findings] == ["private_key", "private_key"]
    assert xprv.startswith("xprv")


def test_a_mistyped_and_a_missing_word_still_make_a_phrase() -> None:
    words = phrase().split()
    words[3] = words[3][:-1] + ("x" if words[3][-1] != "x" else "y")
    del words[7]
    text = "words: " + " ".join(words) + "."
    assert [f.kind for f in redact_secrets(text).findings] == ["seed_phrase"]


def test_chinese_phrases_with_and_without_separators_are_found() -> None:
    words = phrase(12, CHINESE).split()
    for text in ("、".join(words), "助记词：" + "".join(words), "\n".join(words)):
        assert [f.kind for f in redact_secrets(text, "zh-Hans").findings] == ["seed_phrase"]


def test_base58check_round_trips_and_rejects_a_typo() -> None:
    encoded = b58encode_check(b"\x00payload")
    assert b58decode_check(encoded) == b"\x00payload"
    assert b58decode_check(encoded[:-1] + ("2" if encoded[-1] != "2" else "3")) is None
    assert b58decode_check("0OIl") is None


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    "text",
    [
        "提币地址 0x52908400098527886E0F7030069857D2E4169EE7 网络 ERC20",
        "withdraw to 0x4111111111111111aaaabbbbccccddddeeeeffff please",
        "ref ABC4111111111111111 and 4111111111111111XYZ",
    ],
)
def test_luhn_valid_digits_inside_an_address_or_token_are_not_a_card(text: str) -> None:
    assert not redact_secrets(text).findings


def test_a_card_number_next_to_chinese_text_is_still_a_card() -> None:
    found = redact_secrets("卡号4111111111111111，有效期 12/28", "zh-Hans").findings
    assert [f.kind for f in found] == ["card_number"]
