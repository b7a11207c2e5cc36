"""The bot answers "is this really you?" with the official-channel verifier (issue #9)."""

from __future__ import annotations

import re

from kefu.i18n import t
from kefu.services import Services
from kefu.trust.registry import load_registry
from kefu.trust.verifier import Status, verify

ASKS_IF_OFFICIAL = re.compile(
    r"官方|官网|是不是你们|是你们的|真的吗|真假|钓鱼|骗子|诈骗|"
    r"\bofficial\b|\blegit\b|\breal\b|\bfake\b|\bscam\b|phishing|is this (?:you|yours)",
    re.IGNORECASE,
)


def answer_if_official_question(services: Services, text: str, language: str) -> str | None:
    """A verdict in `language` when the text asks about an identity it contains, else None."""
    if not ASKS_IF_OFFICIAL.search(text):
        return None
    # The bot runs inside the chat's write transaction: read the registry, never seed it.
    verdict = verify(text, load_registry(services, seed=False))
    if verdict.status is Status.UNKNOWN:
        return None
    status = t(f"trust.status.{verdict.status.value}", language)
    real = (
        t("bot.official_real", language, real=verdict.matched_official)
        if verdict.matched_official and verdict.status is not Status.OFFICIAL
        else ""
    )
    url = f"{services.settings.public_base_url}/verify"
    return t(
        "bot.official_answer", language, what=verdict.normalized, status=status, real=real, url=url
    )
