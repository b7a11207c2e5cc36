"""Building the emails kefu sends customers, in their language.

Every one carries the customer's anti-phishing code in the same place, first line of
the body (or says plainly that none is set), and the "we will never ask" line.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from kefu.i18n import t


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    anti_phishing_code: str | None


def compose(
    sender: str,
    recipient: Recipient,
    subject: str,
    paragraphs: list[str],
    *,
    message_id_domain: str = "kefu.local",
    references: list[str] | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    lang = recipient.language
    phishing_line = (
        t("mail.anti_phishing", lang, code=recipient.anti_phishing_code)
        if recipient.anti_phishing_code
        else t("mail.anti_phishing_missing", lang)
    )
    body = [phishing_line, "", *paragraphs, "", "—", t("mail.never_ask", lang)]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = str(Address(display_name=recipient.name or "", addr_spec=recipient.email))
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid("kefu", domain=message_id_domain)
    message["Auto-Submitted"] = "auto-generated" if references is None else "auto-replied"
    if references:
        message["In-Reply-To"] = references[-1]
        message["References"] = " ".join(references)
    message.set_content("\n".join(body))
    message.add_alternative(_html(phishing_line, paragraphs, t("mail.never_ask", lang)), "html")
    return message


def _html(phishing_line: str, paragraphs: list[str], footer: str) -> str:
    banner = (
        '<p style="padding:8px 12px;background:#fff7e0;border:1px solid #f0c36d;'
        f'font-weight:bold">{escape(phishing_line)}</p>'
    )
    body = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<html><body>{banner}{body}<hr><p style="color:#666">{escape(footer)}</p></body></html>'
