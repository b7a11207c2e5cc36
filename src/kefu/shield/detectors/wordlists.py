"""The BIP39 word lists (from trezor's `mnemonic` package), loaded once on first use."""

from __future__ import annotations

from functools import cache

from ahocorasick_rs import BytesAhoCorasick
from mnemonic import Mnemonic


@cache
def english_words() -> frozenset[str]:
    return frozenset(Mnemonic("english").wordlist)


@cache
def english_words_bytes() -> frozenset[bytes]:
    return frozenset(word.encode() for word in english_words())


@cache
def english_automaton() -> BytesAhoCorasick:
    """Finds list words standing alone between spaces (on a view where separators are spaces)."""
    patterns = [b" " + word + b" " for word in sorted(english_words_bytes())]
    return BytesAhoCorasick(patterns)


@cache
def english_near_words() -> frozenset[str]:
    """Every string one deletion away from an English word (symmetric-delete index).

    A token is within one edit of a list word when the token, or the token with
    one letter deleted, is the word or in this set. That replaces an edit-distance
    loop over 2048 words with a handful of set lookups.
    """
    near: set[str] = set()
    for word in english_words():
        near.update(deletions(word))
    return frozenset(near)


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def chinese_chars() -> frozenset[str]:
    """Simplified and Traditional lists together: customers mix them."""
    simplified = Mnemonic("chinese_simplified").wordlist
    traditional = Mnemonic("chinese_traditional").wordlist
    return frozenset(simplified) | frozenset(traditional)


@cache
def chinese_common_chars() -> frozenset[str]:
    """The 60 most frequent characters of each list (the lists are frequency ordered).

    Prose is full of these (的, 是, 我, 了 …); a random phrase has about one in
    twenty. That is how a phrase typed without separators is told from a sentence.
    """
    simplified = Mnemonic("chinese_simplified").wordlist[:60]
    traditional = Mnemonic("chinese_traditional").wordlist[:60]
    return frozenset(simplified) | frozenset(traditional)


def is_near_english_word(token: str) -> bool:
    """True when `token` (lower case) is one edit away from a BIP39 English word."""
    if len(token) < 3:
        return False
    words = english_words()
    near = english_near_words()
    if token in near:
        return True
    return any(d in words or d in near for d in deletions(token))
