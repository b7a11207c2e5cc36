from __future__ import annotations

import pytest

from kefu.errors import Conflict
from kefu.tickets.numbers import find_ticket_number, ticket_id_from_number, ticket_number
from kefu.tickets.status import ALLOWED, Status, check_transition


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("new", "open"),
        ("open", "pending"),
        ("pending", "open"),
        ("open", "on_hold"),
        ("on_hold", "open"),
        ("open", "solved"),
        ("solved", "open"),
        ("solved", "closed"),
    ],
)
def test_allowed_transitions_pass(current: str, target: str) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("closed", "open"),
        ("closed", "new"),
        ("open", "new"),
        ("pending", "closed"),
        ("solved", "pending"),
    ],
)
def test_illegal_transitions_are_conflicts(current: str, target: str) -> None:
    with pytest.raises(Conflict) as raised:
        check_transition(current, target)
    assert raised.value.params == {"current": current, "target": target}


def test_every_status_is_in_the_table_and_closed_is_final() -> None:
    assert set(ALLOWED) == set(Status)
    assert ALLOWED[Status.CLOSED] == frozenset()


def test_ticket_numbers_round_trip_and_are_found_in_subjects() -> None:
    assert ticket_number(1) == "KF-100001"
    assert ticket_id_from_number("kf-100042") == 42
    assert ticket_id_from_number("KF-12") is None
    assert ticket_id_from_number("nonsense") is None
    assert find_ticket_number("Re: [KF-100007] 充值未到账") == "KF-100007"
