"""Strings of the email channel (issue #6)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "email.unprocessable": (
        "这封邮件无法自动处理，原始邮件已作为附件 original.eml 保存。以下为原始内容：",
        "This email could not be processed; the original is attached as original.eml. "
        "Its raw content follows:",
    ),
    "email.truncated": (
        "邮件正文过长，此处只显示开头；完整正文见附件 {filename}。",
        "The email body is too long to show in full; the whole text is attached as {filename}.",
    ),
    "email.oversize": (
        "这封邮件超过大小上限（{limit}），只保存了邮件头。请在原邮箱中查看完整邮件。",
        "This email exceeds the size limit ({limit}); only its headers were stored. "
        "See the original mailbox for the full message.",
    ),
    # Badges on the agent ticket page (messages.meta).
    "email.badge.never_answered": (
        "机器邮件或异常邮件：已保存，不会自动回复。",
        "Machine or abnormal mail: stored, never answered automatically.",
    ),
    "email.badge.auto_reply": ("自动回复", "auto-reply"),
    "email.badge.bounce": ("退信", "bounce"),
    "email.badge.own_address": ("来自我方地址", "from our own address"),
    "email.badge.rate_limited": ("发信过于频繁", "rate-limited"),
    "email.badge.malformed": ("格式有误", "malformed"),
    "email.badge.unprocessable": ("无法处理", "unprocessable"),
    "email.badge.imported": ("导入的邮件", "imported"),
    "email.badge.oversize": ("超过大小上限", "oversize"),
    "email.dkim.pass": ("DKIM 签名有效（{domains}）", "DKIM pass ({domains})"),
    "email.dkim.fail": ("DKIM 签名无效", "DKIM fail"),
    "email.dkim.none": ("无 DKIM 签名", "no DKIM signature"),
    "email.spf_help": (
        "SPF 只核对信封发件人，不能证明“发件人”地址属实。",
        "SPF checks the envelope sender only; it never proves the From address.",
    ),
}
