"""Exporting a ticket list as CSV: needs the `export` permission (leads, admins, or a token
with the `export` scope); every export is audited (`tickets.exported`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kefu.insider.export import check_export, export_tickets
from kefu.tickets.queries import AgentFilter, agent_tickets
from kefu.web.api.v1.schemas import CategorySlug, PriorityName, RowId, StatusName
from kefu.web.deps import AgentDep, ServicesDep

router = APIRouter(prefix="/api/v1/agent/exports", tags=["agent export"])
MAX_ROWS = 5000


@router.get("/tickets.csv", response_class=Response)
def export_ticket_list(
    agent: AgentDep,
    services: ServicesDep,
    status: StatusName | None = None,
    priority: PriorityName | None = None,
    category: CategorySlug | None = None,
    team_id: RowId | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    check_export(agent)
    where = AgentFilter(
        status=status,
        priority=priority,
        category=category,
        team_id=team_id,
        text=q,
        limit=MAX_ROWS,
    )
    filters = {
        key: str(value)
        for key, value in {
            "status": status,
            "priority": priority,
            "category": category,
            "team_id": team_id,
            "q": q,
        }.items()
        if value is not None
    }
    with services.db.write() as session:
        tickets, _ = agent_tickets(session, where)
        text = export_tickets(session, agent, tickets, filters)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tickets.csv"'},
    )
