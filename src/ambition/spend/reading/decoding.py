"""A spending file's bytes to text. Councils publish CSV from Excel, from finance systems
and from scripts: plain or gzip-compressed, UTF-8 or UTF-16 with a byte-order mark, UTF-8
without one, or Windows-1252 (where "£" is the single byte A3), with any line ending, old
Mac bare CRs included. The text keeps its line endings; `tables` reads CSV from it with
csv's own universal-newline handling, so a quoted cell may still hold a line break."""

from __future__ import annotations

import codecs
import re
import zlib

from ambition.indicators.limits import UnreadableFile

GZIP_MAGIC = b"\x1f\x8b"
# What one file may expand to: a gzip bomb is stopped here, before it fills memory.
EXPANDED_LIMIT = 512 << 20
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM begins it
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# C1 control characters never appear in real text: where they do, a file was decoded as
# Latin-1 once (or twice) on its way to us, and `repaired` undoes it.
_C1 = re.compile("[\x80-\x9f]")


def decoded(data: bytes, limit: int = EXPANDED_LIMIT) -> str:
    """The text of a file's bytes, expanded first when gzip-compressed."""
    return text_and_bytes(data, limit)[0]


def text_and_bytes(data: bytes, limit: int = EXPANDED_LIMIT) -> tuple[str, bytes | None]:
    """The text of a file's bytes, and the text's UTF-8 bytes where the file holds them so
    (its byte-order mark aside): a reader of UTF-8 then needs no copy encoded again."""
    if data.startswith(GZIP_MAGIC):
        data = expanded(data, limit)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            return text, data[len(bom) :] if encoding == "utf-8" else None
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        return _windows_1252(data), None


def expanded(data: bytes, limit: int) -> bytes:
    """A gzip stream's content (every member of it), refused past `limit` bytes."""
    parts: list[bytes] = []
    size, rest = 0, data
    try:
        while rest.startswith(GZIP_MAGIC):
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            part = inflater.decompress(rest, limit - size + 1)
            size += len(part)
            if size > limit or inflater.unconsumed_tail:
                raise UnreadableFile(f"the file expands to more than {limit >> 20:,} MB")
            if not inflater.eof:
                raise UnreadableFile("the gzip file is cut short")
            parts.append(part)
            rest = inflater.unused_data
    except zlib.error as error:
        raise UnreadableFile(f"not a readable gzip file: {error}") from error
    return b"".join(parts)


def repaired(text: str) -> str:
    """`text` with the damage of a wrong decoding undone: "DU PRÃ\\x89" is "DU PRÉ" (UTF-8
    read as Latin-1, perhaps more than once) and "Children\\x92s" is "Children\u2019s"
    (Windows-1252 read as Latin-1). Text without C1 characters is returned as it is."""
    while _C1.search(text):
        try:
            text = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return _C1.sub(_as_windows_1252, text)
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the file says it is {encoding} but is not: {error}") from error


def _windows_1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes have no character in it; Latin-1 keeps them
        return data.decode("latin-1")


def _as_windows_1252(match: re.Match[str]) -> str:
    try:
        return match.group().encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return match.group()
