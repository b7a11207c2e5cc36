"""Trust and security: official-channel verification, emergency freeze, anti-phishing code.

See docs/subsystems/trust.md.
"""
