"""Search terms for ticket subjects and message text, the same on SQLite and PostgreSQL.

**Stored terms** (every message, so they must stay cheap: no jieba). The text is folded
the help center's way, one character at a time (full-width → half-width, lower case,
Traditional → Simplified: 帳戶 → 账户); then each run of Han characters becomes its
overlapping character pairs (合约被强平 → 合约 约被 被强 强平) and each run of Latin letters
and digits one word, stemmed with the help center's English stemmer (withdrawals →
withdraw).

**A query** becomes the same terms, in *parts* that must all occur in one text. A stretch
of terms that spells a member of one of the help center's synonym groups (提现, withdrawal,
谷歌验证, "sign in" …) is a part of its own that any member of the group satisfies (提现 finds
提币 and "withdrawal"); the rest stays phrases ("USDT充值" → usdt AND (充值 OR 充币 OR deposit
OR "top up" …)). Only whole members count, longest first: "sign in" is a login, not a
signature.

**Where terms are computed.** SQLite: `kefu_terms`, registered on each connection
(store/db.py), fills contentless FTS5 tables from triggers. PostgreSQL runs no Python, and
its own Snowball stemmer is an older version that stems differently (added → "ad", ours
"add"), so the terms are computed in Python there too: triggers mark new and changed rows
in `message_terms`/`subject_terms` (terms NULL), and kefu fills them in the same
transaction when it commits one that wrote messages or tickets (`index_on_commit`). Rows
written by anything else are filled at kefu's next such commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy import text as sql

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_FIRST_HAN = "\u3400"  # runs starting at or above this are Han, below it Latin

Phrase = tuple[str, ...]  # terms that must stand next to each other
Part = tuple[Phrase, ...]  # alternatives: a text holding any one of them has the part


@cache
def _analyzer() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """The help center's per-character fold and stemmer. Bound on first use: the
    kb.search package imports the services, which import this module."""
    from kefu.kb.search.analyzer import fold_chars, stem

    return fold_chars, stem


def message_terms(text: str | None) -> str:
    """The stored terms of `text`, space-separated, in order."""
    fold, stem = _analyzer()
    terms: list[str] = []
    for run in _RUNS.findall(fold(text or "")):
        if run[0] < _FIRST_HAN:
            terms.append(stem(run))
        else:
            terms += _han_terms(run)
    return " ".join(terms)


def _run_terms(run: str, stem: Callable[[str], str]) -> list[str]:
    return [stem(run)] if run[0] < _FIRST_HAN else _han_terms(run)


def _han_terms(run: str) -> list[str]:
    return list(map(str.__add__, run, run[1:])) if len(run) > 1 else [run]


_REMEMBERED: dict[str, str] = {}
_REMEMBER_AT_MOST = 1024
Remembered = tuple[tuple[str, str], ...]  # (text, its terms)


def cached_terms(text: str | None) -> str:
    """`message_terms`, remembered: what SQLite's triggers call. Intake computes the
    terms of a new message before its write transaction (`warm`), so the trigger, which
    runs while the database's write lock is held, only looks them up."""
    if text is None:
        return ""
    terms = _REMEMBERED.get(text)
    if terms is None:
        terms = message_terms(text)
        remember(((text, terms),))
    return terms


def warm(*texts: str) -> Remembered:
    """Compute and remember the terms of `texts`; the pairs, for `remember` in another
    process (a bulk import prepares messages in reader processes, one process writes)."""
    return tuple((text, cached_terms(text)) for text in texts)


def remember(pairs: Remembered) -> None:
    if len(_REMEMBERED) >= _REMEMBER_AT_MOST:
        _REMEMBERED.clear()  # atomic, unlike evicting one by one; a miss only recomputes
    _REMEMBERED.update(pairs)


# --- queries ---------------------------------------------------------------------------


def query_parts(query: str) -> list[Part]:
    """The parts a text must all hold to match `query` (see the module's docstring)."""
    fold, stem = _analyzer()
    terms = [
        (term, run)
        for run, piece in enumerate(_RUNS.findall(fold(query)))
        for term in _run_terms(piece, stem)
    ]
    parts: list[Part] = []
    plain: list[str] = []
    i = 0
    while i < len(terms):
        found = _synonym_at([t for t, _ in terms], i)
        if found is None:
            plain.append(terms[i][0])
            i += 1
            continue
        end, group = found
        if plain and i > 0 and terms[i - 1][1] == terms[i][1]:
            plain.pop()  # the pair across the member's first character is not the text's
        if plain:
            parts.append((tuple(plain),))
        parts.append(group)
        plain = []
        i = end + 1 if end < len(terms) and terms[end][1] == terms[end - 1][1] else end
    if plain:
        parts.append((tuple(plain),))
    return parts


def _synonym_at(terms: list[str], i: int) -> tuple[int, Part] | None:
    """(end, the group's members) for the longest member spelled by terms[i:end]."""
    for member, group in _members_by_first_term().get(terms[i], ()):
        if tuple(terms[i : i + len(member)]) == member:
            return i + len(member), group
    return None


@cache
def _members_by_first_term() -> dict[str, list[tuple[Phrase, Part]]]:
    """The help center's synonym groups as stored terms, by first term, longest first."""
    from kefu.kb.search.vocabulary import SYNONYMS  # see `_analyzer` for why here

    index: dict[str, list[tuple[Phrase, Part]]] = {}
    for members in SYNONYMS:
        phrases = list(dict.fromkeys(p for p in map(_phrase, members) if p))
        group = tuple(p for p in phrases if not any(_holds(p, q) for q in phrases if q != p))
        for member in phrases:
            index.setdefault(member[0], []).append((member, group))
    for candidates in index.values():
        candidates.sort(key=lambda entry: -len(entry[0]))
    return index


def _holds(phrase: Phrase, inner: Phrase) -> bool:
    """`inner` stands in `phrase` (so a text holding `phrase` already has `inner`)."""
    size = len(inner)
    return any(phrase[i : i + size] == inner for i in range(len(phrase) - size + 1))


def _phrase(text: str) -> Phrase:
    return tuple(message_terms(text).split())


def fts5_query(parts: list[Part]) -> str:
    """SQLite FTS5: `"usdt" AND ("充值" OR "充币" OR "top up")`."""
    return " AND ".join(_either(part, " OR ", lambda p: f'"{" ".join(p)}"') for part in parts)


def tsquery(parts: list[Part]) -> str:
    """PostgreSQL `to_tsquery('simple', …)`: `usdt & (充值 | 充币 | top <-> up)`."""
    return " & ".join(_either(part, " | ", " <-> ".join) for part in parts)


def _either(part: Part, joiner: str, phrase: Callable[[Phrase], str]) -> str:
    alternatives = joiner.join(phrase(p) for p in part)
    return alternatives if len(part) == 1 else f"({alternatives})"


# --- PostgreSQL: terms computed by kefu on commit ---------------------------------------

_WRITES = re.compile(r"\s*(?:INSERT INTO|UPDATE) (?:messages|tickets)\b", re.IGNORECASE)
_STALE = "kefu_search_terms_stale"
# Rows marked by the triggers, a batch at a time. SKIP LOCKED: a transaction filling the
# same rows (ones written outside kefu) would only compute the same terms.
_STALE_ROWS = sql("""
WITH messages_stale AS (
  SELECT 'message_terms' AS terms_table, t.id, m.body_text AS text
  FROM message_terms t JOIN messages m ON m.id = t.id WHERE t.terms IS NULL
  ORDER BY t.id LIMIT 2000 FOR UPDATE OF t SKIP LOCKED
), subjects_stale AS (
  SELECT 'subject_terms' AS terms_table, t.id, k.subject AS text
  FROM subject_terms t JOIN tickets k ON k.id = t.id WHERE t.terms IS NULL
  ORDER BY t.id LIMIT 2000 FOR UPDATE OF t SKIP LOCKED
)
SELECT * FROM messages_stale UNION ALL SELECT * FROM subjects_stale
""")
_FILL = {
    table: sql(
        f"UPDATE {table} AS t SET terms = to_tsvector('simple', v.terms) "  # noqa: S608
        "FROM unnest(CAST(:ids AS integer[]), CAST(:terms AS text[])) AS v(id, terms) "
        "WHERE t.id = v.id"
    )
    for table in ("message_terms", "subject_terms")
}


def index_on_commit(engine: Engine) -> None:
    """PostgreSQL: fill the stale terms before every commit of a transaction that wrote
    messages or tickets (the triggers of migration search_0003 mark them)."""

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.info[_STALE] = False

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if _WRITES.match(statement):
            connection.info[_STALE] = True

    @event.listens_for(engine, "commit")
    def _commit(connection: Connection) -> None:
        if connection.info.pop(_STALE, False):
            fill_stale_terms(connection)


def fill_stale_terms(connection: Connection) -> int:
    """Compute the terms of every row marked stale; the number of rows filled."""
    filled = 0
    while batch := connection.execute(_STALE_ROWS).all():
        for table, statement in _FILL.items():
            rows = [(row_id, text) for source, row_id, text in batch if source == table]
            if rows:
                ids, texts = zip(*rows, strict=True)
                terms = [cached_terms(text) for text in texts]
                connection.execute(statement, {"ids": list(ids), "terms": terms})
        filled += len(batch)
    return filled


# The first version's function (migration search_0001, and search_0003's downgrade).
POSTGRES_FUNCTION = r"""
CREATE OR REPLACE FUNCTION kefu_terms(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  run text;
  terms text[] := '{}';
  i int;
BEGIN
  FOR run IN
    SELECT m[1] FROM regexp_matches(lower(coalesce(input, '')),
      '([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+)', 'g') AS m
  LOOP
    IF run ~ '^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]' AND length(run) > 1 THEN
      FOR i IN 1..length(run) - 1 LOOP
        terms := terms || substr(run, i, 2);
      END LOOP;
    ELSE
      terms := terms || run;
    END IF;
  END LOOP;
  RETURN array_to_string(terms, ' ');
END
$$
"""
