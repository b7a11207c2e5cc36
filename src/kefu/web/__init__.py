"""The thin web layer: REST API v1, server-rendered pages. No business rules here."""
