"""A team's id by its slug."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.store.models import Team

_CACHE_KEY = "kefu.team_ids"


def team_id(session: Session, slug: str | None) -> int | None:
    """The id of the team called `slug`, or None. Found ids are remembered per database
    connection (a team's id never changes), so intake does not look them up every time."""
    if not slug:
        return None
    known: dict[str, int] = session.connection().info.setdefault(_CACHE_KEY, {})
    found = known.get(slug)
    if found is None:
        found = session.scalar(select(Team.id).where(Team.slug == slug))
        if found is not None:
            known[slug] = found
    return found
