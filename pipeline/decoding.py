"""Bytes to text: find each file's encoding, or use the one the user named.

Detection (``encoding="auto"``, the default): a byte-order mark decides first (UTF-8, UTF-16
and UTF-32, either byte order); then UTF-8, which most files are; then charset-normalizer's
guesses, among which the encodings Portuguese files come in (``data/preferred_encodings.tsv``)
win near-ties. The encoding used is returned with the text, so it can be recorded per document.

An encoding given by name is used as given, except that a file which is valid UTF-8 with
non-ASCII characters is refused under a single-byte encoding: decoding it so would turn every
accent into two garbage characters (``ç`` → ``Ã§``) without a word.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AUTO = "auto"
#: Bytes looked at to decide whether a file is binary.
SNIFF_BYTES = 8192
_PREFERRED = Path(__file__).parent / "data" / "preferred_encodings.tsv"
#: How much more "chaos" (charset-normalizer's mess measure, 0 = clean) a preferred encoding
#: may show than the best guess and still win.
_CHAOS_SLACK = 0.05

# UTF-32 LE's mark begins with UTF-16 LE's: look for the longer marks first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded text and the encoding used, or why there is none."""

    text: str | None
    encoding: str | None = None
    error_type: str | None = None
    message: str | None = None


def encoding_name(name: str) -> str:
    """The canonical name of an encoding (``UTF8`` → ``utf-8``); ``auto`` stays ``auto``.

    Raises LookupError for a name Python does not know.
    """
    if name.strip().lower() == AUTO:
        return AUTO
    return codecs.lookup(name.strip()).name


@cache
def _preferred() -> tuple[str, ...]:
    lines = _PREFERRED.read_text(encoding="utf-8").splitlines()
    return tuple(codecs.lookup(line.split("\t")[0]).name for line in lines
                 if line.strip() and not line.startswith("#"))


def _is_wide(codec: str) -> bool:
    return codec.startswith(("utf-16", "utf-32"))


def _from_bom(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _looks_binary(text: str) -> bool:
    head = text[:SNIFF_BYTES]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > max(8, len(head) // 20)


def _decode_as(data: bytes, codec: str, named: str) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        return Decoded(None, error_type="undecodable", message=(
            f"byte 0x{bad} at offset {exc.start} is not valid {named}; leave out --encoding "
            "to have each file's encoding detected, or name the right one"))
    return Decoded(text, codec)


def _utf8_with_accents(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _partly_utf8(data: bytes) -> bool:
    """Whether ``data`` holds valid multi-byte UTF-8 sequences among its invalid bytes."""
    return any(ord(ch) > 127 and ch != "\ufffd" for ch in data.decode("utf-8", "replace"))


def _guess(data: bytes) -> str | None:
    """charset-normalizer's encoding for ``data``, preferring Portuguese files' encodings."""
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files need it

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    fitting = {codecs.lookup(name).name for m in matches if m.chaos <= best.chaos + _CHAOS_SLACK
               for name in m.could_be_from_charset}
    for codec in _preferred():
        if codec in fitting:
            return codec
    return codecs.lookup(best.encoding).name


def decode_bytes(data: bytes, encoding: str = AUTO) -> Decoded:
    """Decode ``data`` with ``encoding``, or with the encoding detected when it is ``auto``."""
    named = AUTO if encoding.strip().lower() == AUTO else encoding
    bom = _from_bom(data)
    if named == AUTO and bom is not None:
        codec, skip = bom
        decoded = _decode_as(data[skip:], codec, f"{codec} (the file starts with its "
                             "byte-order mark)")
    elif named == AUTO:
        if b"\x00" in data[:SNIFF_BYTES]:
            return Decoded(None, error_type="binary", message=(
                "the file is binary (it contains NUL bytes), not text; UTF-16 and UTF-32 "
                "files need a byte-order mark, or --encoding utf-16"))
        try:
            decoded = Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as exc:
            if _partly_utf8(data):  # UTF-8 with bad bytes: no single encoding reads it all
                bad = data[exc.start : exc.start + 1].hex()
                return Decoded(None, error_type="undecodable", message=(
                    f"the file is UTF-8 but byte 0x{bad} at offset {exc.start} is not valid "
                    "UTF-8 (it mixes encodings); fix the file, or name one encoding for it "
                    "with --encoding"))
            codec = _guess(data)
            if codec is None:
                return Decoded(None, error_type="undecodable", message=(
                    "the file is not valid UTF-8 and no other encoding fits its bytes; "
                    "name its encoding with --encoding"))
            decoded = _decode_as(data, codec, codec)
    else:
        try:
            codec = encoding_name(named)
        except LookupError:
            return Decoded(None, error_type="bad_encoding", message=f"unknown encoding {named!r}")
        if b"\x00" in data[:SNIFF_BYTES] and not _is_wide(codec):
            return Decoded(None, error_type="binary",
                           message="the file is binary (it contains NUL bytes), not text")
        if not codec.startswith("utf") and _utf8_with_accents(data):
            return Decoded(None, error_type="encoding_mismatch", message=(
                f"the file is valid UTF-8 but --encoding {named} was given: read so, its "
                f"accented letters would turn into pairs of other characters; leave out "
                "--encoding to have each file's encoding detected"))
        if codec == "utf-8" and bom is not None and bom[0] == "utf-8":
            data = data[len(codecs.BOM_UTF8):]
        decoded = _decode_as(data, codec, named)
    if decoded.text is not None and _looks_binary(decoded.text):
        return Decoded(None, error_type="binary",
                       message="the file looks binary (many control characters), not text")
    if decoded.text is not None and decoded.text.startswith("\ufeff"):
        decoded = Decoded(decoded.text[1:], decoded.encoding)  # a mark the codec kept
    return decoded
