"""`kefu shield` and `kefu shield --jsonl`."""

from __future__ import annotations

import io
import json

from kefu.shield.cli import run_shield_cli


def run(stdin: str, *, jsonl: bool) -> list[dict[str, object]]:
    out = io.StringIO()
    assert run_shield_cli(io.StringIO(stdin), out, jsonl) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_redacts_all_of_stdin() -> None:
    [result] = run("资金密码是 123456\n", jsonl=False)
    assert result == {
        "text": "资金密码是 [redacted: password]\n",
        "findings": [{"kind": "password", "start": 6, "end": 12}],
    }


def test_jsonl_answers_each_line_in_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"text": "验证码 123456", "language": "zh-Hans"}, ensure_ascii=False),
        "not json {",
        json.dumps({"body": "no text field"}),
        json.dumps({"text": "ok", "language": 5}),
        json.dumps({"text": "nothing secret"}),
    ]
    results = run("\n".join(lines) + "\n", jsonl=True)
    assert results[0]["text"] == "验证码 [已隐藏:验证码]"
    assert [sorted(r) for r in results[1:4]] == [["error"], ["error"], ["error"]]
    assert results[4] == {"text": "nothing secret", "findings": []}


def test_errors_never_echo_the_input() -> None:
    [result] = run('{"text": 1, "secret": "pwd: Hunter22"}\n', jsonl=True)
    assert "Hunter22" not in json.dumps(result)


def test_output_is_not_ascii_escaped() -> None:
    out = io.StringIO()
    run_shield_cli(io.StringIO("你好"), out, False)
    assert "你好" in out.getvalue()
