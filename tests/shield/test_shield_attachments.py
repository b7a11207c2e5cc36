"""Attachments: sniffed type, size limit, metadata stripped, archives and macros quarantined."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from kefu.shield.attachments import check_attachment, redact_text_attachment, safe_filename

LIMIT = 1_000_000


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 16), "red").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def office_package(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in names:
            package.writestr(name, "<xml/>")
    return out.getvalue()


def test_images_are_re_encoded_without_exif() -> None:
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    verdict = check_attachment("photo.jpg", "image/jpeg", data, LIMIT)
    assert (verdict.status, verdict.content_type, verdict.reason) == ("ok", "image/jpeg", None)
    assert not Image.open(io.BytesIO(verdict.data)).getexif()


def test_the_declared_type_and_name_are_not_trusted() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    verdict = check_attachment("invoice.pdf", "application/pdf", out.getvalue(), LIMIT)
    assert verdict.content_type == "image/png"
    elf = check_attachment(
        "report.pdf", "application/pdf", b"\x7fELF\x02\x01\x01" + bytes(64), LIMIT
    )
    assert (elf.status, elf.reason) == ("quarantined", "type_not_allowed")


def test_oversized_files_are_refused_and_not_kept() -> None:
    verdict = check_attachment("big.txt", "text/plain", b"a" * 11, 10)
    assert (verdict.status, verdict.reason, verdict.data) == ("refused", "too_large", b"")


def test_archives_are_quarantined_not_unpacked() -> None:
    verdict = check_attachment("logs.zip", "application/zip", office_package("a.txt"), LIMIT)
    assert (verdict.status, verdict.reason) == ("quarantined", "archive_not_unpacked")


def test_office_documents_are_kept_unless_they_carry_macros() -> None:
    docx = office_package("[Content_Types].xml", "word/document.xml")
    assert check_attachment("a.docx", "", docx, LIMIT).status == "ok"
    docm = office_package("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
    verdict = check_attachment("a.docx", "", docm, LIMIT)
    assert (verdict.status, verdict.reason) == ("quarantined", "office_macros")


def test_pdfs_with_scripts_are_quarantined() -> None:
    plain = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"
    assert check_attachment("a.pdf", "", plain, LIMIT).status == "ok"
    active = plain.replace(b"/Catalog", b"/Catalog /OpenAction << /JavaScript 2 0 R >>")
    assert check_attachment("a.pdf", "", active, LIMIT).reason == "pdf_active_content"


def test_text_is_kept_and_html_is_not() -> None:
    assert (
        check_attachment("notes.txt", "", "你好 hello".encode(), LIMIT).content_type == "text/plain"
    )
    assert check_attachment("a.csv", "", b"a,b\n1,2\n", LIMIT).content_type == "text/csv"
    html = check_attachment("a.txt", "text/plain", b"<html><script>x</script></html>", LIMIT)
    assert (html.status, html.content_type) == ("quarantined", "text/html")


def test_text_attachments_are_redacted() -> None:
    data, findings = redact_text_attachment("登录密码：Abc12345\n".encode(), "zh-Hans")
    assert data.decode() == "登录密码：[已隐藏:密码]\n"
    assert [f.kind for f in findings] == ["password"]
    untouched = b"nothing secret here\n"
    assert redact_text_attachment(untouched, "en") == (untouched, ())


def test_file_names_lose_their_path_and_control_characters() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\a\\photo\x00.jpg") == "photo.jpg"
    assert safe_filename("") == "attachment"
