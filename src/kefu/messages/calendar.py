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
}
