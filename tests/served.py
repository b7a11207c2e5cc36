"""The product as `make demo` serves it, for browser tests: a real `kefu demo` process on
127.0.0.1, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

from tests.support import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class RunningDemo:
    base: str
    output: str  # what `kefu demo` printed: logins, TOTP secrets, the demo token


@contextmanager
def running_demo(
    var_dir: Path, port: int | None = None, **env_overrides: str
) -> Iterator[RunningDemo]:
    """Set up the demo (migrate, seed, print) and serve it until the block ends."""
    port = port or free_port()
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(var_dir),
        "KEFU_SMTP_URL": f"smtp://127.0.0.1:{free_port()}",
        **env_overrides,
    }
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("KEFU_REDIS_URL", None)
    command = [sys.executable, "-m", "kefu", "demo", "--port", str(port)]
    setup = subprocess.run(
        [*command, "--no-serve"], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield RunningDemo(base, setup.stdout)
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
