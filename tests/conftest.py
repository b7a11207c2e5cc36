"""Shared fixtures: real databases (SQLite always; PostgreSQL when configured, required in
CI), a real SMTP server on 127.0.0.1, and the services built the way `kefu serve` builds them.

Actors: alice (agent), bob (lead), charlie (security); wang and lina are customers.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from kefu.auth.customer_tokens import sign_identity_token
from kefu.demo.seed import ensure_teams
from kefu.jobs.handlers import HANDLERS
from kefu.jobs.worker import Worker
from kefu.services import Services, build_services
from kefu.settings import Settings
from kefu.shield.log_filter import install_log_filter
from kefu.store.migrate import migrate
from kefu.store.models import Base
from kefu.web.app import create_app
from tests.exchange.server import ServedExchange, served_demo_exchange
from tests.support import MailSink, free_port

IDENTITY_SECRET = "test-identity-secret-0123456789abcdef"
POSTGRES_URL = os.environ.get("KEFU_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "")
SERVERS = {
    "postgres": ("KEFU_TEST_POSTGRES_URL", POSTGRES_URL),
    "redis": ("KEFU_TEST_REDIS_URL", REDIS_URL),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres/redis need that server: skipped locally without it, an error in CI."""
    for marker, (variable, url) in SERVERS.items():
        if url:
            continue
        if IN_CI:
            raise pytest.UsageError(f"CI=true but {variable} is not set: start the server")
        for item in items:
            if marker in item.keywords:
                item.add_marker(pytest.mark.skipif(True, reason=f"{variable} not set"))


@pytest.fixture(scope="session")
def mail_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSink]:
    sink = MailSink(tmp_path_factory.mktemp("mail"))
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("template") / "kefu.sqlite3"
    settings = Settings(var_dir=path.parent, database_url=f"sqlite:///{path}")
    services = build_services(settings)
    migrate(services.db)
    ensure_teams(services)
    services.db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> Iterator[str]:
    """One migrated database per xdist worker, emptied after every test."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    # Unique per run: two suites sharing one server must not drop each other's databases.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]
    name = f"kefu_test_{run}_{worker_id}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    services = build_services(Settings(database_url=url, var_dir=Path("/tmp/kefu-pg-unused")))
    migrate(services.db)
    services.db.engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "kefu.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str, mail_sink: MailSink) -> Settings:
    return Settings(
        var_dir=tmp_path,
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-0123456789abcdefghijklmnop",
        identity_secret=IDENTITY_SECRET,
        smtp_url=f"smtp://127.0.0.1:{mail_sink.port}",
        run_worker_in_web=False,
        dev_mail_sink=False,
        warm_search_index=False,
    )


@pytest.fixture
def services(settings: Settings, mail_sink: MailSink) -> Iterator[Services]:
    services = build_services(settings)
    ensure_teams(services)
    mail_sink.clear()
    yield services
    if services.db.engine.dialect.name == "postgresql":
        with services.db.engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    services.db.engine.dispose()


@pytest.fixture
def worker(services: Services) -> Worker:
    return Worker(services, HANDLERS)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services)) as client:
        yield client


def identity_token(uid: str, email: str | None = None, name: str | None = None) -> str:
    return sign_identity_token(IDENTITY_SECRET, uid, email, name)


@pytest.fixture
def wang() -> dict[str, str]:
    token = identity_token("20000001", "wang@example.com", "王伟")
    return {"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"}


@pytest.fixture
def lina() -> dict[str, str]:
    token = identity_token("20000002", "lina@example.com", "Lina")
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.fixture(scope="session")
def exchange_server() -> Iterator[ServedExchange]:
    """The demo exchange, served for real over HTTP on 127.0.0.1 for the whole session."""
    with served_demo_exchange() as served:
        yield served


@pytest.fixture
def exchange(exchange_server: ServedExchange) -> ServedExchange:
    """The served demo exchange, with its accounts back to the seeded state."""
    exchange_server.exchange.reset()
    return exchange_server


@pytest.fixture
def exchange_settings(settings: Settings, exchange: ServedExchange) -> Settings:
    """`settings` pointed at the served demo exchange."""
    return settings.model_copy(
        update={"exchange_url": exchange.url, "exchange_secret": exchange.secret}
    )


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record at DEBUG and up, passed through the shield's log filter as in kefu."""
    install_log_filter()
    caplog.set_level(logging.DEBUG)
    return caplog
