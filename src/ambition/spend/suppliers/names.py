"""Supplier names and numbers as comparable keys. Councils write one supplier many ways
("The Acme Company Ltd", "ACME CO LIMITED - 104233", "Acme & Sons (A/C 99)"): the key
keeps what names the supplier and drops what only styles it (case, punctuation, legal
form, "The", "and", account and branch codes). A "trading as" name is a second name of the
same supplier, so both are kept as variants. Company and charity numbers are written with
and without their leading zeros and prefixes; their keys are the registers' own forms.
Pure: text in, text out."""

from __future__ import annotations

import re
import unicodedata

# Account, branch and reference codes that finance systems append to a name: a bracketed
# code with a digit or "A/C" in it, or a dash then a code of digits (or a short capital
# code such as "- BSP"); and what is left of one that a column's width cut ("ACME LTD
# (A/C", "ACME LTD A/C", "ACME LTD A C" once folded). Cut before the words are folded,
# while the dash and brackets still show.
_TRAILING_CODE = re.compile(
    r"(?:\s*\((?:[^()]*\d[^()]*|\s*a/?c\b[^()]*)\)"  # (A/C 99), (123456), (ref 12)
    r"|\s+[-\u2013]\s*[A-Z0-9/]*\d[A-Z0-9/]*"  # - 123456, - AB12
    r"|\s+[-\u2013]\s*[A-Z]{2,4}"  # - BSP
    # a/c 99, or A/C (A C once folded) with its number cut off
    r"|\s+a\s*[/ ]\s*c\b\.?(?:\s*(?:no\.?)?\s*\d+)?"
    # A bracket the column's width cut before it closed: (A/C 9, (A/, (A, (12, (
    r"|\s*\(\s*(?:a\s*(?:/\s*(?:c\b[^()]*)?)?|[^()]*\d[^()]*)?"
    r"|\s+\d{5,})\s*$",  # a bare account number
    re.IGNORECASE,
)
_TRADING_AS = re.compile(r"\s(?:t/a|t\\a|ta|trading as|trading under)\s", re.IGNORECASE)
# O'Neil, Co., U.K., Co-op: the letters stay together.
_JOINED = re.compile(r"['\u2019`.]|(?<=\bCO)-(?=OP)")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")
# Legal forms, dropped only at the end ("Limited Editions Ltd" -> "LIMITED EDITIONS").
LEGAL_FORMS = frozenset(["LTD", "LIMITED", "PLC", "LLP", "LLC", "INC", "CIC", "CIO", "LTDS"])
_WORDS = frozenset(["THE", "AND", "OF"])
# Common short forms, written out so both spellings meet.
_LONG_FORMS = {
    "LB": "LONDON BOROUGH",
    "RB": "ROYAL BOROUGH",
    "CO": "COMPANY",
    # "Assoc" is written for both, so the three are one word in a key.
    "ASSOC": "ASSOCIATION",
    "ASSN": "ASSOCIATION",
    "ASSOCIATES": "ASSOCIATION",
    "SVCS": "SERVICES",
    "SERV": "SERVICES",
    "INTL": "INTERNATIONAL",
    "BROS": "BROTHERS",
    "DEPT": "DEPARTMENT",
    "MGMT": "MANAGEMENT",
    "CTTEE": "COMMITTEE",
    "UNIV": "UNIVERSITY",
}


def supplier_key(name: str) -> str:
    """The comparable key of a supplier's name: upper case, accents and punctuation gone,
    short forms written out, legal form, "The", "of" and "and" dropped, trailing codes cut.
    Idempotent: a key is its own key (a code that a legal form hid is cut on the next
    round, so rounds go on until nothing changes)."""
    key = _words_key(_cut_codes(name))
    while not _settled(key) and (again := _words_key(_cut_codes(key))) != key:
        key = again
    return key


def _settled(key: str) -> bool:
    """Whether a key is surely its own key, without keying it again (which doubled the
    time): another round can only cut a trailing code (its last word then has a digit, or
    is the "C" of "A C"), drop a legal form or "The", "of" or "and" (left only where the
    whole name was such words)."""
    words = key.split(" ")
    last = words[-1]
    return (
        last != "C"
        and last not in LEGAL_FORMS
        and last.isalpha()  # a key's words are capitals and digits: no digit in it
        and _WORDS.isdisjoint(words)
    )


def name_variants(name: str, key: str | None = None) -> tuple[str, ...]:
    """Every key the name stands for: the whole name's (`key`, if already known), and each
    side of a "trading as" ("J Smith T/A Smith Plumbing": the person and the trade name).
    Distinct, never empty strings, in the order written."""
    key = supplier_key(name) if key is None else key
    # Cutting codes only takes text off the end, so a name whose plain text has no
    # "trading as" has none once cut: its one key, without splitting.
    if _TRADING_AS.search(_plain(name)) is None:
        return (key,) if key else ()
    keys = [key, *(supplier_key(part) for part in _TRADING_AS.split(_cut_codes(name)))]
    return tuple(dict.fromkeys(key for key in keys if key))


def _cut_codes(name: str) -> str:
    text = _plain(name)
    while (cut := _TRAILING_CODE.sub("", text)) != text and cut.strip():
        text = cut
    return text


def _plain(text: str) -> str:
    if text.isascii():  # nothing to decompose (most names)
        return text.replace("&", " and ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("&", " and ")


def _words_key(text: str) -> str:
    words = _SEPARATORS.split(_JOINED.sub("", text.upper()))
    words = [long for word in words if word for long in _LONG_FORMS.get(word, word).split()]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    kept = [word for word in words if word not in _WORDS]
    return " ".join(kept or words)


_COMPANY = re.compile(r"(SC|NI|OC|SO|NC|R|FC|GE|IP|SP|RC|SL|SE|NF|NL|NO|NP|NR|LP|SR|ZC)?(\d{1,8})")
_CHARITY = re.compile(r"(SC|NIC|NI)?0*(\d{1,8})(?:-(\d{1,3}))?")
_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})")


def company_number(text: str | None) -> str | None:
    """Companies House's form of a company number: eight characters, a prefix such as
    SC (Scotland) or NI (Northern Ireland) kept and the digits padded with zeros
    ("12345" -> "00012345", "sc 1234" -> "SC001234"). None for what is not one."""
    found = _COMPANY.fullmatch(_compact(text))
    if found is None or not int(found[2]):
        return None
    prefix = found[1] or ""
    if len(prefix) + len(found[2]) > 8:
        return None
    return prefix + found[2].zfill(8 - len(prefix))


def charity_number(text: str | None) -> str | None:
    """A charity's registered number: England and Wales's digits without leading zeros
    (and a linked charity's "-1"), Scotland's SC and six digits, Northern Ireland's NIC and
    six digits. None for what is not one."""
    found = _CHARITY.fullmatch(_compact(text).removeprefix("CHARITY").removeprefix("NO"))
    if found is None or not int(found[2]):
        return None
    prefix = {"NI": "NIC"}.get(found[1] or "", found[1] or "")
    digits = found[2].zfill(6) if prefix else found[2]
    return prefix + digits + (f"-{int(found[3])}" if found[3] else "")


def postcode(text: str | None) -> str | None:
    """A UK postcode in its written form, outward and inward parts apart ("sw1a1aa" ->
    "SW1A 1AA"). None for what is not one."""
    found = _POSTCODE.fullmatch(_compact(text))
    return f"{found[1]} {found[2]}" if found else None


def _compact(text: str | None) -> str:
    return re.sub(r"[\s.:#]+", "", (text or "").upper())
