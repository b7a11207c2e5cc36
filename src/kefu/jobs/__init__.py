"""Durable jobs: the outbox (enqueue in the caller's transaction) and its worker."""
