"""Emailing active admins when an unusual-access alert is raised (an outbox job)."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from kefu.channels.email.send import SendError, send_email
from kefu.i18n import t
from kefu.jobs.worker import PermanentJobError
from kefu.services import Services
from kefu.store.models import AccessAlert, Agent


def send_alert_email(services: Services, payload: dict[str, object]) -> None:
    """One message to every active admin, in both languages (no customer data in it)."""
    with services.db.read() as session:
        alert = session.get(AccessAlert, int(str(payload["alert_id"])))
        if alert is None:
            raise PermanentJobError("alert not found")
        admins = list(
            session.scalars(select(Agent.email).where(Agent.is_active, Agent.role == "admin"))
        )
        params = {"viewer": alert.viewer, "count": alert.distinct_customers}
    if not admins:
        return
    url = f"{services.settings.public_base_url}/agent/admin/insider"
    message = EmailMessage()
    message["From"] = services.settings.mail_from
    message["To"] = ", ".join(admins)
    message["Subject"] = (
        f"{t('insider.alert_subject', 'zh-Hans')} / {t('insider.alert_subject', 'en')}"
    )
    body = [t("insider.alert_body", lang, url=url, **params) for lang in ("zh-Hans", "en")]
    message.set_content("\n\n".join(body))
    try:
        send_email(services.settings, message)
    except SendError as exc:
        if exc.permanent:
            raise PermanentJobError(str(exc)) from None
        raise
