"""The support mailboxes kefu receives mail for, and the team and priority each routes to.

Configured as `KEFU_EMAIL_MAILBOXES` entries "local[@domain]=team:priority"; a bare local
part takes the deployment's domain (`KEFU_EMAIL_DOMAIN`, else the domain of
`KEFU_MAIL_FROM`). An empty team means "route by the guessed category".
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from kefu.settings import Settings, SettingsError
from kefu.tickets.status import Priority


@dataclass(frozen=True)
class Mailbox:
    address: str  # lower case
    team: str | None
    priority: str


@dataclass(frozen=True)
class Mailboxes:
    """All configured mailboxes, in configuration order."""

    boxes: tuple[Mailbox, ...]
    domain: str
    mail_from: str  # the address outgoing mail is sent from

    def find(self, address: str) -> Mailbox | None:
        wanted = _bare(address)
        return next((box for box in self.boxes if box.address == wanted), None)

    def choose(self, recipients: list[str] | tuple[str, ...]) -> Mailbox:
        """The mailbox a message to several of ours belongs to: the most urgent, then first."""
        found = [box for box in map(self.find, recipients) if box is not None]
        if not found:
            return self.boxes[0]
        return max(found, key=lambda box: _PRIORITY_RANK[box.priority])

    def is_ours(self, address: str) -> bool:
        """True for our mailboxes and our sender address: mail we must never answer."""
        bare = _bare(address)
        return bool(bare) and (bare == self.mail_from or self.find(bare) is not None)


_PRIORITY_RANK = {p.value: rank for rank, p in enumerate(Priority)}


def load_mailboxes(settings: Settings) -> Mailboxes:
    """The mailboxes from settings; raises SettingsError naming a malformed entry."""
    mail_from = _bare(parseaddr(settings.mail_from)[1])
    domain = (settings.email_domain or mail_from.rpartition("@")[2] or "kefu.local").lower()
    problems: list[str] = []
    boxes: list[Mailbox] = []
    for entry in settings.email_mailboxes:
        box = _parse_entry(entry, domain)
        if box is None:
            problems.append(
                f"KEFU_EMAIL_MAILBOXES: {entry!r} is not local[@domain]=team:priority "
                f"(priority one of {', '.join(_PRIORITY_RANK)})"
            )
        else:
            boxes.append(box)
    if not boxes and not problems:
        problems.append("KEFU_EMAIL_MAILBOXES: configure at least one mailbox")
    if problems:
        raise SettingsError(problems)
    return Mailboxes(tuple(boxes), domain, mail_from)


def _parse_entry(entry: str, domain: str) -> Mailbox | None:
    address, _, route = entry.partition("=")
    team, _, priority = route.partition(":")
    address = address.strip().lower()
    if not address or " " in address:
        return None
    if "@" not in address:
        address = f"{address}@{domain}"
    priority = priority.strip() or "normal"
    if priority not in _PRIORITY_RANK:
        return None
    return Mailbox(address, team.strip() or None, priority)


def _bare(address: str) -> str:
    return address.strip().strip("<>").lower()
