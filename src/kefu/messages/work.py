"""Workflow strings: business hours, SLA notices, assignment reasons (issue #8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # business hours, as customers read them
    "work.hours_always": ("全天 24 小时（7×24）", "24/7"),
    # the promise at submission (kefu.work.policies.promise_text)
    "work.promise_business": (
        "我们会在 {duration}内回复；工作时间：{hours}。",
        "We reply within {duration}; our hours are {hours}.",
    ),
    "work.promise_always": (
        "我们会在 {duration}内回复（7×24 小时服务）。",
        "We reply within {duration}, around the clock (24/7).",
    ),
    "work.duration_minutes": ("{count} 分钟", "{count} minutes"),
    "work.duration_minutes_one": ("1 分钟", "1 minute"),
    "work.duration_hours": ("{count} 小时", "{count} hours"),
    "work.duration_hours_one": ("1 小时", "1 hour"),
    "work.duration_business_hours": ("{count} 个工作小时", "{count} business hours"),
    "work.duration_business_hours_one": ("1 个工作小时", "1 business hour"),
    "work.hours_zone_shanghai": ("北京时间", "UTC+8"),
    "work.hours_except_holidays": ("（法定节假日除外）", " (except public holidays)"),
    "work.day_range": ("{first}至{last}", "{first}–{last}"),
    "work.day.mon": ("周一", "Mon"),
    "work.day.tue": ("周二", "Tue"),
    "work.day.wed": ("周三", "Wed"),
    "work.day.thu": ("周四", "Thu"),
    "work.day.fri": ("周五", "Fri"),
    "work.day.sat": ("周六", "Sat"),
    "work.day.sun": ("周日", "Sun"),
    # SLA metrics and notices (internal notes are written in both languages)
    "work.metric.first_reply": ("首次回复", "first reply"),
    "work.metric.next_reply": ("下次回复", "next reply"),
    "work.metric.resolution": ("解决", "resolution"),
    "work.sla_warning_note": (
        "⏰ SLA 预警：{metric}已用去目标时间的 {percent}%，将于 {due} 到期（策略：{policy}）。",
        "⏰ SLA warning: {percent}% of the {metric} target has passed; due {due} (policy: {policy}).",
    ),
    "work.sla_breach_note": (
        "🚨 SLA 超时：{metric}已于 {due} 到期（策略：{policy}）。已通知组长：{leads}。",
        "🚨 SLA breached: {metric} was due {due} (policy: {policy}). Team lead notified: {leads}.",
    ),
    "work.no_lead": ("（本组没有组长）", "(the team has no lead)"),
    # assignment, as the ticket history explains it
    "work.assigned.round_robin": (
        "按轮流分配给 {agent}（在线、有空余容量 {load}/{capacity}、技能匹配）。",
        "Assigned to {agent} by round robin (online, capacity {load}/{capacity}, skills match).",
    ),
    "work.assigned.least_loaded": (
        "分配给负载最低的 {agent}（{load}/{capacity}，在线、技能匹配）。",
        "Assigned to {agent}, the least loaded agent ({load}/{capacity}, online, skills match).",
    ),
    "work.unassigned.agent_away": (
        "{agent} 已离开超过 {minutes} 分钟，工单退回待分配。",
        "{agent} has been away for more than {minutes} minutes; the ticket goes back to the queue.",
    ),
}
