"""Grant records refuse what the standard cannot carry; identifiers follow org-id.guide."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from ambition.fund.giving.identifiers import (
    authority_organisation,
    authority_place,
    grant_prefix,
    registered_identifiers,
)
from ambition.fund.giving.package import Publisher, package
from ambition.fund.giving.records import InvalidGrant
from ambition.fund.giving.schema import is_date_time

from .test_giving_2006 import PREFIX, awards_2006


@pytest.mark.parametrize(
    "change",
    [
        {"reference": "2006/1"},
        {"reference": "two words"},
        {"title": "  "},
        {"description": ""},
        {"currency": "EUR"},
        {"amount_awarded": Decimal("0.001")},
        {"amount_awarded": Decimal("1E+40")},
        {"amount_awarded": Decimal("-1")},
        {"amount_awarded": Decimal("NaN")},
        {"amount_awarded": 250000.0},
        {"amount_disbursed": Decimal("Infinity")},
        {"planned_start": datetime.date(2007, 1, 1), "planned_end": datetime.date(2006, 1, 1)},
        {"date_modified": datetime.datetime(2007, 1, 1)},
    ],
)
def test_a_record_refuses_what_the_standard_cannot_carry(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidGrant):
        dataclasses.replace(awards_2006()[0], **change)


def test_pounds_written_with_more_zeros_are_still_pounds() -> None:
    grant = dataclasses.replace(awards_2006()[0], amount_awarded=Decimal("250000.000"))
    assert grant.amount_awarded == Decimal("250000")


def test_two_grants_with_one_identifier_are_refused() -> None:
    first = awards_2006()[0]
    with pytest.raises(InvalidGrant, match="360G-ambition-2006-barking-and-dagenham"):
        package([first, dataclasses.replace(first, title="Again")], Publisher("P", "X"), PREFIX)


@pytest.mark.parametrize(
    ("code", "identifier"),
    [
        ("E09000002", "GB-LAE-BDG"),  # Barking and Dagenham, in the English register
        ("E61000001", "GB-LAE-GLA"),  # the Greater London Authority
        ("S12000034", "GB-LAS-ABD"),  # Aberdeenshire, in the Scottish register
        ("W06000001", "GB-PLA-AGY"),  # Isle of Anglesey, in the Welsh register
        ("E06000065", "360G-ambition-E06000065"),  # North Yorkshire (2023): in no register
        ("E31000046", "360G-ambition-E31000046"),  # the fire authority: in no register
    ],
)
def test_an_authority_is_named_by_its_register_where_one_holds_it(
    code: str, identifier: str
) -> None:
    assert authority_organisation(code, "A council", PREFIX).identifier == identifier


def test_every_london_borough_is_in_the_english_register() -> None:
    known = registered_identifiers()
    boroughs = [f"E09{n:06d}" for n in range(1, 34)]
    assert all(known[code].startswith("GB-LAE-") for code in boroughs)
    assert len({known[code] for code in boroughs}) == 33


@pytest.mark.parametrize(
    ("code", "kind"),
    [("E09000031", "LONB"), ("E08000003", "MD"), ("E06000065", "UA"), ("E61000001", "")],
)
def test_a_place_is_typed_from_the_standards_codelist(code: str, kind: str) -> None:
    assert authority_place(code, "Somewhere").geo_code_type == kind


def test_the_grant_prefix_is_a_setting() -> None:
    assert grant_prefix() == "ambition"
    with override_settings(GRANTS_360G_PREFIX="360-london"):
        assert grant_prefix() == "360-london"
    with override_settings(GRANTS_360G_PREFIX="with space"), pytest.raises(ValueError):
        grant_prefix()


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2006-11-23T10:30:00Z", True),
        ("2006-11-23T10:30:00.25+05:30", True),
        ("2006-11-23", False),
        ("2006-11-23T10:30:00", False),  # RFC 3339 always states the offset
        ("2006-02-30T10:30:00Z", False),
        ("2006-11-23 10:30:00Z", False),
    ],
)
def test_the_date_time_check_is_rfc_3339(text: str, valid: bool) -> None:
    assert is_date_time(text) is valid
