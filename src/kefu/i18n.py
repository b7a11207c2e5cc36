"""Every user-visible string, in zh-Hans and en side by side.

Keeping both languages on one line makes a missing translation impossible to
miss; `tests/test_i18n.py` checks every key has both and every placeholder matches.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("zh-Hans", "en")

CATALOG: dict[str, tuple[str, str]] = {
    # errors
    "error.internal_error": (
        "服务器内部错误，请稍后重试。",
        "Internal error, please try again later.",
    ),
    "error.bad_request": ("请求无效。", "The request is not valid."),
    "error.not_authenticated": (
        "请先登录或提供有效的身份令牌。",
        "Please sign in or provide a valid identity token.",
    ),
    "error.token_invalid": (
        "身份令牌无效或已过期。",
        "The identity token is invalid or has expired.",
    ),
    "error.forbidden": ("您没有执行此操作的权限。", "You are not allowed to do this."),
    "error.not_found": ("未找到。", "Not found."),
    "error.ticket_not_found": ("未找到工单 {number}。", "Ticket {number} was not found."),
    "error.conflict": ("操作与当前状态冲突。", "This conflicts with the current state."),
    "error.illegal_transition": (
        "工单状态不能从“{current}”变为“{target}”。",
        "A ticket cannot go from '{current}' to '{target}'.",
    ),
    "error.too_large": ("内容过大（上限 {limit}）。", "Too large (the limit is {limit})."),
    "error.too_many_files": (
        "最多可上传 {limit} 个文件。",
        "At most {limit} files can be uploaded.",
    ),
    "error.unavailable": (
        "服务暂时不可用，请稍后用相同的幂等键重试。",
        "Temporarily unavailable; retry later with the same Idempotency-Key.",
    ),
    "error.unknown_field": ("不支持的字段：{field}。", "Unknown field: {field}."),
    "error.validation": ("字段 {field} 无效：{detail}", "Field {field} is not valid: {detail}"),
    "error.unknown_category": ("未知的问题分类：{category}。", "Unknown category: {category}."),
    "error.empty_message": ("内容不能为空。", "The message cannot be empty."),
    "error.login_failed": ("邮箱、密码或验证码不正确。", "Email, password or code is incorrect."),
    "error.csrf": ("页面已过期，请刷新后重试。", "This page has expired; reload and try again."),
    "error.scope_missing": (
        "API 令牌缺少权限：{scope}。",
        "The API token lacks the scope: {scope}.",
    ),
    "error.link_invalid": ("链接无效或已使用。", "This link is invalid or has already been used."),
    "error.rate_limited": (
        "请求过于频繁，请稍后再试。",
        "Too many requests; please try again later.",
    ),
    # statuses
    "status.new": ("新建", "New"),
    "status.open": ("处理中", "Open"),
    "status.pending": ("等待您回复", "Waiting for you"),
    "status.on_hold": ("等待其他团队", "On hold"),
    "status.solved": ("已解决", "Solved"),
    "status.closed": ("已关闭", "Closed"),
    "priority.low": ("低", "Low"),
    "priority.normal": ("普通", "Normal"),
    "priority.high": ("高", "High"),
    "priority.urgent": ("紧急", "Urgent"),
    # portal
    "site.title": ("{brand} 客服中心", "{brand} Support"),
    "nav.home": ("首页", "Home"),
    "nav.help": ("帮助中心", "Help center"),
    "nav.new_ticket": ("提交工单", "Submit a ticket"),
    "nav.my_tickets": ("我的工单", "My tickets"),
    "nav.agent": ("客服工作台", "Agent inbox"),
    "nav.api_docs": ("API 文档", "API docs"),
    "nav.mailbox": ("开发邮箱", "Dev mailbox"),
    "nav.sign_in": ("登录", "Sign in"),
    "nav.sign_out": ("退出", "Sign out"),
    "nav.language": ("English", "中文"),
    "home.lead": (
        "遇到问题？先在帮助中心查找答案，或直接提交工单，我们的客服会尽快回复。",
        "Need help? Search the help center first, or submit a ticket and our team will reply soon.",
    ),
    "home.never_ask": (
        "官方客服绝不会索要您的密码、谷歌验证码、助记词或私钥。",
        "Official support will never ask for your password, 2FA codes, seed phrase or private key.",
    ),
    "login.title": ("登录客服中心", "Sign in to support"),
    "login.email_help": (
        "输入您的邮箱，我们会发送一次性登录链接（15 分钟内有效）。",
        "Enter your email and we will send a one-time sign-in link (valid for 15 minutes).",
    ),
    "login.email": ("邮箱", "Email"),
    "login.send_link": ("发送登录链接", "Send sign-in link"),
    "login.link_sent": (
        "如果该邮箱有效，登录链接已发送，请查收邮件。",
        "If that address is valid, a sign-in link is on its way. Check your inbox.",
    ),
    "login.exchange_hint": (
        "已登录交易所？从交易所页面的“客服中心”入口进入即可自动登录。",
        "Signed in to the exchange? Open support from the exchange's Help link to sign in automatically.",
    ),
    "form.title": ("提交工单", "Submit a ticket"),
    "form.category": ("问题分类", "Category"),
    "form.subject": ("标题", "Subject"),
    "form.description": ("问题描述", "Description"),
    "form.description_help": (
        "请写明 UID、币种、网络、TxID 等信息。切勿填写密码、验证码、助记词或私钥。",
        "Include your UID, coin, network and TxID where relevant. Never include passwords, codes, seed phrases or private keys.",
    ),
    "form.screenshots": ("截图（最多 {limit} 张）", "Screenshots (up to {limit})"),
    "form.submit": ("提交", "Submit"),
    "form.choose": ("请选择…", "Choose…"),
    "tickets.title": ("我的工单", "My tickets"),
    "tickets.none": ("您还没有工单。", "You have no tickets yet."),
    "tickets.number": ("工单号", "Number"),
    "tickets.subject": ("标题", "Subject"),
    "tickets.status": ("状态", "Status"),
    "tickets.updated": ("更新时间", "Updated"),
    "tickets.priority": ("优先级", "Priority"),
    "tickets.category": ("分类", "Category"),
    "ticket.created": (
        "工单 {number} 已创建。确认邮件已发送至您的邮箱。",
        "Ticket {number} was created. A confirmation email is on its way.",
    ),
    "ticket.reply": ("回复", "Reply"),
    "ticket.send": ("发送", "Send"),
    "ticket.mark_solved": ("问题已解决", "Mark as solved"),
    "ticket.you": ("您", "You"),
    "ticket.support": ("客服", "Support"),
    "ticket.bot": ("智能助手", "Assistant"),
    "ticket.system": ("系统", "System"),
    "ticket.internal_note": ("内部备注", "Internal note"),
    "ticket.attachments": ("附件", "Attachments"),
    "ticket.redacted_badge": ("已隐藏敏感信息", "Secrets redacted"),
    "ticket.expected_reply": (
        "我们通常在 {hours} 个工作小时内回复（工作时间：{business_hours}）。",
        "We usually reply within {hours} business hours (our hours: {business_hours}).",
    ),
    "ticket.business_hours": ("北京时间周一至周五 09:00–18:00", "Mon–Fri 09:00–18:00 UTC+8"),
    "ticket.possible_duplicate": (
        "您已有一个相似的未结工单 {number}，我们已将两者关联，客服会一并处理。",
        "You already have a similar open ticket {number}; we linked them and an agent will handle both together.",
    ),
    "ticket.continue_there": ("在 {number} 中继续沟通", "Continue in {number}"),
    # agent
    "agent.login_title": ("客服登录", "Agent sign in"),
    "agent.password": ("密码", "Password"),
    "agent.totp": ("动态验证码（6 位）", "Authenticator code (6 digits)"),
    "agent.enrol_title": ("设置双重验证", "Set up two-factor authentication"),
    "agent.enrol_help": (
        "用谷歌验证器或其他 TOTP 应用扫描二维码，然后输入显示的 6 位验证码。",
        "Scan the QR code with Google Authenticator or another TOTP app, then enter the 6-digit code it shows.",
    ),
    "agent.inbox": ("工单列表", "Inbox"),
    "agent.all": ("全部", "All"),
    "agent.mine": ("我的", "Mine"),
    "agent.unassigned": ("未分配", "Unassigned"),
    "agent.customer": ("客户", "Customer"),
    "agent.assignee": ("处理人", "Assignee"),
    "agent.team": ("团队", "Team"),
    "agent.public_reply": ("公开回复", "Public reply"),
    "agent.note": ("内部备注", "Internal note"),
    "agent.update": ("更新", "Update"),
    "agent.channel": ("渠道", "Channel"),
    "agent.nobody": ("无", "Nobody"),
    # mail
    "mail.anti_phishing": ("您的防钓鱼码：{code}", "Your anti-phishing code: {code}"),
    "mail.anti_phishing_missing": (
        "您尚未设置防钓鱼码。设置后，我们发出的每封邮件都会显示它，方便您识别钓鱼邮件。",
        "You have not set an anti-phishing code. Once set, it appears in every email we send you, so you can spot fakes.",
    ),
    "mail.confirmation_subject": (
        "[{number}] 我们已收到您的工单：{subject}",
        "[{number}] We received your ticket: {subject}",
    ),
    "mail.confirmation_intro": (
        "您好 {name}，我们已收到您的工单。",
        "Hello {name}, we have received your ticket.",
    ),
    "mail.reply_subject": ("[{number}] {subject}", "[{number}] {subject}"),
    "mail.reply_intro": (
        "您好 {name}，客服回复了您的工单：",
        "Hello {name}, support replied to your ticket:",
    ),
    "mail.view_ticket": ("查看工单：{url}", "View your ticket: {url}"),
    "mail.never_ask": (
        "我们绝不会索要您的密码、验证码、助记词或私钥，也不会要求您转账。",
        "We will never ask for your password, codes, seed phrase or private key, or ask you to send funds.",
    ),
    "mail.magic_subject": ("您的登录链接", "Your sign-in link"),
    "mail.magic_body": (
        "点击以下链接登录客服中心（15 分钟内有效，仅可使用一次）：\n{url}\n\n如果不是您本人操作，请忽略此邮件。",
        "Open this link to sign in to support (valid for 15 minutes, once):\n{url}\n\nIf you did not ask for it, ignore this email.",
    ),
    "mail.customer": ("客户", "Customer"),
    # shield
    "shield.warning": (
        "⚠️ 安全提醒：您的消息中含有密码、验证码、助记词或私钥等敏感信息，我们已自动隐藏，客服看不到。官方客服绝不会索要这些信息。如果您曾把助记词或私钥发给任何人，请视该钱包为已泄露：立即新建钱包并转移资产；如泄露的是密码或验证码，请立即修改密码并重置谷歌验证器。",
        "⚠️ Security notice: your message contained a password, code, seed phrase or private key. We hid it automatically; agents cannot see it. Official support never needs these. If you shared a seed phrase or private key with anyone, treat that wallet as compromised: create a new wallet and move your funds now. If it was a password or code, change your password and reset your authenticator at once.",
    ),
}


def _merge_area_catalogs() -> None:
    import importlib
    import pkgutil

    import kefu.messages

    for module_info in pkgutil.iter_modules(kefu.messages.__path__):
        module = importlib.import_module(f"kefu.messages.{module_info.name}")
        messages: dict[str, tuple[str, str]] = module.MESSAGES
        clash = CATALOG.keys() & messages.keys()
        if clash:
            raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
        CATALOG.update(messages)


_merge_area_catalogs()


def normalize_language(value: str | None, default: str = "zh-Hans") -> str:
    """Map Accept-Language-style tags (zh, zh-CN, zh-TW, en-US …) to a supported language."""
    if not value:
        return default
    tag = value.strip().lower()
    if tag.startswith("zh"):
        return "zh-Hans"
    if tag.startswith("en"):
        return "en"
    return default


def pick_language(accept_language: str | None, default: str = "zh-Hans") -> str:
    """The first supported language in an Accept-Language header."""
    if not accept_language:
        return default
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith(("zh", "en")):
            return normalize_language(tag)
    return default


def t(key: str, language: str, **params: object) -> str:
    """The text for `key` in `language`, with `{placeholders}` filled in."""
    pair = CATALOG.get(key)
    if pair is None:
        return key
    text = pair[0] if language == "zh-Hans" else pair[1]
    return text.format(**params) if params else text


def missing_translations(keys: Iterable[str]) -> list[str]:
    return [k for k in keys if k not in CATALOG]
