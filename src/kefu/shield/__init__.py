"""Secret shield: redaction before anything is stored. See docs/shield.md."""

from kefu.shield.redact import Finding, Redacted, find_secrets, redact_secrets

__all__ = ["Finding", "Redacted", "find_secrets", "redact_secrets"]
