"""Password-reset mails are throttled per address and per client, and a throttled request
gets the same answer as one that sent a mail (the page never tells whether an address is
known or has been asked for too often)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

RESET = "/account/password_reset/"
DONE = "/account/password_reset/done/"


def _person(username: str, email: str) -> None:
    get_user_model().objects.create_user(username, email=email, password="a-long-password-1")


def test_mails_to_one_address_stop_at_the_hourly_limit(db: None, settings: object) -> None:
    settings.RESET_MAILS_PER_ADDRESS = 3  # type: ignore[attr-defined]
    _person("reset-a", "a@lambeth.example")
    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(RESET, {"email": "A@lambeth.example"})
        for n in range(5)
    ]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, DONE)}


def test_mails_for_one_client_stop_at_the_hourly_limit(db: None, settings: object) -> None:
    settings.RESET_MAILS_PER_CLIENT = 2  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(4):
        _person(f"reset-c{n}", f"c{n}@lambeth.example")
        answer = client.post(RESET, {"email": f"c{n}@lambeth.example"})
        assert (answer.status_code, answer["Location"]) == (302, DONE)
    assert len(mail.outbox) == 2
    Client(REMOTE_ADDR="10.0.0.10").post(RESET, {"email": "c3@lambeth.example"})
    assert len(mail.outbox) == 3  # another client is not held back by this one


def test_an_unknown_address_gets_the_same_answer(db: None) -> None:
    answer = Client().post(RESET, {"email": "nobody@nowhere.example"})
    assert (answer.status_code, answer["Location"]) == (302, DONE)
    assert mail.outbox == []


def test_testserver_is_not_a_default_host() -> None:
    from ambition.settings import SETTINGS

    assert "testserver" not in SETTINGS["AMBITION_ALLOWED_HOSTS"].as_list()
