"""The improvement fund's real 2006 awards, as the partnership announced them on 23 November
2006 (shared/background/003, the press release), published as 360Giving data.

The announcement is the only dated source, so it is the award date. Merton's amount is
"a similar amount" to Harrow's 250,000 pounds. The August 2006 package for Waltham Forest
(officers of six boroughs working with its staff) has no amount and no day in any source:
the standard requires both, so it is not a grant that can be published yet, and it is left
out rather than given a figure or a day that nobody announced.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest

from ambition.fund.giving.export import checked_json
from ambition.fund.giving.flat import to_csv
from ambition.fund.giving.identifiers import (
    authority_organisation,
    authority_place,
    partnership_organisation,
)
from ambition.fund.giving.package import Publisher, package, to_json
from ambition.fund.giving.records import GrantRecord, Programme
from ambition.fund.giving.schema import problems

PREFIX = "ambition"
ANNOUNCED = datetime.date(2006, 11, 23)
FUNDER = partnership_organisation("capital-ambition", "Capital Ambition", PREFIX)
PUBLISHER = Publisher(name=FUNDER.name, identifier=FUNDER.identifier)
IMPROVEMENT = Programme("improvement", "Improvement fund")

AWARDS = (
    (
        "E09000002",
        "Barking and Dagenham",
        "250000",
        "Linking staff across services with other boroughs",
        "To link its staff in housing, community cohesion, neighbourhood management, "
        "leisure and governance with colleagues in other boroughs.",
    ),
    (
        "E09000016",
        "Havering",
        "200000",
        "Member and management development",
        "To enhance the member and management development schemes of the borough.",
    ),
    (
        "E09000015",
        "Harrow",
        "250000",
        "Service reviews and programme management",
        "For service reviews and programme management behind its programme of improvements.",
    ),
    (
        "E09000024",
        "Merton",
        "250000",
        "Financial management and value for money reviews",
        "To improve its financial management and value for money reviews, and towards its "
        "diversity work.",
    ),
)


def awards_2006() -> list[GrantRecord]:
    return [
        GrantRecord(
            reference=f"2006-{name.lower().replace(' ', '-')}",
            title=title,
            description=purpose,
            amount_awarded=Decimal(amount),
            award_date=ANNOUNCED,
            recipient=authority_organisation(code, f"London Borough of {name}", PREFIX),
            funder=FUNDER,
            programme=IMPROVEMENT,
            beneficiary=authority_place(code, name),
        )
        for code, name, amount, title, purpose in AWARDS
    ]


def test_the_2006_awards_are_a_valid_360giving_package() -> None:
    text = checked_json(awards_2006(), PUBLISHER, PREFIX, ANNOUNCED)
    document = json.loads(text, parse_float=Decimal)
    assert problems(document) == []
    assert [g["id"] for g in document["grants"]] == [
        "360G-ambition-2006-barking-and-dagenham",
        "360G-ambition-2006-havering",
        "360G-ambition-2006-harrow",
        "360G-ambition-2006-merton",
    ]
    assert sum(g["amountAwarded"] for g in document["grants"]) == Decimal("950000")


def test_each_council_is_named_by_its_register_code_and_its_area() -> None:
    grants = json.loads(checked_json(awards_2006(), PUBLISHER, PREFIX))["grants"]
    recipients = [g["recipientOrganization"][0]["id"] for g in grants]
    assert recipients == ["GB-LAE-BDG", "GB-LAE-HAV", "GB-LAE-HRW", "GB-LAE-MRT"]
    barking = grants[0]["beneficiaryLocation"][0]
    assert barking == {
        "name": "Barking and Dagenham",
        "countryCode": "GB",
        "geoCode": "E09000002",
        "geoCodeType": "LONB",
    }
    assert grants[0]["fundingOrganization"] == [
        {"id": "360G-ambition-capital-ambition", "name": "Capital Ambition"}
    ]


def test_the_2006_awards_as_csv_carry_the_same_grants() -> None:
    table = list(csv.DictReader(io.StringIO(to_csv(awards_2006(), PREFIX))))
    assert [row["Amount Awarded"] for row in table] == ["250000", "200000", "250000", "250000"]
    assert {row["Award Date"] for row in table} == {"2006-11-23"}
    assert table[1]["Recipient Org:Identifier"] == "GB-LAE-HAV"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("awardDate", "2006-13-01"),
        ("awardDate", "23/11/2006"),
        ("currency", "XYZ"),
        ("amountAwarded", "250000"),
    ],
)
def test_the_schema_check_refuses_a_broken_grant(field: str, value: str) -> None:
    document = published()
    document["grants"][0][field] = value
    assert any(problem.startswith("$.grants[0]") for problem in problems(document))


def test_the_schema_check_refuses_a_grant_without_an_amount() -> None:
    document = published()
    del document["grants"][2]["amountAwarded"]
    assert problems(document)


def test_a_plain_date_and_a_date_time_each_match_one_branch_of_the_schema() -> None:
    document = published()
    document["grants"][0]["awardDate"] = "2006-11-23T10:30:00Z"
    document["grants"][1]["dateModified"] = "2006-11-23T10:30:00+01:00"
    assert problems(document) == []
    document["grants"][1]["dateModified"] = "2006-11-23"
    assert problems(document)


def published() -> dict[str, Any]:
    """The package as a reader parses it: checked as valid first, so that a test that breaks
    it shows the schema check at work, not a broken start."""
    document: dict[str, Any] = json.loads(to_json(package(awards_2006(), PUBLISHER, PREFIX)))
    assert problems(document) == []
    return document
