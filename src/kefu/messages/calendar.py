"""Strings of the business-hours page."""

MESSAGES: dict[str, tuple[str, str]] = {
    "calendar.title": ("工作时间与节假日", "Business hours and holidays"),
    "calendar.zone": ("时区", "Time zone"),
    "calendar.hours": ("每周工作时间", "Weekly hours"),
    "calendar.hours_help": (
        "每行一天，例如：mon 09:00-12:00, 13:00-18:00（午休可分段）。未列出的日子不营业。",
        "One day a line, e.g. mon 09:00-12:00, 13:00-18:00 (split shifts allowed). Days not listed are closed.",
    ),
    "calendar.regions": ("法定节假日", "Public holidays"),
    "calendar.extra": ("额外的节假日 / 调休上班日", "Extra holidays / make-up workdays"),
    "calendar.bad_line": ("第 {line} 行无效：{detail}", "Line {line} is not valid: {detail}"),
    "calendar.bad_dates": ("日期列表无效：{detail}", "The date list is not valid: {detail}"),
    "calendar.bad_zone": ("未知时区：{zone}", "Unknown time zone: {zone}"),
    "calendar.new": ("新建日历", "New calendar"),
    "calendar.slug": ("标识（小写字母、数字、- 或 _）", "Slug (lowercase letters, digits, - or _)"),
    "calendar.name_zh": ("中文名称", "Chinese name"),
    "calendar.name_en": ("英文名称", "English name"),
    "calendar.create": ("创建日历", "Create calendar"),
    "calendar.zone_help": (
        "IANA 时区名，例如 Asia/Shanghai、Asia/Hong_Kong、Europe/London。",
        "An IANA zone name, e.g. Asia/Shanghai, Asia/Hong_Kong, Europe/London.",
    ),
    "calendar.regions_help": (
        "导入随 kefu 提供的节假日列表（含调休上班日）：",
        "Import the holiday lists shipped with kefu (with make-up workdays):",
    ),
    "calendar.year_official": ("{year} 官方公布", "{year} official"),
    "calendar.year_expected": ("{year} 推算", "{year} expected"),
    "calendar.extra_help": (
        "每行一个日期或日期范围，例如：2026-10-01..2026-10-07, holiday 或 2026-10-10, workday",
        "One date or range a line, e.g. 2026-10-01..2026-10-07, holiday or 2026-10-10, workday",
    ),
    "calendar.bad_slug": (
        "标识“{slug}”无效：请用 2–40 个小写字母、数字、- 或 _。",
        "The slug “{slug}” is not valid: use 2–40 lowercase letters, digits, - or _.",
    ),
    "calendar.slug_taken": (
        "已有标识为“{slug}”的日历。",
        "A calendar with the slug “{slug}” exists.",
    ),
    "calendar.names_needed": (
        "请填写中文和英文名称。",
        "Please give both the Chinese and English name.",
    ),
    "calendar.no_hours": (
        "这个日历没有任何工作时间：请至少填写一天的时段。",
        "This calendar never opens: give opening periods for at least one day.",
    ),
    "calendar.unknown": ("请选择一个已有的日历。", "Please choose an existing calendar."),
    "calendar.policies": ("各 SLA 策略使用的日历", "Calendar of each SLA policy"),
    "calendar.policies_help": (
        "目标时间按所选日历的工作时间计算；更改后，该策略下未结工单的到期时间会重新计算。",
        "Targets count in the chosen calendar's hours; after a change, open tickets under the policy are recomputed.",
    ),
    "calendar.policy": ("策略", "Policy"),
    "calendar.first_reply": ("首次回复目标（分钟）", "First reply target (minutes)"),
    "calendar.calendar": ("日历", "Calendar"),
    "calendar.choose": ("保存日历", "Save calendar"),
}
