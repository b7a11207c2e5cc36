"""`kefu shield [--jsonl]`: redact secrets from text on stdin, print JSON."""

from __future__ import annotations

import json
from typing import TextIO

from kefu.shield.redact import Redacted, redact_secrets


def run_shield_cli(stdin: TextIO, stdout: TextIO, *, jsonl: bool) -> int:
    if not jsonl:
        stdout.write(_dump(redact_secrets(stdin.read())) + "\n")
        return 0
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(_one_line(line) + "\n")
    return 0


def _one_line(line: str) -> str:
    try:
        item = json.loads(line)
        text, language = item["text"], item.get("language", "en")
        if not isinstance(text, str):
            raise TypeError("text must be a string")
    except (ValueError, KeyError, TypeError) as exc:
        return json.dumps({"error": f"bad input line: {type(exc).__name__}"})
    return _dump(redact_secrets(text, str(language)))


def _dump(result: Redacted) -> str:
    findings = [{"kind": f.kind, "start": f.start, "end": f.end} for f in result.findings]
    return json.dumps({"text": result.text, "findings": findings}, ensure_ascii=False)
