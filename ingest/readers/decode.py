"""Bytes -> text, or a clear reason why not. Shared by every reader."""

from __future__ import annotations

import gzip
import io
import zlib

from ingest.errors import InputError, RejectReason

# Signatures of files that are never articles, whatever their extension says.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP container (docx/xlsx/zip)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
    b"\xd0\xcf\x11\xe0": "legacy Office document",
}
_CONTROL = {c for c in range(32) if chr(c) not in "\t\n\r\f"}


def snippet(data: bytes | str, limit: int = 300) -> str:
    """A printable preview of raw input for the rejects table."""
    if isinstance(data, bytes):
        data = data[: limit * 4].decode("utf-8", errors="backslashreplace")
    return data[:limit]


def sniff_binary(data: bytes) -> str | None:
    for sig, what in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            return what
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "NUL bytes"
    return None


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252
    when the result looks like text. Returns the text and any warnings."""
    what = sniff_binary(data)
    if what:
        raise InputError(RejectReason.BINARY, f"binary content ({what})", snippet(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError as exc:
            raise InputError(RejectReason.UNDECODABLE, f"invalid UTF-16: {exc}", snippet(data)) from exc
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                RejectReason.UNDECODABLE,
                f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Windows-1252",
                snippet(data),
            ) from utf8_error
        controls = sum(1 for ch in text if ord(ch) in _CONTROL)
        if controls > max(2, len(text) // 200):
            raise InputError(
                RejectReason.UNDECODABLE,
                f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}); "
                f"{controls} control characters as Windows-1252",
                snippet(data),
            ) from utf8_error
        return text, (f"not valid UTF-8 (byte {utf8_error.start}); decoded as Windows-1252",)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(RejectReason.CORRUPT_ARCHIVE, f"gzip: {exc}", snippet(data)) from exc
    if len(out) > max_bytes:
        raise InputError(RejectReason.OVERSIZED, f"decompresses to more than {max_bytes} bytes")
    return out
