"""Zip and gzip bombs for the tests, made in a moment and about 1 MB on disk per GiB they
expand to, without ever holding what they expand to."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

MB = 1 << 20
MB_OF_LINES = b"\n" * MB


def deflated(head: bytes, chunk: bytes, count: int, tail: bytes = b"") -> tuple[bytes, int, int]:
    """`head + chunk * count + tail` as raw deflate, with its CRC-32 and size, made in a
    moment: after a full flush the compressor starts afresh, so each chunk compresses to
    the same bytes, which are repeated rather than compressed again."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH) if count else b""
    last = squeeze.compress(tail) + squeeze.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * count + last, crc, len(head) + len(chunk) * count + len(tail)


def gzip_bomb(path: Path, size: int) -> Path:
    """A CSV of a header and `size` bytes of blank lines: about 1 MB on disk per GiB."""
    data, crc, length = deflated(b"authority,indicator,period,value\n", MB_OF_LINES, size >> 20)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, length & 0xFFFFFFFF)
    path.write_bytes(header + data + trailer)
    return path


def write_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A zip of members already deflated, laid out as the zip format says."""
    local, central = b"", b""
    for name, (data, crc, size) in members.items():
        encoded = name.encode()
        sizes = (crc, len(data), size, len(encoded))
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                33,
                *sizes,
                0,
                0,
                0,
                0,
                0,
                len(local),
            )
            + encoded
        )
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 33, *sizes, 0)
        local += encoded + data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0
    )
    path.write_bytes(local + central + end)


def xlsx_bomb(path: Path, size: int) -> Path:
    """A workbook whose one shared string is `size` bytes long: about 1 MB on disk per GiB."""
    book = Workbook()
    book.active.append(["authority", "indicator", "period", "value"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>'
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    packed = {name: deflated(data, b"", 0) for name, data in members.items()}
    packed["xl/sharedStrings.xml"] = deflated(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>',
        b"A" * MB,
        size >> 20,
        b"</t></si></sst>",
    )
    write_zip(path, packed)
    return path
