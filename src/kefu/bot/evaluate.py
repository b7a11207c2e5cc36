"""Bot accuracy: our labelled set (both languages), and BANKING77 mapped to our categories.

    python -m kefu.bot.evaluate [--banking77 DIR]

Prints JSON; docs/subsystems/chat.md records the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from kefu.bot.answer import answer_or_handoff
from kefu.services import Services

CASES = Path(__file__).parent / "cases.jsonl"
# BANKING77 intents that have a counterpart here; the rest (cards, ATMs, top-up by card,
# …) have none and are left out rather than forced into a category.
BANKING77_MAP: dict[str, str] = {
    "passcode_forgotten": "account",
    "change_pin": "security",
    "verify_my_identity": "account",
    "why_verify_identity": "account",
    "unable_to_verify_identity": "account",
    "edit_personal_details": "account",
    "terminate_account": "account",
    "age_limit": "account",
    "compromised_card": "security",
    "lost_or_stolen_phone": "security",
    "pending_transfer": "deposit_withdrawal",
    "transfer_not_received_by_recipient": "deposit_withdrawal",
    "failed_transfer": "deposit_withdrawal",
    "cancel_transfer": "deposit_withdrawal",
    "transfer_timing": "deposit_withdrawal",
    "beneficiary_not_allowed": "deposit_withdrawal",
    "balance_not_updated_after_bank_transfer": "deposit_withdrawal",
    "declined_transfer": "deposit_withdrawal",
    "transfer_into_account": "deposit_withdrawal",
    "receiving_money": "deposit_withdrawal",
    "pending_cash_withdrawal": "deposit_withdrawal",
    "wrong_amount_of_cash_received": "deposit_withdrawal",
    "transfer_fee_charged": "deposit_withdrawal",
    "exchange_rate": "trading",
    "exchange_via_app": "trading",
    "exchange_charge": "trading",
    "wrong_exchange_rate_for_cash_withdrawal": "trading",
    "fiat_currency_support": "trading",
    "supported_cards_and_currencies": "trading",
}


def evaluate(services: Services, cases: list[dict[str, Any]]) -> dict[str, Any]:
    category_right = handoff_right = categorised = 0
    misses: list[dict[str, Any]] = []
    for case in cases:
        decision = answer_or_handoff(services, case["text"], case.get("language"))
        handoff_right += decision.handoff == case["handoff"]
        if case.get("category"):
            categorised += 1
            category_right += decision.category == case["category"]
        if decision.handoff != case["handoff"] or (
            case.get("category") and decision.category != case["category"]
        ):
            misses.append({**case, "got": decision.category, "got_handoff": decision.handoff})
    return {
        "cases": len(cases),
        "handoff_accuracy": round(handoff_right / len(cases), 3),
        "category_cases": categorised,
        "category_accuracy": round(category_right / max(categorised, 1), 3),
        "misses": misses,
    }


def banking77_cases(folder: Path) -> list[dict[str, Any]]:
    with (folder / "test.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "text": r["text"],
            "language": "en",
            "category": BANKING77_MAP[r["category"]],
            "handoff": False,
        }
        for r in rows
        if r["category"] in BANKING77_MAP
    ]


def _services() -> Services:
    from kefu.demo.seed import ensure_teams
    from kefu.kb.folder import seed_articles
    from kefu.services import build_services
    from kefu.settings import Settings
    from kefu.store.migrate import migrate

    services = build_services(Settings(var_dir=Path(tempfile.mkdtemp(prefix="kefu-bot-eval-"))))
    migrate(services.db)
    ensure_teams(services)
    seed_articles(services)
    return services


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--banking77", type=Path, default=None)
    args = parser.parse_args(argv)
    services = _services()
    cases = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line]
    report: dict[str, Any] = {"labelled": evaluate(services, cases)}
    if args.banking77:
        mapped = banking77_cases(args.banking77)
        banking = evaluate(services, mapped)
        banking["misses"] = len(banking["misses"])
        report["banking77"] = banking
    report["labelled"]["misses"] = report["labelled"]["misses"][:40]
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
