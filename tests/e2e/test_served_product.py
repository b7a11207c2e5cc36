"""The product as `make demo` serves it: a real server process, driven by headless Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from kefu.auth.customer_tokens import sign_identity_token
from tests.served import chromium, running_demo

pytestmark = pytest.mark.browser
SECRET = "e2e-identity-secret-0123456789abcdef"


class Demo:
    def __init__(self, base: str, output: str) -> None:
        self.base = base
        self.output = output

    def totp_secret(self, email: str) -> str:
        line = next(line for line in self.output.splitlines() if email in line)
        return line.split("totp_secret=")[1].split()[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with running_demo(tmp_path_factory.mktemp("demo-var"), KEFU_IDENTITY_SECRET=SECRET) as run:
        yield Demo(run.base, run.output)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the demo server did not start")


def test_demo_prints_logins_token_and_urls(demo: Demo) -> None:
    for expected in (
        "alice@demo-exchange.example",
        "totp_secret=",
        "TOKEN=",
        "/agent",
        "/api/docs",
    ):
        assert expected in demo.output


def test_the_served_chat_socket_closes_on_a_frame_over_a_mebibyte(demo: Demo) -> None:
    url = demo.base.replace("http://", "ws://") + "/ws/chat"
    with connect(url, open_timeout=10, max_size=None) as socket:
        socket.send(json.dumps({"type": "hello", "lang": "en"}))
        assert json.loads(socket.recv(timeout=10))["type"] == "welcome"
        socket.send(json.dumps({"type": "ping"}))
        while json.loads(socket.recv(timeout=10))["type"] != "pong":
            pass
        socket.send(json.dumps({"type": "message", "client_id": "x", "text": "x" * 2**21}))
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big


def test_a_customer_submits_a_ticket_in_the_portal_and_gets_a_confirmation_email(
    demo: Demo, page: Page
) -> None:
    token = sign_identity_token(
        "e2e-identity-secret-0123456789abcdef", "55550001", "portal@example.com", "门户用户"
    )
    page.goto(f"{demo.base}/portal/sso?token={token}")
    page.goto(f"{demo.base}/portal/tickets/new")
    page.select_option("select[name=category]", "deposit_withdrawal")
    page.fill("input[name=subject]", "BTC 充值未到账")
    page.fill("textarea[name=description]", "TxID 1234abcd，网络 BTC，已经 3 小时了")
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/tickets/KF-*")
    notice = page.text_content(".notice") or ""
    number = page.url.split("/portal/tickets/")[1].split("?")[0]
    assert number in notice

    deadline = time.monotonic() + 20
    mailbox = ""
    while time.monotonic() < deadline and number not in mailbox:
        page.goto(f"{demo.base}/dev/mailbox")
        mailbox = page.content()
        time.sleep(0.3)
    assert number in mailbox
    assert "防钓鱼码" in mailbox


def test_an_agent_signs_in_with_password_and_totp_and_sees_the_inbox(
    demo: Demo, page: Page
) -> None:
    secret = demo.totp_secret("bob@demo-exchange.example")
    page.goto(f"{demo.base}/agent/login")
    page.fill("input[name=email]", "bob@demo-exchange.example")
    page.fill("input[name=password]", "wrong-password")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    assert page.is_visible("p.error")

    page.fill("input[name=email]", "bob@demo-exchange.example")
    page.fill("input[name=password]", "bob-demo-pass1")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.base}/agent")
    assert "KF-" in page.content()
    page.click("table.list a >> nth=0")
    page.wait_for_url("**/agent/tickets/KF-*")
    page.fill("textarea[name=body]", "您好，我们正在核查。")
    page.click("form.stack button[type=submit] >> nth=0")
    page.wait_for_selector(".msg >> text=您好，我们正在核查。")


def test_pages_exist_in_english_too(demo: Demo, browser: Browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{demo.base}/")
    assert "Submit a ticket" in page.content()
    page.click("a.lang")
    page.wait_for_selector("text=提交工单")
    context.close()


def test_the_inbox_updates_live_and_a_lead_works_a_ticket(demo: Demo, browser: Browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    secret = demo.totp_secret("bob@demo-exchange.example")
    page.goto(f"{demo.base}/agent/login")
    page.fill("input[name=email]", "bob@demo-exchange.example")
    page.fill("input[name=password]", "bob-demo-pass1")
    page.fill("input[name=code]", pyotp.TOTP(secret, interval=30).at(time.time() + 30))
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.base}/agent")
    assert page.is_hidden("#live-banner")

    token = sign_identity_token(
        "e2e-identity-secret-0123456789abcdef", "55550002", "live@example.com", "Live Customer"
    )
    created = httpx.post(
        f"{demo.base}/api/v1/tickets",
        headers={"Authorization": f"Bearer {token}"},
        json={"category": "trading", "subject": "Order stuck", "description": "help"},
    )
    assert created.status_code == 201
    page.wait_for_selector("#live-banner:not([hidden])", timeout=10_000)

    page.goto(f"{demo.base}/agent?q={created.json()['number']}")
    page.click(f"text={created.json()['number']}")
    page.fill("#composer textarea", "We are checking your order now.")
    page.select_option("select[name=then_status]", "pending")
    page.click("#composer button[type=submit]")
    page.wait_for_selector(".msg >> text=We are checking your order now.")
    page.wait_for_selector(".status-pending")
    context.close()


def _sign_in(page: Page, demo: Demo, email: str, password: str, step_offset: int) -> None:
    """Sign in with password and a TOTP code (a different time step per use: codes are
    never accepted twice)."""
    page.goto(f"{demo.base}/agent/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    code = pyotp.TOTP(demo.totp_secret(email)).at(time.time() + 30 * step_offset)
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.base}/agent")


def test_an_agent_works_an_email_ticket_and_another_sees_it_live(
    demo: Demo, browser: Browser
) -> None:
    watcher_context = browser.new_context(locale="zh-CN")
    watcher = watcher_context.new_page()
    _sign_in(watcher, demo, "charlie@demo-exchange.example", "charlie-demo-pass", -1)

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_in(page, demo, "alice@demo-exchange.example", "alice-demo-pass", 0)
    page.select_option("select[name=channel]", "email")
    page.click(".filters button[type=submit]")
    page.click("tr:has-text('提币一直在审核中') a")
    page.wait_for_url("**/agent/tickets/KF-*")
    assert "990011223" in page.content()  # the GBK-encoded email, decoded

    page.select_option("select[name=macro_id]", label="ask-for-txid")
    page.click(".inline-form button[type=submit]")
    page.wait_for_selector("text=请提供充值/提现的 TxID")

    page.fill("#composer textarea", "已核对：提币在风控审核队列中。")
    page.check("#composer input[value=note]")
    page.click("#composer button[type=submit]")
    page.wait_for_selector(".msg.internal >> text=风控审核队列")

    page.click("summary >> text=升级到团队")
    page.select_option("details select[name=team]", "api")
    page.fill("details textarea[name=reason]", "需要 API 团队核查提币接口")
    page.click("details button >> text=升级到团队")
    page.wait_for_selector(".status-on_hold")

    watcher.wait_for_selector("#live-banner:not([hidden])", timeout=10_000)
    context.close()
    watcher_context.close()


def test_the_shortcut_help_opens_with_question_mark(demo: Demo, browser: Browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, demo, "alice@demo-exchange.example", "alice-demo-pass", 1)
    assert page.is_hidden("#shortcuts")
    page.keyboard.press("?")
    assert page.is_visible("#shortcuts")
    assert "Assign to me" in page.inner_text("#shortcuts")
    page.keyboard.press("Escape")
    assert page.is_hidden("#shortcuts")
    context.close()


def test_a_customer_searches_reads_votes_and_moves_on_to_a_ticket(
    demo: Demo, browser: Browser
) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{demo.base}/help")
    page.fill("#kb-q", "USDT充值没到账")  # mixed Chinese and English, no spaces
    page.keyboard.press("Enter")
    page.wait_for_url("**/help/search?**")
    assert page.locator(".kb-results mark").count() > 0  # matches are highlighted
    page.click(".kb-results li >> nth=0 >> a")
    page.wait_for_url("**/help/a/**")
    assert "TxID" in page.content()

    article = page.url
    page.click("#vote button[value=yes]")
    page.wait_for_selector(".kb-vote-status:not(:empty), #vote >> text=感谢")

    token = sign_identity_token(
        "e2e-identity-secret-0123456789abcdef", "55550003", "reader@example.com", "读者"
    )
    page.goto(f"{demo.base}/portal/sso?token={token}")
    page.goto(article)
    page.click(".kb-ways a.button >> nth=0")
    page.wait_for_url("**/portal/tickets/new?category=**")
    assert page.locator("select[name=category]").input_value() == "deposit_withdrawal"
    # Typing a subject offers articles that may make the ticket unnecessary.
    page.fill("input[name=subject]", "提币一直在审核")
    suggestion = page.locator("#kb-deflect li a").first
    suggestion.wait_for()
    assert "from_form=" in (suggestion.get_attribute("href") or "")
    context.close()
