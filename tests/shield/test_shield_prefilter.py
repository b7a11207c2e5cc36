"""The cheap checks that let a detector skip its regexes never change what it finds."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from kefu.shield.detectors import seed_phrase, totp_code, wordlists
from kefu.shield.quality import load_cases
from kefu.shield.redact import find_secrets
from kefu.shield.scan import Scan

CASES = Path(__file__).with_name("cases.jsonl")
RNG = random.Random(11)


def _texts() -> list[str]:
    """The labelled texts and variants that move their separators and digits around."""
    texts = [case.text for case in load_cases(CASES)]
    variants = [
        *(t.replace(" ", "\t") for t in texts),
        *(t.replace("，", " ").replace("、", ":") for t in texts),
        *(t.upper() for t in texts),
        *(t.replace("0", "０").replace("1", "１") for t in texts),  # full-width digits
        *("\n".join(RNG.sample(texts, 3)) for _ in range(200)),
    ]
    return texts + variants


def _random_views(alphabet: bytes, count: int) -> Iterator[bytes]:
    for _ in range(count):
        size = RNG.randint(0, 60)
        yield bytes(RNG.choice(alphabet) for _ in range(size))


def test_hit_run_check_agrees_with_its_regex() -> None:
    for hits in _random_views(b"\x00\x01\x01", 20_000):
        assert seed_phrase._has_hit_run(hits) == bool(seed_phrase._HIT_RUN.search(hits))


def _han_runs() -> str:
    """Runs of 8–28 Chinese characters between random separators and letters."""
    parts = [
        RNG.choice(["", " ", "\n", ":", "：", "，", "\u3000", "x", "1", "?"]) for _ in range(4)
    ]
    return "".join(part + "字" * RNG.randint(8, 28) for part in parts)


def test_stand_alone_check_agrees_with_its_regex() -> None:
    texts = _texts() + [_han_runs() for _ in range(20_000)]
    found = 0
    for text in texts:
        scan = Scan(text)
        expected = bool(seed_phrase._CHINESE_ALONE.search(b" " + scan.han_view))
        assert seed_phrase._may_stand_alone(scan) == expected, text
        found += expected
    assert found > 1000


def _separated_tokens() -> bytes:
    """Han-view tokens ("?" is a character) between random separators, numbered or not."""
    tokens = [
        RNG.choice([b"?", b"?", b"??", b"1.?", b"12) ?", b"x"]) for _ in range(RNG.randint(6, 14))
    ]
    separators = [
        RNG.choice([b" ", b",", b", ", b";", b"|", b"/", b"\n", b"", b"\t"]) for _ in tokens
    ]
    return b"".join(sep + token for sep, token in zip(separators, tokens, strict=True))


def test_separated_check_never_rules_out_a_match() -> None:
    views = [Scan(text).han_view for text in _texts()]
    views += [_separated_tokens() for _ in range(20_000)]
    matched = 0
    for view in views:
        if seed_phrase._CHINESE_SEPARATED.search(view):
            assert seed_phrase._may_be_separated(view), view
            matched += 1
    assert matched > 200


def test_code_check_never_rules_out_a_code() -> None:
    for text in _texts():
        if not totp_code._may_hold_code(Scan(text)):
            assert totp_code.find(Scan(text)) == []


def test_findings_are_the_same_with_every_check_open(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    gated = [find_secrets(text) for text in texts]
    monkeypatch.setattr(seed_phrase, "_may_be_separated", lambda view: True)
    monkeypatch.setattr(seed_phrase, "_may_stand_alone", lambda scan: True)
    monkeypatch.setattr(seed_phrase, "_has_hit_run", lambda hits: True)
    monkeypatch.setattr(seed_phrase, "_word_starts", lambda view: seed_phrase.MIN_EXACT)
    monkeypatch.setattr(totp_code, "_may_hold_code", lambda scan: True)
    assert [find_secrets(text) for text in texts] == gated
    assert sum(map(len, gated)) > 300  # the set does exercise the detectors


def test_word_count_never_falls_below_the_list_words() -> None:
    assert min(map(len, wordlists.english_words())) >= len(seed_phrase._WORD_START) - 1
    texts = [*_texts(), " ".join(RNG.sample(sorted(wordlists.english_words()), 12))]
    for text in texts:
        scan = Scan(text)
        matches = seed_phrase._english_matches(scan.ascii.translate(seed_phrase._GATE))
        assert seed_phrase._word_starts(scan.ascii) >= len(matches), text
