"""Supplier names as keys: the spellings councils use meet, distinct names stay apart, and
the key is a fixed point that case and punctuation do not move."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.spend.suppliers.names import (
    _TRADING_AS,
    _cut_codes,
    charity_number,
    company_number,
    name_variants,
    postcode,
    supplier_key,
)

WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10)
NAMES = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


@pytest.mark.parametrize(
    "spellings",
    [
        ["The Acme Company Ltd", "ACME CO LIMITED - 104233", "acme company", "Acme Co. (A/C 99)"],
        ["Smith & Jones PLC", "SMITH AND JONES", "Smith and Jones plc."],
        ["LB of Camden", "LONDON BOROUGH OF CAMDEN", "London Borough of Camden"],
        ["Women's Aid LLP", "WOMENS AID", "Womens Aid Ltd"],
        ["Café Rouge Ltd", "CAFE ROUGE", "Cafe Rouge Limited"],
        ["LONDON BOROUGH OF HACKNEY - BSP", "London Borough of Hackney"],
        ["Shaw Associates", "SHAW ASSOC", "Shaw Association"],  # "Assoc" is either
    ],
)
def test_spellings_of_one_supplier_share_a_key(spellings: list[str]) -> None:
    assert len({supplier_key(name) for name in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("London Borough of Hackney", "London Borough of Lambeth"),
        ("Acme Services Ltd", "Acme Consulting Ltd"),
        ("Limited Editions Ltd", "Editions Ltd"),
    ],
)
def test_distinct_suppliers_keep_distinct_keys(one: str, other: str) -> None:
    assert supplier_key(one) != supplier_key(other)


@pytest.mark.parametrize(
    "cut",
    ["Acme Care Ltd (A/C 81", "Acme Care Ltd (A/C", "ACME CARE LTD (A/", "Acme Care (A",
     "Acme Care Ltd (", "ACME CARE LTD A/C", "ACME CARE A C", "Acme Care a/c."],
)  # fmt: skip
def test_an_account_code_cut_short_is_cut(cut: str) -> None:
    """A finance system's column width cuts "Acme Care Ltd (A/C 812)" anywhere: what is left
    of the code is no part of the name (folded, "A/C" would leave "... A C")."""
    assert supplier_key(cut) == "ACME CARE"


@pytest.mark.parametrize(
    ("name", "key"),
    [("Plan A", "PLAN A"), ("Acme (London", "ACME LONDON"), ("Newham Beagles AC",
     "NEWHAM BEAGLES AC"), ("Smith A Care", "SMITH A CARE"), ("A C", "A C")],
)  # fmt: skip
def test_words_like_a_cut_code_stay(name: str, key: str) -> None:
    assert supplier_key(name) == key


def test_a_trading_name_is_kept_as_a_variant() -> None:
    variants = name_variants("J Smith T/A Smith Plumbing")
    assert "J SMITH" in variants and "SMITH PLUMBING" in variants
    assert name_variants("Acme Ltd") == ("ACME",)


PIECES = st.sampled_from(
    ["Acme", "Smith", "t/a", "T\\A", "&TA", "ta", "trading as", "&", "Ltd", "(A/C 9)", "- 1234",
     "Café", "Jones"]
)  # fmt: skip


@given(st.lists(PIECES, max_size=7).map(" ".join))
def test_variants_without_a_trading_name_are_the_key_alone(name: str) -> None:
    """The quick way (no "trading as" in the plain text: the key alone) and a known key
    give what keying every side of the cut name gives."""
    sides = [name, *_TRADING_AS.split(_cut_codes(name))]
    every = tuple(dict.fromkeys(key for key in map(supplier_key, sides) if key))
    assert name_variants(name) == name_variants(name, supplier_key(name)) == every


@given(st.text(max_size=60))
def test_a_key_is_its_own_key(name: str) -> None:
    key = supplier_key(name)
    assert supplier_key(key) == key


# The parts that make a key take more than one round: codes a legal form hides, "The",
# "of" and "and", a cut "A/C".
PARTS = st.lists(
    st.sampled_from(["ACME", "LTD", "Plc", "THE", "and", "OF", "A/C", "a c", "12345", "99",
                     "(A/C 9", "(12", "- 104233", "- BSP", "C", "A", "&", "Co.", "No 12"]),
    min_size=1, max_size=8,
).map(" ".join)  # fmt: skip


@given(PARTS)
def test_a_key_of_codes_and_forms_is_its_own_key(name: str) -> None:
    """A key is settled without another round only where none could change it."""
    key = supplier_key(name)
    assert supplier_key(key) == key


@given(NAMES)
def test_case_does_not_change_the_key(name: str) -> None:
    assert supplier_key(name.lower()) == supplier_key(name) == supplier_key(name.title())


@given(NAMES, st.lists(st.sampled_from([",", ".", "'", ";", '"', "!"]), min_size=1))
def test_punctuation_after_words_does_not_change_the_key(name: str, marks: list[str]) -> None:
    words = name.split()
    marked = " ".join(w + marks[i % len(marks)] for i, w in enumerate(words))
    assert supplier_key(marked) == supplier_key(name)


@given(NAMES, st.sampled_from(["Ltd", "Limited", "PLC", "LLP", "ltd."]))
def test_a_legal_form_does_not_change_the_key(name: str, form: str) -> None:
    if supplier_key(name).split()[-1:] in (["LTD"], ["LIMITED"], ["PLC"], ["LLP"]):
        return  # a name that is itself a legal form keeps it
    assert supplier_key(f"{name} {form}") == supplier_key(name)


@given(st.text(max_size=30))
def test_keys_are_plain_capitals_digits_and_single_spaces(name: str) -> None:
    key = supplier_key(name)
    assert key == " ".join(key.split())
    assert all(c.isascii() and (c.isupper() or c.isdigit() or c == " ") for c in key)


@pytest.mark.parametrize(
    ("written", "number"),
    [("12345", "00012345"), ("0012 3456", "00123456"), ("sc 1234", "SC001234"),
     ("NI012345", "NI012345"), ("OC301234", "OC301234"), ("00000000", None),
     ("123456789", None), ("ACME", None), (None, None)],
)  # fmt: skip
def test_company_numbers_take_companies_house_form(written: str | None, number: str | None) -> None:
    assert company_number(written) == number


@given(st.integers(1, 99_999_999))
def test_a_company_number_with_or_without_zeros_is_one_number(n: int) -> None:
    assert company_number(str(n)) == company_number(f"{n:08d}") == f"{n:08d}"


@pytest.mark.parametrize(
    ("written", "number"),
    [("1012345", "1012345"), ("01012345", "1012345"), ("1012345-1", "1012345-1"),
     ("SC012345", "SC012345"), ("sc 12345", "SC012345"), ("NI 100123", "NIC100123"),
     ("Charity No. 211234", "211234"), ("none", None)],
)  # fmt: skip
def test_charity_numbers_take_the_registers_form(written: str, number: str | None) -> None:
    assert charity_number(written) == number


def test_postcodes_are_written_in_two_parts() -> None:
    assert postcode("sw1a1aa") == postcode("SW1A 1AA") == "SW1A 1AA"
    assert postcode("SE17PB") == "SE1 7PB"
    assert postcode("123456") is None
