"""A guided form's answers become a ticket, through `ingest()` like every customer message.

The answers travel twice, both shielded:
- in the message text, as a readable block with labels in both languages (agents read
  it; the pipeline's shield step redacts it, records the findings and warns the customer);
- in the message metadata (`playbook` and `form.<field>`), for integrations and reports;
  redacted here with the same `redact_secrets`, since the pipeline stores metadata as given.
"""

from __future__ import annotations

from kefu.errors import Forbidden
from kefu.i18n import t
from kefu.ingest.draft import Receipt
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.playbooks.forms import Playbook
from kefu.services import Services
from kefu.shield import redact_secrets

FIELD_PREFIX = "form."
SUBJECT_FIELDS = ("lost", "amount", "asset", "order_id", "pair")


def check_may_file(playbook: Playbook, sender: Sender) -> None:
    """A large withdrawal is an account action: only an exchange-verified identity may ask."""
    if playbook.needs_verified and sender.trust is not Trust.VERIFIED:
        raise Forbidden("playbooks.needs_verified")


def file_playbook_ticket(
    services: Services,
    playbook: Playbook,
    sender: Sender,
    values: dict[str, str],
    *,
    channel: Channel,
    language: str,
    external_id: str | None,
    attachments: tuple[InboundAttachment, ...] = (),
) -> Receipt:
    """Open the ticket for checked `values` (see `check_answers`)."""
    check_may_file(playbook, sender)
    inbound = Inbound(
        channel=channel,
        sender=sender,
        subject=playbook_subject(playbook, values, language),
        body_text=readable_block(playbook, values),
        category=playbook.category,
        team=playbook.team,
        priority_floor=playbook.priority_floor,
        external_id=external_id,
        attachments=attachments if playbook.screenshots else (),
        metadata=shielded_metadata(playbook, values, language),
        tags=(playbook.key,),
    )
    return ingest(services, inbound)


def playbook_subject(playbook: Playbook, values: dict[str, str], language: str) -> str:
    params = {name: values.get(name, "") for name in SUBJECT_FIELDS}
    if params["lost"]:
        params["lost"] = t(f"playbooks.choice.lost.{params['lost']}", language)
    return t(f"playbooks.{playbook.key}.subject", language, **params)[:200]


def readable_block(playbook: Playbook, values: dict[str, str]) -> str:
    """The answers as lines an agent of either language reads at a glance."""
    lines = [_both(f"playbooks.{playbook.key}.title")]
    for spec in playbook.fields:
        value = values.get(spec.name)
        if value is None:
            continue
        shown = _both(f"playbooks.choice.{spec.name}.{value}") if spec.choices else value
        label = _both(f"playbooks.field.{spec.name}")
        lines.append(f"{label}:\n{shown}" if spec.kind == "textarea" else f"{label}: {shown}")
    return "\n".join(lines)


def shielded_metadata(playbook: Playbook, values: dict[str, str], language: str) -> dict[str, str]:
    metadata = {"playbook": playbook.slug}
    for name, value in values.items():
        metadata[FIELD_PREFIX + name] = redact_secrets(value, language).text
    return metadata


def _both(key: str) -> str:
    zh, en = t(key, "zh-Hans"), t(key, "en")
    return zh if zh == en else f"{zh} | {en}"
