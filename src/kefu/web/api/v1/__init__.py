"""REST API v1: the contract exchanges integrate against. Keep it stable."""
