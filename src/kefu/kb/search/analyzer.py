"""Text to search terms, the same way for articles and for queries.

1. **fold** (length-preserving, so positions still point into the original text):
   full-width to half-width, lower case, Traditional to Simplified (OpenCC t2s).
2. **split** into CJK runs and the rest.
3. CJK runs: jieba (search mode, with the domain dictionary) gives words; character
   bigrams are added as a second, weaker kind of term ("~到账"), so a segmentation that
   differs between query and article still meets.
4. Other runs: words, English phrases from the synonym table, stopwords out, Snowball
   stemming.
5. Every word that is a synonym becomes its group's concept.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kefu.kb.search import vocabulary

BIGRAM = "~"  # prefix of CJK bigram terms; they never collide with words
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+")
# Fixes after OpenCC so that both sides fold to the mainland form ("帳戶" → 账户).
FOLD_FIXES = str.maketrans({"帐": "账"})


@dataclass(frozen=True)
class Token:
    term: str  # what is indexed and matched: a concept, a stem, a word or ~bigram
    start: int  # span in the original text, for highlighting
    end: int
    surface: str  # the folded word as written (typo correction looks at these)

    @property
    def is_bigram(self) -> bool:
        return self.term.startswith(BIGRAM)


class _Resources:
    """jieba, OpenCC and the stemmer load lazily (jieba takes ~0.5 s) and once. OpenCC and
    the stemmer (with the synonym tables, which need only the stemmer) load on their own:
    ticket search folds and stems without jieba."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._jieba: Any = None
        self._t2s: Any = None
        self._stemmer: Any = None
        self.zh_concepts: dict[str, str] = {}
        self.en_concepts: dict[str, str] = {}
        self.phrases_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def jieba(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._load()
        return self._jieba

    def t2s(self) -> Any:
        if self._t2s is None:
            with self._lock:
                if self._t2s is None:
                    from opencc import OpenCC  # type: ignore[import-untyped]

                    self._t2s = OpenCC("t2s")
        return self._t2s

    def stem(self, word: str) -> str:
        stem: str = self._english().stemWord(word)
        return stem

    def _english(self) -> Any:
        if self._stemmer is None:
            with self._lock:
                if self._stemmer is None:
                    import snowballstemmer  # type: ignore[import-untyped]

                    self._build_synonyms(snowballstemmer.stemmer("english"))
        return self._stemmer

    def _load(self) -> None:
        import jieba  # type: ignore[import-untyped]

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in zh_dictionary():
            tokenizer.add_word(word, freq=20000)
        self._english()
        self._jieba = tokenizer

    def _build_synonyms(self, stemmer: Any) -> None:
        for group in vocabulary.SYNONYMS:
            concept = _concept_name(group[0], stemmer)
            for member in group:
                if CJK_RUN.fullmatch(member):
                    self.zh_concepts[member] = concept
                    continue
                stems = tuple(stemmer.stemWord(w) for w in LATIN_WORD.findall(member))
                if len(stems) == 1:
                    self.en_concepts[stems[0]] = concept
                elif stems:
                    self.phrases_by_first.setdefault(stems[0], []).append((stems, concept))
        self._stemmer = stemmer  # last: the tables are complete once the stemmer shows


def _concept_name(first: str, stemmer: Any) -> str:
    if CJK_RUN.fullmatch(first):
        return first
    return "_".join(stemmer.stemWord(w) for w in LATIN_WORD.findall(first))


def zh_dictionary() -> list[str]:
    members = [m for group in vocabulary.SYNONYMS for m in group if CJK_RUN.fullmatch(m)]
    return sorted(set(vocabulary.DOMAIN_WORDS) | set(members))


RESOURCES = _Resources()


def fold(text: str) -> str:
    """Normalised text of exactly the same length (positions stay valid)."""
    chars = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char).lower()
        chars.append(normal if len(normal) == 1 else char.lower()[:1] or char)
    folded = "".join(chars)
    if CJK_RUN.search(folded):
        folded = _to_simplified(folded)
    return folded.translate(FOLD_FIXES)


def _to_simplified(text: str) -> str:
    converted: str = RESOURCES.t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length: convert character by character instead.
    return "".join(RESOURCES.t2s().convert(c) or c for c in text)


class _CharFolds(dict[int, str]):
    """Code point → `fold` of that character alone, worked out once per character."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        self[code] = folded
        return folded


_CHAR_FOLDS = _CharFolds()


def fold_chars(text: str) -> str:
    """`fold` one character at a time: the same full-width, case and Traditional →
    Simplified folding, without OpenCC's phrase pass, so it is a table lookup per
    character (cheap enough for every stored message; ticket search uses it)."""
    if text.isascii():
        return text.lower()
    return text.translate(_CHAR_FOLDS)


def analyze(text: str) -> list[Token]:
    """All terms of `text`, in order, with their spans in `text`."""
    folded = fold(text)
    tokens: list[Token] = []
    position = 0
    for run in CJK_RUN.finditer(folded):
        tokens.extend(_latin_tokens(folded, position, run.start()))
        tokens.extend(_cjk_tokens(run.group(), run.start()))
        position = run.end()
    tokens.extend(_latin_tokens(folded, position, len(folded)))
    return tokens


def _cjk_tokens(run: str, offset: int) -> list[Token]:
    tokens = []
    for word, start, end in RESOURCES.jieba().tokenize(run, mode="search"):
        if len(word) < 2 or word in vocabulary.ZH_STOPWORDS:
            continue
        term = RESOURCES.zh_concepts.get(word, word)
        tokens.append(Token(term, offset + start, offset + end, word))
    for i in range(len(run) - 1):
        pair = run[i : i + 2]
        if not (set(pair) & vocabulary.ZH_STOP_CHARS):
            tokens.append(Token(BIGRAM + pair, offset + i, offset + i + 2, pair))
    return tokens


def _latin_tokens(text: str, start: int, end: int) -> list[Token]:
    words = [(m.group(), m.start(), m.end()) for m in LATIN_WORD.finditer(text, start, end)]
    stems = [stem(w) for w, _, _ in words]
    tokens = []
    i = 0
    while i < len(words):
        last, concept = _phrase_at(words, stems, i)
        if concept is not None:
            tokens.append(
                Token(concept, words[i][1], words[last][2], text[words[i][1] : words[last][2]])
            )
            # The words keep their plain stems too ("rate" in "rate limit"), but not their
            # own synonyms: "sign" in "sign in" is not a signature.
            tokens.extend(
                Token(stems[j], words[j][1], words[j][2], words[j][0])
                for j in range(i, last + 1)
                if _is_word(words[j][0])
            )
            i = last + 1
            continue
        word, w_start, w_end = words[i]
        if _is_word(word):
            term = RESOURCES.en_concepts.get(stems[i], stems[i])
            tokens.append(Token(term, w_start, w_end, word))
        i += 1
    return tokens


def _is_word(word: str) -> bool:
    return word not in vocabulary.EN_STOPWORDS and (len(word) > 1 or word.isdigit())


def _phrase_at(
    words: list[tuple[str, int, int]], stems: list[str], i: int
) -> tuple[int, str | None]:
    """(index of the phrase's last word, concept) for a phrase starting at word i.

    Up to two stopwords may stand between a phrase's words ("delete my account").
    """
    best: tuple[int, str | None] = (i, None)
    for phrase, concept in RESOURCES.phrases_by_first.get(stems[i], ()):
        position, matched = i, 1
        while matched < len(phrase) and position + 1 < len(words):
            position += 1
            if stems[position] == phrase[matched]:
                matched += 1
            elif words[position][0] not in vocabulary.EN_STOPWORDS or position - i > 3:
                break
        if matched == len(phrase) and position > best[0]:
            best = (position, concept)
    return best


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English stem (Snowball); digits and mixed tokens such as trc20 stay as they are."""
    if not word.isalpha():
        return word
    return RESOURCES.stem(word)


def concept_of_word(word: str) -> str:
    """The term a single folded latin word is indexed as (used by typo correction)."""
    stemmed = stem(word)
    return RESOURCES.en_concepts.get(stemmed, stemmed)
