"""Storing a checked attachment: the bytes in the file store, the row on the message."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kefu.shield.attachments import AttachmentVerdict
from kefu.store.files import FileStore
from kefu.store.models import Attachment


def store_attachment(
    session: Session,
    files: FileStore,
    message_id: int,
    filename: str,
    verdict: AttachmentVerdict,
    content_id: str | None = None,
) -> Attachment:
    """Keep what the shield let through; a refused file is still listed, with its reason."""
    key, digest = files.save(verdict.data) if verdict.data else ("", "")
    attachment = Attachment(
        message_id=message_id,
        filename=filename[:255],
        content_type=verdict.content_type[:100],
        size=len(verdict.data),
        sha256=digest,
        storage_key=key,
        status=verdict.status,
        reason=verdict.reason,
        content_id=content_id,
    )
    session.add(attachment)
    return attachment
