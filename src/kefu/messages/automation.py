"""Strings of the automation rules page."""

MESSAGES: dict[str, tuple[str, str]] = {
    "automation.title": ("自动化规则", "Automations"),
    "automation.name": ("名称", "Name"),
    "automation.kind": ("类型", "Kind"),
    "automation.kind.time": ("定时规则", "Time rule"),
    "automation.kind.event": ("事件规则（新工单）", "Event rule (new ticket)"),
    "automation.when": ("条件", "When"),
    "automation.then": ("动作", "Then"),
    "automation.dry_run": ("试运行", "Dry run"),
    "automation.none": ("当前没有符合条件的工单。", "No ticket matches now."),
    "automation.new": ("新建规则", "New rule"),
    "automation.idle_hours": ("无活动小时数", "Hours without activity"),
    "automation.bad_rule": ("规则无效：{detail}", "The rule is not valid: {detail}"),
}
