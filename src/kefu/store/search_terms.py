"""Search terms for message text, the same on SQLite and PostgreSQL.

Chinese has no spaces between words, so each run of Han characters becomes its
overlapping character pairs (合约被强平 → 合约 约被 被强 强平) and each run of Latin
letters and digits becomes one lowercase word. A query is turned into terms the same way
and matched as a phrase, so "强平", "被强平" and "USDT充值" all find what they should.
The database computes the terms itself (SQLite: a function registered on each
connection, used by triggers; PostgreSQL: the same function in PL/pgSQL, used by an
expression index), so every write path is covered.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def message_terms(text: str | None) -> str:
    terms: list[str] = []
    for run in _RUNS.findall((text or "").lower()):
        if _HAN.match(run) and len(run) > 1:
            terms += [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            terms.append(run)
    return " ".join(terms)


@lru_cache(maxsize=1024)
def cached_terms(text: str | None) -> str:
    """`message_terms`, remembered: what SQLite's triggers call. Intake computes the
    terms of a new message before its write transaction (`warm`), so the trigger, which
    runs while the database's write lock is held, only looks them up."""
    return message_terms(text)


def warm(*texts: str) -> None:
    for text in texts:
        cached_terms(text)


def fts5_phrase(query: str) -> str | None:
    """The FTS5 phrase for `query`, or None when it has no searchable term."""
    terms = message_terms(query)
    return f'"{terms}"' if terms else None


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
