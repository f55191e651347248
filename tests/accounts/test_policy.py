"""The permission policy: roles, and a council officer acting only for their own authority."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ambition.accounts.models import Role
from ambition.accounts.policy import Grant, allows, writable_authorities

IMPORT = "indicators.add_observation"
authority_ids = st.integers(min_value=1, max_value=400)


@given(own=authority_ids, other=authority_ids)
def test_an_officer_writes_only_for_their_own_authority(own: int, other: int) -> None:
    officer = [Grant(Role.OFFICER, own)]
    assert allows(officer, IMPORT, own)
    assert allows(officer, IMPORT, other) == (own == other)
    assert writable_authorities(officer, IMPORT) == frozenset({own})


@given(authority=authority_ids)
def test_an_analyst_writes_for_every_authority(authority: int) -> None:
    assert allows([Grant(Role.ANALYST, None)], IMPORT, authority)
    assert writable_authorities([Grant(Role.ANALYST, None)], IMPORT) is None


def test_roles_for_several_authorities_add_up() -> None:
    grants = [Grant(Role.OFFICER, 1), Grant(Role.OFFICER, 2)]
    assert writable_authorities(grants, IMPORT) == frozenset({1, 2})
    assert not allows(grants, IMPORT, 3)


def test_board_members_and_residents_write_no_observations() -> None:
    assert not allows([Grant(Role.BOARD, None)], IMPORT, 1)
    assert not allows([], IMPORT)
    assert writable_authorities([Grant(Role.BOARD, None)], IMPORT) == frozenset()


def test_only_administrators_manage_people_and_only_analysts_the_catalogue() -> None:
    for role in Role:
        grants = [Grant(role, 1 if role == Role.OFFICER else None)]
        assert allows(grants, "auth.change_user") == (role == Role.ADMINISTRATOR)
        assert allows(grants, "indicators.change_indicator") == (role == Role.ANALYST)


def test_an_unknown_permission_is_refused() -> None:
    assert not allows([Grant(role, None) for role in Role], "indicators.delete_observation")
