"""The person a command's --user names: one reading for every command."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from ambition.accounts.people import RoleSpec, create_person, named_person


@pytest.mark.django_db
def test_a_commands_user_is_a_person_or_nobody_and_an_unknown_name_stops_it() -> None:
    assert named_person("") is None
    person = create_person("named-analyst", "a-long-password-1", [RoleSpec.parse("analyst")])
    assert named_person("named-analyst") == person
    with pytest.raises(CommandError, match="no person called 'nobody-here'"):
        named_person("nobody-here")
