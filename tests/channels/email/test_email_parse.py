"""`parse_email`: charsets, encoded words, structure, flags, and never raising."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kefu.channels.email.parse import ParsedEmail, parse_email


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    return next(p for p in here.parents if (p / "pyproject.toml").exists())


ZAMMAD = _repo_root().parent / "shared" / "data" / "email-corpus" / "zammad"


def _zammad(name: str) -> ParsedEmail:
    return parse_email((ZAMMAD / "raw" / f"{name}.box").read_bytes())


def _message(headers: str, body: bytes, *, ctype: str = "text/plain; charset=utf-8") -> bytes:
    head = f"From: Wang <wang@example.com>\r\nTo: support@kefu.example\r\n{headers}"
    return f"{head}Content-Type: {ctype}\r\n\r\n".encode() + body


def _b(text: str, charset: str) -> str:
    return base64.b64encode(text.encode(charset)).decode()


# --------------------------------------------------------------------------- charsets


def test_gb2312_label_with_gbk_only_characters_decodes_as_gb18030() -> None:
    # 镕 and 㐀 are not in GB2312; clients still label such mail gb2312.
    body = "朱镕基 㐀 提现未到账".encode("gb18030")
    parsed = parse_email(_message("Subject: x\r\n", body, ctype="text/plain; charset=gb2312"))
    assert parsed.text == "朱镕基 㐀 提现未到账"
    assert parsed.defects == ()


def test_raw_8bit_gbk_subject_and_name_use_the_body_charset() -> None:
    raw = (
        b'From: "\xce\xe4\xc0\xbc\xb3\xc9" <wu@example.com>\r\n'
        + "Subject: 充值未到账\r\n".encode("gbk")
        + b"Content-Type: text/plain; charset=gbk\r\n\r\n"
        + "您好".encode("gbk")
    )
    parsed = parse_email(raw)
    assert (parsed.from_name, parsed.subject, parsed.text) == ("武兰成", "充值未到账", "您好")


def test_big5_falls_back_to_hkscs() -> None:
    body = "香港 𡃁仔 提幣".encode("big5hkscs")
    parsed = parse_email(_message("Subject: x\r\n", body, ctype="text/plain; charset=big5"))
    assert parsed.text == "香港 𡃁仔 提幣"


def test_iso_2022_jp_with_nec_extensions_decodes() -> None:
    parsed = _zammad("mail099")  # contains ① (NEC row 13), rejected by Python's codec
    assert "①" in parsed.text
    assert parsed.defects == ()


def test_mislabelled_utf8_declared_as_us_ascii_is_read_as_utf8() -> None:
    parsed = parse_email(_message("", "提现".encode(), ctype="text/plain; charset=us-ascii"))
    assert parsed.text == "提现"


def test_gbk_declared_as_utf8_is_recovered_with_a_defect() -> None:
    parsed = parse_email(_message("", "提现未到账".encode("gbk")))
    assert parsed.text == "提现未到账"
    assert any("did not fit" in d for d in parsed.defects)


def test_unknown_charset_falls_back_and_says_so() -> None:
    parsed = parse_email(_message("", b"caf\xe9", ctype="text/plain; charset=x-nonsense"))
    assert parsed.text == "café"
    assert parsed.defects


# --------------------------------------------------------------------------- headers


def test_adjacent_encoded_words_split_inside_a_character_are_joined() -> None:
    data = "提现未到账".encode()
    first, second = base64.b64encode(data[:4]).decode(), base64.b64encode(data[4:]).decode()
    subject = f"Subject: =?utf-8?B?{first}?=\r\n =?UTF-8?B?{second}?=\r\n"
    assert parse_email(_message(subject, b"x")).subject == "提现未到账"


def test_broken_encoded_words_are_decoded_leniently() -> None:
    padding_lost = _b("紧急：账户被冻结", "gb2312").rstrip("=")
    subject = f"Subject: [KF-240001] =?GB2312?B?{padding_lost}?= =?utf-8?q?now_please?=\r\n"
    assert parse_email(_message(subject, b"x")).subject == "[KF-240001] 紧急：账户被冻结now please"


def test_a_comma_inside_an_encoded_display_name_does_not_split_the_address() -> None:
    parsed = _zammad("mail065")  # From: =?iso-8859-1?Q?B=FCrling,=20Andreas?= <smith@…>
    assert (parsed.from_name, parsed.from_address) == ("Bürling, Andreas", "smith@example.com")


def test_zammad_quirks_get_the_right_values() -> None:
    assert _zammad("mail046").from_name == "武兰成"  # raw GB2312 name; Zammad: "ÎäŔźłÉ"
    assert _zammad("mail027").subject == "蠭龕中層管理者如何避免角色行为誤区"  # no CRLF


def test_utf7_subject_is_decoded() -> None:
    assert "Übermittlungsstatus" in (_zammad("mail018").subject or "")


def test_threading_headers_and_date() -> None:
    headers = (
        "Subject: Re: [KF-240001] 提现\r\nMessage-ID: <b@kefu.example>\r\n"
        "In-Reply-To: <a@kefu.example>\r\nReferences: <x@kefu.example>\r\n <a@kefu.example>\r\n"
        "Date: Fri, 1 Mar 2024 10:00:00 +0800\r\n"
    )
    parsed = parse_email(_message(headers, b"ok"))
    assert parsed.message_id == "<b@kefu.example>"
    assert parsed.in_reply_to == "<a@kefu.example>"
    assert parsed.references == ("<x@kefu.example>", "<a@kefu.example>")
    assert parsed.date == "2024-03-01T10:00:00+08:00"


def test_sender_falls_back_to_reply_to_when_from_has_no_address() -> None:
    parsed = _zammad("mail019")  # From: "=?GB2312?B?ztI=?=" <>
    assert parsed.from_address == "vipyiming@126.com"
    assert any("Reply-To" in d for d in parsed.defects)


def test_junk_before_the_headers_is_skipped() -> None:
    parsed = _zammad("mail068")  # first line is "---- Original email message ----"
    assert (parsed.from_address, parsed.subject) == ("xxxxx@xxxxx.cz", "Contact from Server")
    assert any("junk" in d for d in parsed.defects)


# --------------------------------------------------------------------------- structure


def test_html_only_mail_gets_readable_text_and_keeps_the_html() -> None:
    html = b"<html><head><style>p{}</style><title>t</title></head><body><p>Hello&nbsp;Wang</p>"
    html += b"<p>Line<br>two</p><script>alert(1)</script></body></html>"
    parsed = parse_email(_message("Subject: x\r\n", html, ctype="text/html; charset=utf-8"))
    assert parsed.text == "Hello Wang\n\nLine\ntwo"
    assert parsed.html == html.decode()


def test_inline_image_by_content_id_and_rfc2231_filename() -> None:
    raw = (
        b"From: wang@example.com\r\nContent-Type: multipart/related; boundary=B\r\n\r\n"
        b'--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src="cid:pic1@x">\r\n'
        b"--B\r\nContent-Type: image/png\r\nContent-ID: <pic1@x>\r\n"
        b"Content-Disposition: inline; filename*=UTF-8''%E6%88%AA%E5%9B%BE.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--B--\r\n"
    )
    (image,) = parse_email(raw).attachments
    assert (image.filename, image.content_id, image.inline) == ("截图.png", "pic1@x", True)
    assert image.data == b"\x89PNG\r\n\x1a\n"


def test_forwarded_message_is_an_eml_attachment() -> None:
    parsed = _zammad("mail014")
    assert parsed.forwarded
    assert [a.filename for a in parsed.attachments][:1] == ["Neue Anfrage erstellt - 33284.eml"]
    assert parsed.attachments[0].content_type == "message/rfc822"


def test_json_dict_has_the_cli_shape() -> None:
    data = _zammad("mail062").to_json_dict()
    assert set(data) == {
        "from", "to", "cc", "subject", "message_id", "in_reply_to", "references",
        "text", "html", "attachments", "auto_reply",
    }  # fmt: skip
    assert data["attachments"][0] == {
        "filename": "image001.jpg",
        "content_type": "image/jpeg",
        "size": 965,
    }
    json.dumps(data)


# --------------------------------------------------------------------------- flags


def _auto_reply_cases() -> list[tuple[str, str, bool]]:
    data = json.loads((ZAMMAD / "auto_reply_header_cases.json").read_text())
    return [(c["id"], c["raw"], c["expected_out_of_office"]) for c in data["cases"]]


@pytest.mark.parametrize(("case_id", "raw", "expected"), _auto_reply_cases())
def test_out_of_office_headers_from_zammad(case_id: str, raw: str, expected: bool) -> None:
    assert parse_email(raw.encode()).auto_reply is expected, case_id


def test_precedence_list_is_an_auto_reply_and_a_plain_mail_is_not() -> None:
    assert parse_email(_message("Precedence: list\r\n", b"x")).auto_reply
    assert not parse_email(_message("Subject: 提现\r\n", b"x")).auto_reply


def test_chinese_out_of_office_subject_is_an_auto_reply() -> None:
    assert parse_email(_message("Subject: 自动回复: 您的工单\r\n", b"x")).auto_reply


@pytest.mark.parametrize(
    "name", ["mail033-undelivered-mail-returned-to-sender", "mail055", "mail078"]
)
def test_delivery_status_notifications_are_bounces(name: str) -> None:
    parsed = _zammad(name)
    assert parsed.bounce
    assert parsed.auto_reply


def test_an_ordinary_customer_mail_is_not_a_bounce_or_forward() -> None:
    parsed = _zammad("mail002")
    assert not (parsed.bounce or parsed.forwarded or parsed.auto_reply)


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        b"Subject: =?utf-8?B?@@@?=\r\nContent-Type: multipart/mixed\r\n\r\nno boundary",
        b"Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain",
        b"From: <<<@>>>\r\nDate: yesterday\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!",
        b"Content-Type: message/rfc822\r\n\r\nnot a message",
    ],
    ids=["empty", "binary", "no_boundary", "truncated", "bad_headers", "bad_rfc822"],
)
def test_garbage_never_raises(raw: bytes) -> None:
    parsed = parse_email(raw)
    assert isinstance(parsed, ParsedEmail)


def test_unreadable_date_is_a_defect_not_an_error() -> None:
    parsed = parse_email(_message("Date: yesterday\r\n", b"x"))
    assert parsed.date is None
    assert any("Date" in d for d in parsed.defects)
