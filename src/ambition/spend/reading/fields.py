"""The canonical fields of a spend transaction (the Local Government Transparency Code's,
and what finance systems add) and the headings that name them. A heading names a field
exactly (one of its synonyms, after folding case, spacing and punctuation) or loosely (its
words include the field's key words); `named_field` says which, and how strongly."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Field(StrEnum):
    DATE = "date"
    PERIOD = "period"
    SUPPLIER = "supplier"
    SUPPLIER_ID = "supplier_id"
    AMOUNT = "amount"
    VAT = "vat"
    BODY = "body"
    SERVICE = "service"
    DIRECTORATE = "directorate"
    EXPENSE_TYPE = "expense_type"
    ACCOUNT = "account"
    PURPOSE = "purpose"
    TRANSACTION_ID = "transaction_id"
    INVOICE_ID = "invoice_id"
    COMPANY_NUMBER = "company_number"
    CHARITY_NUMBER = "charity_number"
    MERCHANT_CATEGORY = "merchant_category"
    POSTCODE = "postcode"


# Each field in the words a person reads on the upload pages ("the ... column").
WORDS: dict[Field, str] = {
    Field.DATE: "date paid",
    Field.PERIOD: "period (a month or quarter)",
    Field.SUPPLIER: "supplier's name",
    Field.SUPPLIER_ID: "supplier's reference number",
    Field.AMOUNT: "amount paid",
    Field.VAT: "VAT",
    Field.BODY: "paying body's name",
    Field.SERVICE: "service",
    Field.DIRECTORATE: "directorate or department",
    Field.EXPENSE_TYPE: "expense type",
    Field.ACCOUNT: "account code or name",
    Field.PURPOSE: "purpose or description",
    Field.TRANSACTION_ID: "transaction number",
    Field.INVOICE_ID: "invoice number",
    Field.COMPANY_NUMBER: "company number",
    Field.CHARITY_NUMBER: "charity number",
    Field.MERCHANT_CATEGORY: "merchant category (card payments)",
    Field.POSTCODE: "supplier's postcode",
}


class AmountKind(StrEnum):
    NET = "net"
    GROSS = "gross"


# A record needs these; a date may instead be a period, for the row or the whole file.
REQUIRED = (Field.SUPPLIER, Field.AMOUNT)
EXACT, LOOSE = 1.0, 0.7  # how strongly a heading names its field

_SYNONYMS: dict[Field, list[str]] = {
    Field.DATE: ["date", "payment date", "paid date", "date paid", "transaction date",
                 "invoice date", "clearing date", "posting date", "date of payment",
                 "effective date", "pay date", "invoice creation date", "check date"],
    Field.PERIOD: ["period", "month", "quarter", "payment period", "accounting period",
                   "reporting period", "period name", "month of payment"],
    Field.SUPPLIER: ["supplier", "supplier name", "vendor", "vendor name", "payee",
                     "payee name", "beneficiary", "beneficiary name", "creditor",
                     "creditor name", "recipient", "recipient name", "merchant name",
                     "name of supplier", "trader", "company name", "supplier details",
                     "benificiary name"],
    Field.SUPPLIER_ID: ["vendor id", "supplier id", "supplier number", "vendor number",
                        "supplier code", "vendor code", "creditor id", "creditor number",
                        "payee id", "supplier reference", "supplier ref"],
    Field.AMOUNT: ["amount", "value", "net amount", "gross amount", "amount paid",
                   "total", "net", "gross", "spend", "payment amount", "invoice amount",
                   "invoice nett amount", "sum of invoice nett amount", "nett amount",
                   "line amount", "transaction amount", "net value", "amount gbp",
                   "amount £", "expenditure", "value £", "total amount", "amount excl vat",
                   "amount excluding vat", "amount incl vat", "value excluding vat"],
    Field.VAT: ["vat", "vat amount", "irrecoverable vat", "vat irrecoverable",
                "non recoverable vat", "vat non recoverable"],
    Field.BODY: ["body", "body name", "organisation", "organisation name", "authority",
                 "council", "local authority", "organisation label"],
    Field.SERVICE: ["service", "service area", "service label", "service expenditure analysis",
                    "service division", "service area categorisation", "service category",
                    "proclass", "proclass label", "sercop", "service line"],
    Field.DIRECTORATE: ["directorate", "department", "division", "organisational unit",
                        "portfolio", "business unit", "cost centre description",
                        "cost centre name", "responsible unit", "expenditure area"],
    Field.EXPENSE_TYPE: ["expense type", "expenditure type", "expense area",
                         "expenditure category", "expense category", "category",
                         "subjective", "subjective description", "subj description",
                         "expenditure account code description", "account description",
                         "account name", "cost element description", "type of expenditure",
                         "detailed expense type", "expense description", "nominal description"],
    Field.ACCOUNT: ["account", "account code", "cost element", "nominal", "nominal code",
                    "ledger code", "gl code", "cost centre", "cost centre code",
                    "subjective code", "expenditure code", "expense code"],
    Field.PURPOSE: ["purpose", "purpose of expenditure", "description", "narrative",
                    "details", "transaction description", "item description",
                    "summary of purpose", "reason", "purpose of spend"],
    Field.TRANSACTION_ID: ["transaction id", "transaction number", "transaction no",
                           "transaction reference", "document no", "document number",
                           "payment reference", "payment number", "voucher number",
                           "reference", "ref", "transaction ref", "payment id", "ap number"],
    Field.INVOICE_ID: ["invoice number", "invoice no", "invoice id", "invoice reference",
                       "invoice ref", "supplier invoice number"],
    Field.COMPANY_NUMBER: ["company number", "company no", "company registration number",
                           "registered company number", "companies house number",
                           "company reg no", "crn"],
    Field.CHARITY_NUMBER: ["charity number", "charity no", "charity registration number",
                           "registered charity number"],
    Field.MERCHANT_CATEGORY: ["merchant category", "merchant category code", "mcc",
                              "merchant type", "card merchant category"],
    Field.POSTCODE: ["postcode", "supplier postcode", "post code", "vendor postcode"],
}  # fmt: skip

_EXACT = {name: field for field, names in _SYNONYMS.items() for name in names}


@dataclass(frozen=True, slots=True)
class Naming:
    field: Field
    strength: float  # EXACT or LOOSE
    amount_kind: AmountKind | None = None


def folded(heading: str) -> str:
    """A heading as the synonyms are written: lower case, words only, single spaces."""
    return " ".join(_PUNCTUATION.sub(" ", heading.lower().replace("£", " £ ")).split())


@functools.lru_cache(maxsize=4096)  # headings repeat from file to file
def named_field(heading: str) -> Naming | None:
    """The field a heading names, if any. A heading of many words (a sentence of preamble,
    an SQL query published by mistake) names none."""
    key = folded(heading)
    if not key or len(key) > 60 or len(key.split()) > 7:
        return None
    kind = amount_kind(key)
    if field := _EXACT.get(key):
        return Naming(field, EXACT, kind if field is Field.AMOUNT else None)
    words = set(key.split())
    for field, test in _LOOSE:
        if test(words):
            return Naming(field, LOOSE, kind if field is Field.AMOUNT else None)
    return None


def amount_kind(key: str) -> AmountKind | None:
    """Net or gross, as a heading says: "Invoice Nett Amount", "Amount incl VAT"."""
    words = set(key.split())
    if words & {"net", "nett"} or "excl" in key or "excluding" in words:
        return AmountKind.NET
    if "gross" in words or "incl" in key:
        return AmountKind.GROSS
    return None


_PUNCTUATION = re.compile(r"[^\w£]+")
_PARTIES = {"supplier", "vendor", "payee", "beneficiary", "creditor", "recipient"}
_NUMBERS = {"id", "number", "no", "code", "ref", "reference", "num"}


def _any(*words: str) -> Callable[[set[str]], bool]:
    wanted = set(words)
    return lambda found: bool(found & wanted)


def _both(first: set[str], second: set[str]) -> Callable[[set[str]], bool]:
    return lambda found: bool(found & first) and bool(found & second)


# Loose namings, in order: the first that fits wins, so "VAT amount" is VAT, not the
# amount, and "Expenditure account description" is an expense type, not spend.
_LOOSE: list[tuple[Field, Callable[[set[str]], bool]]] = [
    (Field.VAT, _any("vat")),
    (Field.COMPANY_NUMBER, _both({"company", "companies"}, _NUMBERS | {"registration"})),
    (Field.CHARITY_NUMBER, _any("charity")),
    (Field.MERCHANT_CATEGORY, _any("merchant", "mcc")),
    (Field.POSTCODE, _any("postcode")),
    (Field.SUPPLIER_ID, _both(_PARTIES, _NUMBERS)),
    (Field.SUPPLIER, _any(*_PARTIES)),
    (Field.INVOICE_ID, _both({"invoice"}, _NUMBERS)),
    (Field.TRANSACTION_ID, _both({"transaction", "payment", "document", "voucher"}, _NUMBERS)),
    (Field.DATE, _any("date")),
    (Field.PERIOD, _any("period", "month", "quarter")),
    (Field.EXPENSE_TYPE, _both({"expense", "expenditure", "subjective", "account"},
                               {"type", "description", "category", "area", "name"})),
    (Field.ACCOUNT, _both({"account", "nominal", "ledger", "cost"}, _NUMBERS | {"element"})),
    (Field.SERVICE, _any("service", "services")),
    (Field.DIRECTORATE, _any("directorate", "department", "division", "portfolio")),
    (Field.AMOUNT, _any("amount", "value", "net", "nett", "gross", "total", "sum", "spend")),
    (Field.PURPOSE, _any("purpose", "description", "narrative", "details")),
]  # fmt: skip
