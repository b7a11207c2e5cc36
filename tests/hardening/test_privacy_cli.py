"""`kefu customer export` and `kefu customer erase` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from kefu.ingest.inbound import Channel, Inbound, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.services import build_services
from kefu.settings import Settings
from kefu.store.models import Event
from tests.core.test_cli import kefu


def test_export_then_erase_from_the_command_line(tmp_path: Path) -> None:
    env = {"KEFU_VAR_DIR": str(tmp_path), "KEFU_ENVIRONMENT": "demo"}
    assert kefu("migrate", env=env).returncode == 0
    services = build_services(Settings(var_dir=tmp_path, environment="demo"))
    sender = Sender(Trust.VERIFIED, uid="80000002", email="li@example.com", name="李雷")
    inbound = Inbound(channel=Channel.API, sender=sender, subject="提币", body_text="地址错了")
    number = ingest(services, inbound).ticket_number

    exported = kefu("customer", "export", "li@example.com", env=env)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["customer"]["name"] == "李雷"
    assert data["tickets"][0]["number"] == number
    assert data["tickets"][0]["messages"][0]["body_text"] == "地址错了"

    unconfirmed = kefu("customer", "erase", "80000002", env=env)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    erased = kefu("customer", "erase", "80000002", "--yes", env=env)
    assert erased.returncode == 0, erased.stderr
    assert "80000002" in erased.stdout
    again = json.loads(kefu("customer", "export", "80000002", env=env).stdout)
    assert again["customer"]["name"] == "" and again["customer"]["email"] is None
    assert "地址错了" not in json.dumps(again, ensure_ascii=False)
    assert kefu("customer", "export", "nobody@example.com", env=env).returncode == 1

    with services.db.read() as session:
        kinds = list(session.scalars(select(Event.kind).where(Event.kind.like("customer.%"))))
    assert kinds == ["customer.exported", "customer.erased", "customer.exported"]
    services.db.close()
