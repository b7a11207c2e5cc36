"""The help center: public pages (/help …) and the leads' article editor (/agent/help …)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Role
from kefu.categories import CATEGORIES, CATEGORY_BY_SLUG
from kefu.errors import Forbidden, NotAuthenticated, NotFound, UserError
from kefu.i18n import LANGUAGES
from kefu.kb.articles import (
    article_data,
    check_article,
    check_related_exist,
    find_article,
    listings,
    pick_translation,
    record_vote,
    revisions,
    save_article,
    translations_of,
    vote_counts,
)
from kefu.kb.editing import EditorForm, article_from_form, form_from_article, form_from_fields
from kefu.kb.onward import onward_for
from kefu.kb.render import render_markdown
from kefu.kb.search import invalidate_index, search_articles
from kefu.kb.signals import (
    REPORT_MAX_DAYS,
    form_of,
    help_report,
    record_form_article,
    record_no_result,
    report_since,
)
from kefu.services import Services
from kefu.store.models import Agent
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.language import request_language
from kefu.web.pages.render import render
from kefu.web.ratelimits import client_address

router = APIRouter(include_in_schema=False)
VOTER_COOKIE = "kefu_voter"
EDITORS = frozenset({Role.LEAD.value, Role.ADMIN.value})
PER_CATEGORY_ON_HOME = 5


# -- public pages ---------------------------------------------------------------------


@router.get("/help", response_class=HTMLResponse)
def help_home(request: Request, services: ServicesDep) -> Response:
    lang = request_language(request)
    with services.db.read() as session:
        articles = listings(session, lang)
    by_category = {c.slug: [a for a in articles if a.category == c.slug] for c in CATEGORIES}
    return render(
        request,
        "help/index.html",
        by_category=by_category,
        per_category=PER_CATEGORY_ON_HOME,
        query="",
    )


@router.get("/help/c/{category}", response_class=HTMLResponse)
def help_category(category: str, request: Request, services: ServicesDep) -> Response:
    if category not in CATEGORY_BY_SLUG:
        raise NotFound("error.unknown_category", category=category[:40])
    with services.db.read() as session:
        articles = listings(session, request_language(request), category=category)
    return render(
        request,
        "help/category.html",
        category=CATEGORY_BY_SLUG[category],
        articles=articles,
        query="",
    )


@router.get("/help/search", response_class=HTMLResponse)
def help_search(request: Request, services: ServicesDep, q: str = "") -> Response:
    query = q.strip()[:200]
    lang = request_language(request)
    hits = search_articles(services, query, lang, 20) if query else []
    if query and not hits and _may_record(request, services):
        with services.db.write() as session:
            record_no_result(session, query, lang)  # for the leads' report
    return render(
        request,
        "help/search.html",
        query=query,
        hits=hits,
        category_name=lambda slug: CATEGORY_BY_SLUG[slug].name(lang),
        onward=onward_for("getting_started", services.settings),
    )


def _may_record(request: Request, services: Services) -> bool:
    """A missed search is recorded at most `missed_search_ip` times per address: the page
    is public, and a script must not fill the leads' report."""
    limit = services.limits.missed_search_ip
    return services.limiter.allow(limit, "ip:" + client_address(request)) == 0


@router.get("/help/a/{slug}", response_class=HTMLResponse)
def help_article(slug: str, request: Request, services: ServicesDep) -> Response:
    lang = request_language(request)
    with services.db.read() as session:
        article = find_article(session, slug)
        shown = pick_translation(translations_of(session, article.id), lang)
        if shown is None:
            raise NotFound("kb.error.article_not_found", slug=slug[:100])
        related = listings(session, lang, slugs=tuple(article.related))
    key = services.settings.resolved_secret_key()
    form_id = form_of(request.query_params.get("from_form", ""), key)
    if form_id:  # opened from the ticket form's suggestions: maybe a ticket not needed
        with services.db.write() as session:
            record_form_article(session, article.id, form_id, lang)
    return render(
        request,
        "help/article.html",
        article=article,
        shown=shown,
        body_html=render_markdown(shown.body_markdown),
        category=CATEGORY_BY_SLUG[article.category],
        related=related,
        onward=onward_for(article.category, services.settings),
        voted=request.query_params.get("voted") == "1",
        query="",
    )


@router.post("/help/a/{slug}/vote")
def help_vote(
    slug: str,
    request: Request,
    services: ServicesDep,
    helpful: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """One vote per browser per article (voting again replaces it); JSON for scripts."""
    check_csrf(request, csrf)
    if helpful not in ("yes", "no"):
        raise UserError("error.validation", code="validation_error", field="helpful", detail="")
    voter = request.cookies.get(VOTER_COOKIE) or secrets.token_urlsafe(18)
    with services.db.write() as session:
        article = find_article(session, slug)
        record_vote(session, article, request_language(request), helpful == "yes", voter)
    response: Response
    if "application/json" in request.headers.get("accept", ""):
        response = JSONResponse({"ok": True, "helpful": helpful == "yes"})
    else:
        response = RedirectResponse(f"/help/a/{slug}?voted=1#vote", status_code=303)
    response.set_cookie(
        VOTER_COOKIE,
        voter,
        httponly=True,
        samesite="lax",
        max_age=365 * 24 * 3600,
        secure=request.app.state.settings.secure_cookies,
    )
    return response


# -- the editor (leads and admins) ----------------------------------------------------


@router.get("/agent/help", response_class=HTMLResponse)
def editor_list(request: Request, services: ServicesDep) -> Response:
    if _editor_or_none(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    with services.db.read() as session:
        articles = listings(session, request_language(request), include_drafts=True)
    return render(
        request, "help/editor_list.html", articles=articles, categories_by_slug=CATEGORY_BY_SLUG
    )


@router.get("/agent/help/report", response_class=HTMLResponse)
def editor_report(request: Request, services: ServicesDep, days: int = 30) -> Response:
    """Votes, searches that found nothing, and tickets the help center deflected."""
    if _editor_or_none(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    days = min(max(days, 1), REPORT_MAX_DAYS)
    with services.db.read() as session:
        report = help_report(session, report_since(days))
    return render(request, "help/report.html", report=report, days=days)


@router.get("/agent/help/new", response_class=HTMLResponse)
def editor_new(request: Request, services: ServicesDep) -> Response:
    if _editor_or_none(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    return _editor_page(request, services, EditorForm(), is_new=True)


@router.get("/agent/help/edit/{slug}", response_class=HTMLResponse)
def editor_edit(slug: str, request: Request, services: ServicesDep) -> Response:
    if _editor_or_none(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    with services.db.read() as session:
        article = find_article(session, slug, include_drafts=True)
        form = form_from_article(article_data(session, article))
    return _editor_page(request, services, form, is_new=False)


@router.post("/agent/help/save", response_class=HTMLResponse)
async def editor_save(request: Request, services: ServicesDep) -> Response:
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(request, fields.get("csrf"))
    editor = _editor(request, services)
    form = form_from_fields(fields)
    data = article_from_form(form)
    is_new = fields.get("is_new") == "1"
    if fields.get("action") == "preview":
        check_article(data)
        return _editor_page(request, services, form, is_new=is_new, preview=True)
    with services.db.write() as session:
        check_related_exist(session, data.related)
        if is_new and _exists(session, data.slug):
            raise UserError("error.validation", code="validation_error", field="slug", detail="")
        changed = save_article(session, data, editor.actor(), note=form.note)
    invalidate_index(services)
    flag = "saved" if changed else "unchanged"
    return RedirectResponse(f"/agent/help/edit/{data.slug}?{flag}=1", status_code=303)


def _editor_page(
    request: Request,
    services: ServicesDep,
    form: EditorForm,
    *,
    is_new: bool,
    preview: bool = False,
) -> Response:
    history, votes, names = [], (0, 0), {}
    if not is_new:
        with services.db.read() as session:
            article = find_article(session, form.slug, include_drafts=True)
            history, votes = revisions(session, article.id), vote_counts(session, article.id)
            names = _agent_names(session, {r.agent_id for r in history if r.agent_id})
    previews = {
        language: render_markdown(form.version(language)[4]) if preview else ""
        for language in LANGUAGES
    }
    return render(
        request,
        "help/editor.html",
        form=form,
        is_new=is_new,
        previews=previews,
        history=history,
        votes=votes,
        agent_names=names,
        languages=LANGUAGES,
        saved=request.query_params.get("saved") == "1",
        unchanged=request.query_params.get("unchanged") == "1",
    )


def _agent_names(session: Session, agent_ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(agent_ids)))
    return {agent_id: name for agent_id, name in rows}  # noqa: C416 - rows are Row objects


def _exists(session: Session, slug: str) -> bool:
    try:
        find_article(session, slug, include_drafts=True)
    except NotFound:
        return False
    return True


def _editor(request: Request, services: ServicesDep) -> AgentPrincipal:
    agent = current_agent(request, services)
    if agent.agent_id is None or agent.role not in EDITORS:
        raise Forbidden()
    return agent


def _editor_or_none(request: Request, services: ServicesDep) -> AgentPrincipal | None:
    try:
        return _editor(request, services)
    except NotAuthenticated:
        return None
