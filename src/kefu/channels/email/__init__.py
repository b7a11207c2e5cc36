"""Email channel: parsing, reply stripping, sending (docs/subsystems/email-parsing.md)."""
