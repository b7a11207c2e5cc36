"""Hardening: rate limits, agent sign-in lockout, customer data export and erasure."""

MESSAGES: dict[str, tuple[str, str]] = {
    "hardening.rate_limited": (
        "请求太频繁，请在 {seconds} 秒后再试。",
        "Too many requests. Try again in {seconds} seconds.",
    ),
    "hardening.login_rate_limited": (
        "登录尝试太频繁，请在 {seconds} 秒后再试。",
        "Too many sign-in attempts. Try again in {seconds} seconds.",
    ),
    "hardening.ticket_rate_limited": (
        "您提交工单太频繁，请在 {seconds} 秒后再试；已提交的工单我们会尽快处理。",
        "You are opening tickets too fast. Try again in {seconds} seconds; the tickets you "
        "have already opened will be answered.",
    ),
    "hardening.chat_rate_limited": (
        "发送太频繁，请在 {seconds} 秒后再发。",
        "You are sending too fast. Wait {seconds} seconds and send again.",
    ),
    "hardening.verify_rate_limited": (
        "查询太频繁，请在 {seconds} 秒后再试。",
        "Too many checks. Try again in {seconds} seconds.",
    ),
    "hardening.locked_out": (
        "登录失败次数过多，此账户已暂时锁定。请在 {minutes} 分钟后再试；如非本人操作，请联系管理员。",
        "Too many failed sign-ins: this account is locked for now. Try again in {minutes} "
        "minutes; if this was not you, tell an admin.",
    ),
    "hardening.erased_marker": (
        "［内容已应客户要求删除］",
        "[Content erased at the customer's request]",
    ),
    "hardening.customer_not_found": (
        "找不到该客户：{who}。",
        "No such customer: {who}.",
    ),
    "hardening.erase_needs_yes": (
        "删除不可撤销：确认请加上 --yes。",
        "Erasure cannot be undone: add --yes to confirm.",
    ),
    "hardening.erased": (
        "已删除客户 {uid} 的内容：{messages} 条消息，{attachments} 个附件。审计日志保留。",
        "Erased the content of customer {uid}: {messages} messages, {attachments} "
        "attachments. The audit log is kept.",
    ),
}
