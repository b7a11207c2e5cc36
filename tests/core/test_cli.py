"""The `kefu` command, run as a user runs it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.shield.log_filter import SecretLogFilter


def kefu(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kefu", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_shield_prints_redacted_text_and_findings() -> None:
    result = kefu("shield", stdin="my password is Hunter2-x9 ok")
    data = json.loads(result.stdout)
    assert "Hunter2-x9" not in data["text"]
    assert data["findings"] == [{"kind": "password", "start": 15, "end": 25}]


def test_shield_jsonl_answers_line_by_line_in_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"text": "密码：abcd1234x"}),
        "not json",
        json.dumps({"text": "nothing here"}),
    ]
    result = kefu("shield", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["findings"][0]["kind"] == "password"
    assert "error" in out[1]
    assert out[2] == {"text": "nothing here", "findings": []}


def test_config_check_names_each_problem(tmp_path: Path) -> None:
    bad = kefu(
        "config",
        "check",
        env={
            "KEFU_DATABASE_URL": "mysql://x",
            "KEFU_VAR_DIR": str(tmp_path),
            "KEFU_DEFAULT_TIME_ZONE": "Nowhere/City",
        },
    )
    assert bad.returncode == 1
    assert "KEFU_DATABASE_URL" in bad.stdout and "KEFU_DEFAULT_TIME_ZONE" in bad.stdout
    good = kefu("config", "check", env={"KEFU_VAR_DIR": str(tmp_path)})
    assert good.returncode == 0, good.stdout + good.stderr


def test_agent_create_and_totp_code(tmp_path: Path) -> None:
    env = {"KEFU_VAR_DIR": str(tmp_path), "KEFU_ENVIRONMENT": "demo"}
    assert kefu("migrate", env=env).returncode == 0
    created = kefu(
        "agent",
        "create",
        "dora@kefu.test",
        "--name",
        "Dora",
        "--password",
        "dora-password-1",
        "--team",
        "support",
        env=env,
    )
    assert "TOTP secret:" in created.stdout
    code = kefu("agent", "totp", "dora@kefu.test", env=env).stdout.strip()
    assert code.isdigit() and len(code) == 6


@pytest.mark.parametrize("message", ["login with password: S3cr3t-pass!", "谷歌验证码 654321"])
def test_secrets_never_reach_log_output(message: str, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("kefu.test")
    caplog.handler.addFilter(SecretLogFilter())
    with caplog.at_level(logging.INFO):
        logger.info("customer said: %s", message)
    assert "S3cr3t-pass!" not in caplog.text
    assert "654321" not in caplog.text
