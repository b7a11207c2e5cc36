"""Who is calling: agents (argon2 + TOTP), customers (signed tokens, magic links), API tokens."""
