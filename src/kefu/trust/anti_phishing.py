"""The customer's anti-phishing code: shown at the top of every email kefu sends them.

`kefu.channels.email.compose` puts it in the mail; this module only sets it.
"""

from __future__ import annotations

import re

from kefu.audit import Actor, record_event
from kefu.errors import Forbidden, UserError
from kefu.ingest.inbound import Sender, Trust
from kefu.ingest.steps.identify import find_or_create_customer
from kefu.services import Services
from kefu.store.models import Customer

# Letters (any script) and digits; no spaces or symbols that mail clients might mangle.
CODE_PATTERN = re.compile(r"^[^\W_]{4,20}$")


def set_anti_phishing_code(services: Services, sender: Sender, code: str, language: str) -> None:
    """Only a verified customer may set it: whoever sets it decides what "genuine" looks like."""
    if sender.trust is not Trust.VERIFIED:
        raise Forbidden("trust.needs_verification")
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise UserError("trust.anti_phishing_invalid", code="validation_error")
    with services.db.write() as session:
        ref = find_or_create_customer(session, sender, sender.language or language)
        customer = session.get(Customer, ref.id)
        assert customer is not None, "found or created just now, in this transaction"
        changed = customer.anti_phishing_code is not None
        customer.anti_phishing_code = code
        session.flush()
        # Never the code itself: the audit log is read by agents.
        record_event(
            session,
            "customer.anti_phishing_code_set",
            Actor("customer", customer.id),
            replaced=changed,
        )
