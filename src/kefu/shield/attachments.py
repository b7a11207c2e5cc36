"""Attachment checks: size limit, sniffed type, metadata stripped from images.

The declared type and the file name come from the sender and are not trusted;
the content decides. Nothing is dropped silently: a verdict says what happened
and why (`reason` is a stable code the channel turns into a message for the
sender and a note for the agent).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from typing import Literal

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from kefu.shield.findings import Finding
from kefu.shield.redact import redact_secrets

Status = Literal["ok", "quarantined", "refused"]

IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
OFFICE_TYPES = frozenset(
    {
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-tar",
        "application/x-rar-compressed",
        "application/gzip",
        "application/x-bzip2",
        "application/x-7z-compressed",
        "application/x-xz",
        "application/vnd.ms-cab-compressed",
        "application/x-compress",
        "application/x-lzip",
        "application/zstd",
        "application/epub+zip",
    }
)
# Markers of active content in a PDF: scripts, launch actions, embedded files.
_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
_MAX_PIXELS = 50_000_000
_TEXT_SAMPLE = 64 * 1024
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script", b"<body")


@dataclass(frozen=True)
class AttachmentVerdict:
    """What to do with one attachment; `data` is what may be stored (re-encoded for images)."""

    status: Status
    content_type: str
    data: bytes
    reason: str | None = None
    filename: str = ""


def check_attachment(
    filename: str, declared_type: str, data: bytes, max_bytes: int
) -> AttachmentVerdict:
    """Decide whether an attachment is kept, quarantined or refused. See module docstring."""
    del declared_type  # sniffed instead: a sender can declare anything
    name = safe_filename(filename)
    if len(data) > max_bytes:
        return AttachmentVerdict("refused", "application/octet-stream", b"", "too_large", name)
    content_type = sniff_type(data, name)
    if content_type in IMAGE_TYPES:
        return _check_image(name, content_type, data)
    if content_type == "application/pdf":
        return _check_pdf(name, data)
    if content_type in OFFICE_TYPES:
        return _check_office(name, content_type, data)
    if content_type in ("text/plain", "text/csv"):
        return AttachmentVerdict("ok", content_type, data, None, name)
    if content_type in ARCHIVE_TYPES:
        return AttachmentVerdict("quarantined", content_type, data, "archive_not_unpacked", name)
    return AttachmentVerdict("quarantined", content_type, data, "type_not_allowed", name)


def sniff_type(data: bytes, filename: str = "") -> str:
    """The content type by content; text only when it decodes and has no control bytes."""
    if not data:
        return "text/plain"
    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    head = data[:_TEXT_SAMPLE]
    if head.lstrip()[:16].lower().startswith(_MARKUP_STARTS):
        return "text/html"
    if _decode_text(head) is None:
        return "application/octet-stream"
    return "text/csv" if filename.lower().endswith(".csv") else "text/plain"


def safe_filename(filename: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return cleaned[:200] or "attachment"


def redact_text_attachment(data: bytes, language: str) -> tuple[bytes, tuple[Finding, ...]]:
    """Redact a text attachment: UTF-8 bytes and findings (positions in the decoded text)."""
    text = _decode_text(data)
    if text is None:
        text = data.decode("utf-8", "replace")
    redacted = redact_secrets(text, language)
    if not redacted.findings:
        return data, ()
    return redacted.text.encode("utf-8"), redacted.findings


def _decode_text(data: bytes) -> str | None:
    """The text of `data`, or None when it is not text (undecodable or control bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    # A sample may end inside a multi-byte character: allow a cut of up to 3 bytes.
    cuts = (0, 1, 2, 3) if len(data) >= _TEXT_SAMPLE else (0,)
    for encoding in encodings:
        for cut in cuts:
            try:
                text = data[: len(data) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            return text if _looks_like_text(text) else None
    return None


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls == 0


def _check_image(name: str, content_type: str, data: bytes) -> AttachmentVerdict:
    try:
        clean = _reencode_image(data, IMAGE_TYPES[content_type])
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return AttachmentVerdict("quarantined", content_type, data, "image_unreadable", name)
    except Image.DecompressionBombWarning:
        return AttachmentVerdict("quarantined", content_type, data, "image_too_large", name)
    return AttachmentVerdict("ok", content_type, clean, None, name)


def _reencode_image(data: bytes, image_format: str) -> bytes:
    """Decode and encode again: EXIF (GPS, device), XMP and comments are left behind."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > _MAX_PIXELS:
                raise Image.DecompressionBombWarning("too many pixels")
            frames = getattr(image, "n_frames", 1)
            out = io.BytesIO()
            if frames > 1:
                image.save(out, format=image_format, save_all=True)
            else:
                # Orientation lives in EXIF; apply it before EXIF is dropped.
                upright = ImageOps.exif_transpose(image)
                upright.info.pop("exif", None)
                upright.save(out, format=image_format)
    return out.getvalue()


def _check_pdf(name: str, data: bytes) -> AttachmentVerdict:
    if any(marker in data for marker in _PDF_ACTIVE):
        return AttachmentVerdict("quarantined", "application/pdf", data, "pdf_active_content", name)
    return AttachmentVerdict("ok", "application/pdf", data, None, name)


def _check_office(name: str, content_type: str, data: bytes) -> AttachmentVerdict:
    if _has_macros(data):
        return AttachmentVerdict("quarantined", content_type, data, "office_macros", name)
    return AttachmentVerdict("ok", content_type, data, None, name)


def _has_macros(data: bytes) -> bool:
    """Macro projects in an OOXML/ODF package (its directory is read, nothing is unpacked)."""
    if not data.startswith(b"PK"):
        return b"_VBA_PROJECT" in data or b"V\x00B\x00A\x00" in data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
    except zipfile.BadZipFile:
        return True  # unreadable package: treat as unsafe
    return any(n.lower().endswith("vbaproject.bin") or n.startswith("Basic/") for n in names)
