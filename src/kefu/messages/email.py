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
}
