"""Persistence: engine and sessions (db.py), models (models/), migrations (migrations/)."""
