"""`MemoryIndex`: BM25F over analysed terms, held in process. See `SearchIndex`.

Each article language version is one document with four fields; a term's frequency is
weighted per field (title and tags count most) and length-normalised per field (BM25F).
An article scores as its best language version, the asked language preferred.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kefu.kb.search.analyzer import CJK_RUN, Token, analyze, fold
from kefu.kb.search.index import Hit, IndexedArticle, IndexedTranslation, Suggestion
from kefu.kb.search.snippets import best_snippet, mark, mostly_cjk
from kefu.kb.search.typos import TypoIndex

K1 = 1.2
# Body and summary are ranked by BM25F: field weight, length normalisation b.
CONTENT_FIELDS = {"summary": (1.5, 0.5), "body": (1.0, 0.75)}
# A query term in the title or the tags adds a fixed boost (times its idf): a title that
# names the problem beats an article that mentions it often.
TITLE_BOOST = 2.0
TAGS_BOOST = 1.5
BIGRAM_WEIGHT = 0.35  # a CJK bigram is weaker evidence than a whole word
OTHER_LANGUAGE = 0.9  # an article found through its other language ranks a little lower
COVERAGE = 0.4  # share of the score that depends on how much of the query is matched
MIN_RELATIVE_SCORE = 0.2  # hits far below the best one are noise, not answers


@lru_cache(maxsize=32768)
def _analyzed(text: str) -> tuple[Token, ...]:
    # Rebuilding after one edit re-analyses only what changed.
    return tuple(analyze(text))


def clear_analysis_cache() -> None:
    """Forget analysed lines (the benchmark measures snippets without their help)."""
    _analyzed.cache_clear()


def _analyzed_lines(text: str) -> list[Token]:
    """Line by line (cached per line), with positions in the whole text."""
    tokens: list[Token] = []
    offset = 0
    for line in text.split("\n"):
        tokens.extend(
            Token(t.term, t.start + offset, t.end + offset, t.surface) for t in _analyzed(line)
        )
        offset += len(line) + 1
    return tokens


@dataclass
class _Document:
    article: IndexedArticle
    translation: IndexedTranslation
    fields: dict[str, Sequence[Token]]
    title_folded: str = ""
    tags_folded: tuple[str, ...] = ()
    lengths: dict[str, int] = field(default_factory=dict)
    # term -> its tokens, for snippets of the body and the summary
    positions: dict[str, dict[str, list[Token]]] = field(default_factory=dict)
    cjk: bool = False

    @property
    def language(self) -> str:
        return self.translation.language


class MemoryIndex:
    """See `SearchIndex`."""

    def __init__(self, articles: Iterable[IndexedArticle]) -> None:
        self.documents = [_document(a, t) for a in articles for t in a.translations]
        self._versions = {
            (d.article.article_id, d.language): i for i, d in enumerate(self.documents)
        }
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._idf: dict[str, float] = {}
        self._build_postings()
        surfaces = Counter(
            t.surface for d in self.documents for tokens in d.fields.values() for t in tokens
        )
        self._typos = TypoIndex({s: n for s, n in surfaces.items() if s.isascii()})

    def _build_postings(self) -> None:
        averages = {
            name: sum(d.lengths[name] for d in self.documents) / max(1, len(self.documents))
            for name in CONTENT_FIELDS
        }
        for index, document in enumerate(self.documents):
            for term, weight in _term_factors(document, averages).items():
                self._postings.setdefault(term, []).append((index, weight))
        total = len(self.documents)
        for term, postings in self._postings.items():
            n = len(postings)
            self._idf[term] = math.log(1 + (total - n + 0.5) / (n + 0.5))

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, language: str, limit: int = 10) -> list[Hit]:
        weights = self.query_terms(query)
        return [
            self._hit(self.documents[index], score, language, weights)
            for score, index in self._ranked(weights, language)[:limit]
        ]

    def _ranked(self, weights: dict[str, float], language: str) -> list[tuple[float, int]]:
        """(score, document index) per matching article, best first, noise cut off."""
        if not weights:
            return []
        best: dict[int, tuple[float, int]] = {}  # article_id -> (score, document index)
        for index, score in self._scores(weights).items():
            document = self.documents[index]
            score *= 1.0 if document.language == language else OTHER_LANGUAGE
            article_id = document.article.article_id
            if article_id not in best or score > best[article_id][0]:
                best[article_id] = (score, index)
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))
        floor = ranked[0][0] * MIN_RELATIVE_SCORE if ranked else 0.0
        return [item for item in ranked if item[0] >= floor]

    def query_terms(self, query: str) -> dict[str, float]:
        """Query term → weight: words 1, CJK bigrams and typo corrections less."""
        weights: dict[str, float] = {}
        for token in analyze(self._typos.correct(fold(query[:200]))):
            weight = BIGRAM_WEIGHT if token.is_bigram else 1.0
            weights[token.term] = max(weights.get(token.term, 0.0), weight)
        return {term: w for term, w in weights.items() if term in self._postings}

    def _scores(self, weights: dict[str, float]) -> dict[int, float]:
        scores: dict[int, float] = {}
        covered: dict[int, float] = {}
        total = 0.0
        for term, weight in weights.items():
            idf = self._idf[term] * weight
            total += idf
            for index, factor in self._postings[term]:
                scores[index] = scores.get(index, 0.0) + idf * factor
                covered[index] = covered.get(index, 0.0) + idf
        # Matching all of the query beats matching one part of it very often.
        return {i: s * (1 - COVERAGE + COVERAGE * covered[i] / total) for i, s in scores.items()}

    def _hit(self, found: _Document, score: float, language: str, terms: dict[str, float]) -> Hit:
        shown = self._shown_version(found, language)
        return Hit(
            article_id=shown.article.article_id,
            slug=shown.article.slug,
            title=shown.translation.title,
            category=shown.article.category,
            score=round(score, 4),
            snippet=_snippet(shown, terms),
            language=shown.language,
        )

    def _shown_version(self, found: _Document, language: str) -> _Document:
        index = self._versions.get((found.article.article_id, language))
        return found if index is None else self.documents[index]

    # -- suggestions ----------------------------------------------------------------------

    def suggest(self, query: str, language: str, limit: int = 6) -> list[Suggestion]:
        pieces = fold(query[:100]).split()
        if not pieces:
            return []
        ranked: list[tuple[float, int, _Document]] = []
        for document in self._documents_in(language):
            value = prefix_match(document.title_folded, document.tags_folded, pieces)
            if value > 0:
                ranked.append((value, len(document.translation.title), document))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        result = [_suggestion(d) for _, _, d in ranked[:limit]]
        seen = {s.slug for s in result}
        for _, index in self._ranked(self.query_terms(query), language):
            if len(result) >= limit:
                break
            shown = self._shown_version(self.documents[index], language)
            if shown.article.slug not in seen:
                seen.add(shown.article.slug)
                result.append(_suggestion(shown))
        return result

    def _documents_in(self, language: str) -> list[_Document]:
        """One version per article: the asked language, else the other one."""
        chosen: dict[int, _Document] = {}
        for document in self.documents:
            current = chosen.get(document.article.article_id)
            if current is None or (document.language == language != current.language):
                chosen[document.article.article_id] = document
        return list(chosen.values())


def analysed_fields(translation: IndexedTranslation) -> dict[str, Sequence[Token]]:
    """The four fields of an article version as terms: what every index stores."""
    return {
        "title": _analyzed(translation.title),
        "tags": [token for tag in translation.tags for token in _analyzed(tag)],
        "summary": _analyzed(translation.summary),
        "body": _analyzed_lines(translation.body_text),
    }


def line_terms(text: str) -> tuple[str, str]:
    """(terms, spans) of `text`, one line each per line of text: the terms space-separated,
    and for each term its "start:end" in its line. Stored, they make snippets without
    analysing the text again (`snippet_for`)."""
    lines = [_analyzed(line) for line in text.split("\n")]
    terms = "\n".join(" ".join(t.term for t in tokens) for tokens in lines)
    spans = "\n".join(" ".join(f"{t.start}:{t.end}" for t in tokens) for tokens in lines)
    return terms, spans


def snippet_for(
    translation: IndexedTranslation,
    terms: Sequence[str],
    body_terms: tuple[str, str] | None = None,
) -> str:
    """The snippet `MemoryIndex` shows for this version and these query terms.

    `body_terms`: `line_terms(translation.body_text)`, when stored; the body is then not
    analysed again. The snippet is the same.
    """
    rank = {term: i for i, term in enumerate(terms)}
    if body_terms is None:
        body_terms = line_terms(translation.body_text)
    cjk = mostly_cjk(translation.body_text or translation.title)
    body = _stored_matches(translation.body_text, rank, *body_terms)
    if body:
        return _best_snippet(translation.body_text, body, rank, cjk)
    summary = [t for t in _analyzed(translation.summary) if t.term in rank]
    if summary:
        return _best_snippet(translation.summary, summary, rank, cjk)
    return mark(translation.summary, 0, len(translation.summary), ())


def _best_snippet(text: str, matches: list[Token], rank: dict[str, int], cjk: bool) -> str:
    matches.sort(key=lambda t: (t.start, rank[t.term]))  # the order `_snippet` gives them
    snippet = best_snippet(text, matches, cjk)
    assert snippet is not None  # there are matches
    return snippet


def _stored_matches(text: str, rank: dict[str, int], terms: str, spans: str) -> list[Token]:
    """Tokens of `text` whose term is in `rank`, from its stored terms and spans."""
    matches: list[Token] = []
    offset = 0
    for line, line_terms_, line_spans in zip(
        text.split("\n"), terms.split("\n"), spans.split("\n"), strict=True
    ):
        if not rank.keys().isdisjoint(line_terms_.split()):
            for term, span in zip(line_terms_.split(), line_spans.split(), strict=True):
                if term in rank:
                    start, end = span.split(":")
                    matches.append(Token(term, offset + int(start), offset + int(end), term))
        offset += len(line) + 1
    return matches


def _document(article: IndexedArticle, translation: IndexedTranslation) -> _Document:
    fields = analysed_fields(translation)
    return _Document(
        article=article,
        translation=translation,
        fields=fields,
        title_folded=fold(translation.title),
        tags_folded=tuple(fold(tag) for tag in translation.tags),
        lengths={name: len(tokens) for name, tokens in fields.items()},
        positions={name: _by_term(fields[name]) for name in ("body", "summary")},
        cjk=mostly_cjk(translation.body_text or translation.title),
    )


def _by_term(tokens: Sequence[Token]) -> dict[str, list[Token]]:
    grouped: dict[str, list[Token]] = {}
    for token in tokens:
        grouped.setdefault(token.term, []).append(token)
    return grouped


def _term_factors(document: _Document, averages: dict[str, float]) -> dict[str, float]:
    """Per term, what it contributes to this document's score before its idf."""
    frequencies: dict[str, float] = {}
    for name, (weight, b) in CONTENT_FIELDS.items():
        norm = 1 - b + b * document.lengths[name] / max(1.0, averages[name])
        for term, count in Counter(t.term for t in document.fields[name]).items():
            frequencies[term] = frequencies.get(term, 0.0) + weight * count / norm
    factors = {term: tf * (K1 + 1) / (tf + K1) for term, tf in frequencies.items()}
    for name, boost in (("title", TITLE_BOOST), ("tags", TAGS_BOOST)):
        for term in {t.term for t in document.fields[name]}:
            factors[term] = factors.get(term, 0.0) + boost
    return factors


def _snippet(document: _Document, terms: dict[str, float]) -> str:
    translation = document.translation
    for name, text in (("body", translation.body_text), ("summary", translation.summary)):
        positions = document.positions[name]
        matches = sorted(
            (t for term in terms for t in positions.get(term, ())), key=lambda t: t.start
        )
        snippet = best_snippet(text, matches, document.cjk)
        if snippet is not None:
            return snippet
    return mark(translation.summary, 0, len(translation.summary), ())


def prefix_match(title: str, tags: Iterable[str], pieces: list[str]) -> float:
    """How well typed pieces match the folded title (best) or tags; 0 when they do not."""
    if all(_piece_in(piece, title) for piece in pieces):
        return 3.0 if title.startswith(pieces[0]) else 2.0
    for tag in tags:
        if all(_piece_in(piece, tag) for piece in pieces):
            return 1.5
    return 0.0


def _piece_in(piece: str, text: str) -> bool:
    """CJK: anywhere in the text. Latin: the start of a word."""
    if CJK_RUN.search(piece):
        return piece in text
    return re.search(r"(?<![a-z0-9])" + re.escape(piece), text) is not None


def _suggestion(document: _Document) -> Suggestion:
    return Suggestion(
        slug=document.article.slug,
        title=document.translation.title,
        category=document.article.category,
        language=document.language,
    )
