"""`kefu shield`: redact stdin for admins and audits. See docs/shield.md."""

from __future__ import annotations

import json
from typing import Any, TextIO

from kefu.shield.redact import Redacted, redact_secrets


def run_shield_cli(stdin: TextIO, stdout: TextIO, jsonl: bool, language: str = "en") -> int:
    """Print the redacted text and findings as JSON; with `jsonl`, one result per input line."""
    if not jsonl:
        _write(stdout, _result(redact_secrets(stdin.read(), language)))
        return 0
    for line in stdin:
        _write(stdout, _line_result(line, language))
    return 0


def _line_result(line: str, default_language: str) -> dict[str, Any]:
    """The result for one input line; errors never repeat the input (it may be a secret)."""
    try:
        item = json.loads(line)
    except ValueError:
        return {"error": "line is not valid JSON"}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return {"error": "expected an object with a string field 'text'"}
    language = item.get("language", default_language)
    if not isinstance(language, str):
        return {"error": "field 'language' must be a string"}
    return _result(redact_secrets(item["text"], language))


def _result(redacted: Redacted) -> dict[str, Any]:
    return {
        "text": redacted.text,
        "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in redacted.findings],
    }


def _write(stdout: TextIO, result: dict[str, Any]) -> None:
    stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
