"""One module per kind of secret; each exposes `find(scan) -> list[Finding]`."""
