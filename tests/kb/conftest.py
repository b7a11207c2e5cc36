"""Help-center fixtures: the shipped articles loaded into the test database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kefu.auth.agents import create_agent, start_session
from kefu.kb.folder import CONTENT, read_folder, seed_articles
from kefu.kb.render import markdown_to_text
from kefu.kb.search import IndexedArticle, IndexedTranslation
from kefu.kb.search.memory import MemoryIndex
from kefu.services import Services
from kefu.web.deps import AGENT_COOKIE


@pytest.fixture(scope="session")
def index() -> MemoryIndex:
    """The shipped articles, indexed without a database (ids are positions)."""
    articles = [
        IndexedArticle(
            article_id=i,
            slug=a.slug,
            category=a.category,
            translations=tuple(
                IndexedTranslation(
                    t.language, t.title, t.summary, t.tags, markdown_to_text(t.body_markdown)
                )
                for t in a.translations
            ),
        )
        for i, a in enumerate(read_folder(CONTENT), start=1)
    ]
    return MemoryIndex(articles)


@pytest.fixture
def help_center(services: Services) -> Services:
    seed_articles(services)
    return services


@pytest.fixture
def help_client(help_center: Services, client: TestClient) -> TestClient:
    return client


def sign_in_agent(services: Services, client: TestClient, role: str, email: str) -> None:
    """Put a signed-in agent session on the client, and pick up a CSRF cookie."""
    with services.db.write() as session:
        agent = create_agent(session, email, email.split("@")[0], "long-password-1", role, None)
        token = start_session(session, agent)
    client.cookies.set(AGENT_COOKIE, token)
    client.get("/help")


def csrf_of(client: TestClient) -> str:
    token = client.cookies.get("kefu_csrf")
    assert token, "a page should have set the CSRF cookie"
    return token
