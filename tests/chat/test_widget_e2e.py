"""End to end in headless Chromium: an exchange page on one port embeds the widget served by
kefu on another; the customer asks, gets an article, asks for a person, waits in the queue;
an agent signs in (password + TOTP), accepts and replies; a reload resumes without loss."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from kefu.auth.customer_tokens import sign_identity_token
from tests.served import chromium, running_demo
from tests.support import free_port

SECRET = "e2e-chat-identity-secret-0123456789abcdef"
pytestmark = pytest.mark.browser


class Served:
    def __init__(self, kefu: str, host: str, output: str) -> None:
        self.kefu, self.host, self.output = kefu, host, output

    def totp_secret(self, email: str) -> str:
        line = next(line for line in self.output.splitlines() if email in line)
        return line.split("totp_secret=")[1].split()[0]


def _host_page(folder: Path, kefu: str) -> None:
    token = sign_identity_token(SECRET, "77770001", "trader@example.com", "交易员")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<style>button{background:red}</style></head><body><h1>Some Exchange</h1>"
        f'<script src="{kefu}/static/widget/kefu-widget.js" data-kefu-token="{token}" '
        'data-lang="zh-Hans" defer></script></body></html>',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port, host_port = free_port(), free_port()
    kefu, host = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{host_port}"
    overrides = {
        "KEFU_IDENTITY_SECRET": SECRET,
        "KEFU_CHAT_ALLOWED_ORIGINS": json.dumps([host]),
        "KEFU_PUBLIC_BASE_URL": kefu,
    }
    with running_demo(tmp_path_factory.mktemp("chat-e2e"), port, **overrides) as run:
        site = tmp_path_factory.mktemp("exchange-site")
        _host_page(site, kefu)
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(site), **k)  # noqa: E731
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", host_port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield Served(kefu, host, run.output)
        finally:
            httpd.shutdown()
            httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _agent_signs_in(page: Page, served: Served) -> None:
    email = "alice@demo-exchange.example"
    page.goto(f"{served.kefu}/agent/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "alice-demo-pass")
    page.fill("input[name=code]", pyotp.TOTP(served.totp_secret(email)).now())
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.kefu}/agent")


def test_customer_to_bot_to_queue_to_agent_and_back(served: Served, browser: Browser) -> None:
    customer = browser.new_context(locale="zh-CN").new_page()
    customer.goto(served.host + "/")
    expect(customer.locator("h1")).to_have_text("Some Exchange")
    launcher = customer.locator("#kefu-widget .launcher")
    expect(launcher).to_contain_text("在线客服")
    # The host page's red buttons stay the host's: the widget's button is not restyled.
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 0, 0)"
    launcher.click()
    customer.locator("#kefu-widget .topics button[data-slug=deposit_withdrawal]").click()
    box = customer.locator("#kefu-widget textarea")
    box.fill("怎么找到充值的 TxID？")
    box.press("Enter")
    answer = customer.locator("#kefu-widget li.msg.bot", has_text="这解决了您的问题吗")
    expect(answer).to_be_visible(timeout=15000)
    expect(answer.locator("a")).to_have_count(1)
    box.fill("转人工")
    box.press("Enter")
    expect(customer.locator("#kefu-widget .queue")).to_contain_text("第 1 位", timeout=15000)

    agent = browser.new_context(locale="zh-CN").new_page()
    _agent_signs_in(agent, served)
    agent.goto(f"{served.kefu}/agent/chat")
    agent.select_option("#cc-presence", "online")
    agent.locator("#cc-queue button.accept").first.click()
    expect(agent.locator("#cc-messages")).to_contain_text("转人工", timeout=10000)
    agent.fill("#cc-text", "您好，我是 Alice，正在为您查询。")
    agent.click("#cc-form button[type=submit]")
    reply = customer.locator("#kefu-widget li.msg.agent", has_text="我是 Alice")
    expect(reply).to_be_visible(timeout=10000)

    stored = "#kefu-widget li.msg[data-seq]"  # the greeting is drawn locally, not stored
    before = customer.locator(stored).count()
    customer.reload()
    customer.locator("#kefu-widget .launcher").click()
    expect(customer.locator("#kefu-widget li.msg.agent", has_text="我是 Alice")).to_have_count(
        1, timeout=10000
    )
    expect(customer.locator("#kefu-widget li.msg.customer", has_text="转人工")).to_have_count(1)
    assert customer.locator(stored).count() == before
    customer.context.close()
    agent.context.close()


def test_a_solved_chat_shows_survey_buttons_and_thanks(served: Served, browser: Browser) -> None:
    customer = browser.new_context(locale="zh-CN").new_page()
    customer.goto(served.host + "/")
    customer.locator("#kefu-widget .launcher").click()
    box = customer.locator("#kefu-widget textarea").first
    box.fill("怎么找到充值的 TxID？")
    box.press("Enter")
    expect(
        customer.locator("#kefu-widget li.msg.bot", has_text="这解决了您的问题吗")
    ).to_be_visible(timeout=15000)
    customer.locator("#kefu-widget .quick button", has_text="已解决").first.click()
    survey = customer.locator("#kefu-widget .survey")
    expect(survey).to_be_visible(timeout=20000)  # the worker's csat.request, live
    expect(survey).to_contain_text("1 = 非常不满意")
    survey.locator("button", has_text="4").click()
    survey.locator("textarea").fill("很快")
    survey.locator("button.rate").click()
    expect(survey).to_contain_text("★★★★ 感谢您的评价！", timeout=10000)
    customer.reload()
    customer.locator("#kefu-widget .launcher").click()
    expect(customer.locator("#kefu-widget .survey")).to_have_text("★★★★", timeout=10000)
    customer.context.close()
