"""Strings of the agent workspace."""

MESSAGES: dict[str, tuple[str, str]] = {
    "workspace.merged_note": (
        "工单 {source} 已合并到本工单 {target}，之后请在此工单中沟通。",
        "Ticket {source} was merged into this ticket {target}; please continue here.",
    ),
    "workspace.merge_same": ("不能把工单合并到它自己。", "A ticket cannot be merged into itself."),
    "workspace.merge_other_customer": (
        "只能合并同一位客户的工单。",
        "Only tickets of the same customer can be merged.",
    ),
    "workspace.merge_into_closed": (
        "工单 {number} 已关闭，不能合并进去。",
        "Ticket {number} is closed and cannot receive a merge.",
    ),
    "workspace.reason_required": (
        "请写明升级原因（至少 5 个字）。",
        "Give a reason for the escalation (5 characters or more).",
    ),
    "workspace.macro_both_languages": (
        "快捷回复需要名称以及中英文两个版本。",
        "A macro needs a name and both a Chinese and an English text.",
    ),
    "workspace.macro_bad_variable": (
        "不支持的变量：{name}。可用：customer_name、ticket_number、agent_name、subject。",
        "Unknown variable: {name}. Available: customer_name, ticket_number, agent_name, subject.",
    ),
    "workspace.stale_view": (
        "您打开此工单后，客户又发来了新消息。请先阅读，再确认发送。",
        "The customer wrote again since you opened this ticket. Read it, then confirm sending.",
    ),
    "workspace.others_viewing": ("同时在看：{names}", "Also viewing: {names}"),
    "workspace.others_composing": ("{names} 正在回复", "{names} is replying"),
    "workspace.merge": ("合并到", "Merge into"),
    "workspace.escalate": ("升级到团队", "Escalate to team"),
    "workspace.reason": ("原因", "Reason"),
    "workspace.spam": ("标记为垃圾", "Mark as spam"),
    "workspace.macros": ("快捷回复", "Macros"),
    "workspace.apply": ("使用", "Apply"),
    "workspace.bulk": ("批量操作", "Bulk action"),
    "workspace.views.urgent": ("紧急", "Urgent"),
    "workspace.views.waiting": ("等待客户", "Waiting on customer"),
    "workspace.views.on_hold": ("挂起", "On hold"),
    "workspace.views.sla": ("即将超时", "SLA breaching soon"),
    "workspace.account": ("交易所账户（实时）", "Exchange account (live)"),
    "workspace.deposits": ("最近充值", "Recent deposits"),
    "workspace.withdrawals": ("最近提现", "Recent withdrawals"),
    "workspace.account_unavailable": (
        "暂时无法获取账户信息",
        "Account facts are unavailable right now",
    ),
    "workspace.other_tickets": ("该客户的其他工单", "Other tickets of this customer"),
    "workspace.audit_log": ("审计日志", "Audit log"),
    "workspace.admin": ("管理", "Administration"),
    "workspace.agents": ("客服人员", "Agents"),
    "workspace.new_tickets_live": ("有新的更新，点击刷新", "New activity — click to refresh"),
    "workspace.confirm_send": ("仍然发送", "Send anyway"),
}
