"""Insider-threat controls: masked customer fields, reveals, exports, unusual access."""

MESSAGES: dict[str, tuple[str, str]] = {
    "insider.field.email": ("邮箱", "Email"),
    "insider.field.name": ("姓名", "Name"),
    "insider.field.account": ("账户信息（KYC、充提记录）", "Account facts (KYC, transfers)"),
    "insider.masked_note": (
        "客户个人信息默认隐藏。显示某一项需要填写原因，会记入审计日志，{minutes} 分钟后自动隐藏。",
        "Customer details are masked. Revealing one needs a reason, is written to the audit "
        "log, and hides again after {minutes} minutes.",
    ),
    "insider.reveal": ("显示", "Reveal"),
    "insider.reveal_reason": (
        "原因（至少 {min} 个字符，记入审计日志）",
        "Reason (at least {min} characters, written to the audit log)",
    ),
    "insider.account_hidden": ("已隐藏", "Hidden"),
    "insider.reason_length": (
        "请填写显示原因（{min}–{max} 个字符）。",
        "Give a reason for revealing this field ({min}–{max} characters).",
    ),
    "insider.unknown_field": ("无法显示字段：{field}。", "This field cannot be revealed: {field}."),
    "insider.throttled": (
        "您在一小时内查看了异常多的不同客户，已暂停查看新客户，管理员已收到通知。"
        "请约 {minutes} 分钟后再试，或请管理员复核。",
        "You have opened unusually many different customers within an hour, so opening new "
        "customers is paused and the admins have been told. Try again in about {minutes} "
        "minutes, or ask an admin to review it.",
    ),
    "insider.alert_subject": ("异常访问提醒", "Unusual access alert"),
    "insider.alert_body": (
        "{viewer} 在一小时内查看了 {count} 位不同客户，已被暂停查看新客户。请复核：{url}",
        "{viewer} opened {count} different customers within an hour and is paused from "
        "opening new ones. Review it: {url}",
    ),
    "insider.admin_title": ("异常访问提醒", "Unusual access alerts"),
    "insider.admin_lead": (
        "一小时内查看超过 {threshold} 位不同客户的客服会被暂停查看新客户，直到复核或一小时过去。",
        "Agents who open more than {threshold} different customers within an hour are paused "
        "from opening new ones until reviewed or the hour passes.",
    ),
    "insider.admin_none": ("没有待复核的提醒。", "No alerts waiting for review."),
    "insider.alert_row": (
        "{viewer}：一小时内查看了 {count} 位不同客户",
        "{viewer}: {count} different customers within an hour",
    ),
    "insider.review_note": ("复核说明", "Review note"),
    "insider.mark_reviewed": ("已复核，解除暂停", "Reviewed: lift the pause"),
    "insider.export": ("导出 CSV", "Export CSV"),
    "insider.export_forbidden": (
        "导出客户数据需要单独的导出权限（组长或管理员）。",
        "Exporting customer data needs the separate export permission (leads and admins).",
    ),
}
