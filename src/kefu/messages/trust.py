"""Trust and security center strings: verifier, emergency freeze, anti-phishing code."""

MESSAGES: dict[str, tuple[str, str]] = {
    # verdicts
    "trust.status.official": ("官方渠道", "Official"),
    "trust.status.not_official": ("非官方", "Not official"),
    "trust.status.likely_impersonation": ("疑似仿冒", "Likely impersonation"),
    "trust.status.unknown": ("无法判断", "Can't tell"),
    "trust.kind.email": ("邮箱", "Email"),
    "trust.kind.domain": ("域名", "Domain"),
    "trust.kind.website": ("网站", "Website"),
    "trust.kind.telegram": ("Telegram", "Telegram"),
    "trust.kind.x": ("X（推特）", "X (Twitter)"),
    "trust.kind.facebook": ("Facebook", "Facebook"),
    "trust.kind.phone": ("电话", "Phone"),
    "trust.kind.agent_id": ("客服工号", "Agent ID"),
    "trust.kind.any": ("自动识别", "Detect automatically"),
    "trust.kind.handle": ("社交账号", "Social account"),
    # reasons
    "trust.reason.in_registry": (
        "这是我们登记的官方渠道。",
        "This is on our list of official channels.",
    ),
    "trust.reason.spoofable": (
        "注意：发件人地址可以被伪造。请核对邮件里的防钓鱼码，并且绝不要提供密码或验证码。",
        "Note: sender addresses can be forged. Check the anti-phishing code in the email, and never give out passwords or codes.",
    ),
    "trust.reason.not_in_registry": (
        "它不在我们的官方渠道列表中。",
        "It is not on our list of official channels.",
    ),
    "trust.reason.nothing_found": (
        "没有识别出网址、邮箱、账号或电话号码。请粘贴完整的链接、邮箱地址、@用户名或电话号码。",
        "We found no link, email address, handle or phone number. Paste the full link, address, @handle or number.",
    ),
    "trust.reason.punycode": (
        "该域名经过国际化编码（punycode），实际显示为“{shown}”，常被用来伪装官方域名。",
        'The domain is punycode-encoded and really reads "{shown}": a common way to disguise a fake domain.',
    ),
    "trust.reason.subdomain_trick": (
        "官方域名 {real} 只是它的开头部分，这个网站实际属于 {owner}。",
        "Our domain {real} is only the beginning of it; the site really belongs to {owner}.",
    ),
    "trust.reason.userinfo_trick": (
        "链接中“@”之前的部分只是伪装，浏览器实际打开的是 {owner}。",
        'Everything before the "@" in this link is decoration; your browser would open {owner}.',
    ),
    "trust.reason.other_tld": (
        "名称与官方相同，但后缀不同：这个网站属于 {owner}，不是 {real}。",
        "Same name as ours but a different ending: this site belongs to {owner}, not {real}.",
    ),
    "trust.reason.homoglyph": (
        "含有外形相似的其他文字字母（例如西里尔字母“а”），看起来像官方名称，其实不同。",
        'It contains look-alike letters from other alphabets (such as Cyrillic "а") that mimic our name.',
    ),
    "trust.reason.character_swap": (
        "用数字或符号代替了字母（例如 0 代替 o、1 代替 l），模仿 {real}。",
        "Digits or symbols stand in for letters (0 for o, 1 for l …) to mimic {real}.",
    ),
    "trust.reason.separators": (
        "只是增加或改动了连字符、下划线或点，模仿 {real}。",
        "Only hyphens, underscores or dots were added or moved, to mimic {real}.",
    ),
    "trust.reason.extra_characters": (
        "在我们的名称上加了词或数字（如 support、help、official、数字），模仿 {real}。",
        "Words or digits (support, help, official, numbers …) were added to our name, to mimic {real}.",
    ),
    "trust.reason.typo": (
        "与 {real} 只差一两个字母，这是常见的仿冒手法。",
        "It differs from {real} by a letter or two, a common impersonation trick.",
    ),
    "trust.reason.other_platform": (
        "这是我们在 {platform} 上的账号名，不是这个平台上的；这里的同名账号不是我们。",
        "That is our account name on {platform}, not on this platform; the account here is not ours.",
    ),
    "trust.reason.shortener": (
        "短链接隐藏了真实地址（{owner}）。官方不会用短链接让您登录或验证。",
        "Short links hide where they lead ({owner}). We never use them to make you sign in or verify.",
    ),
    "trust.reason.brand_in_path": (
        "链接里提到了我们的名称，但网站属于 {owner}，不是官方网站。",
        "The link mentions our name, but the site belongs to {owner}, not to us.",
    ),
    "trust.reason.address_not_listed": (
        "域名是我们的，但这个地址不是官方发件地址（官方地址：{listed}）。发件地址也可能被伪造。",
        "The domain is ours but this address is not one we send from (ours: {listed}). Sender addresses can also be forged.",
    ),
    "trust.reason.free_mail": (
        "用免费邮箱（{owner}）冒用我们的名称。官方只用自己的域名发邮件。",
        "A free-mail address ({owner}) using our name. We only send from our own domain.",
    ),
    "trust.reason.brand_in_address": (
        "邮箱地址含有我们的名称，但域名 {owner} 不是我们的。",
        "The address contains our name, but the domain {owner} is not ours.",
    ),
    "trust.reason.display_name_brand": (
        "发件人名称写着“{name}”，但实际地址在 {owner}，不是我们的域名。",
        'The sender name says "{name}", but the address is at {owner}, which is not ours.',
    ),
    "trust.reason.telegram_invite": (
        "这是 Telegram 私人群邀请链接。官方客服不会拉您进群处理问题。",
        "This is a private Telegram group invite. Our support never handles cases by adding you to groups.",
    ),
    "trust.reason.one_digit_off": (
        "与官方热线只差一位数字。",
        "It differs from our hotline by one digit.",
    ),
    "trust.reason.agent_not_listed": (
        "这个客服工号不在我们的登记中。",
        "This agent ID is not on our list.",
    ),
    # verify page
    "trust.verify_title": ("官方渠道验证", "Verify an official channel"),
    "trust.verify_lead": (
        "收到自称{brand}的链接、邮件、电话或社交账号？粘贴到这里，马上告诉您是不是官方的。",
        "Got a link, email, call or social account claiming to be {brand}? Paste it here to check whether it is official.",
    ),
    "trust.verify_input": (
        "链接、邮箱、@账号、电话或客服工号",
        "Link, email, @handle, phone number or agent ID",
    ),
    "trust.verify_kind": ("渠道类型", "Channel type"),
    "trust.verify_button": ("验证", "Verify"),
    "trust.verify_checked": ("检查的内容：{value}", "Checked: {value}"),
    "trust.verify_real_one": ("官方的是：{official}", "The official one is: {official}"),
    "trust.verify_why": ("原因", "Why"),
    "trust.verify_advice_fake": (
        "请不要点击其中的链接、不要回复、不要转账，也不要提供任何验证码。可以在下方提交工单举报。",
        "Do not open its links, reply, send funds or share any code. You can report it with a ticket below.",
    ),
    "trust.verify_advice_official": (
        "即使是官方渠道，我们也绝不会索要您的密码、验证码、助记词或私钥。",
        "Even on official channels we will never ask for your password, codes, seed phrase or private key.",
    ),
    "trust.verify_report": ("举报仿冒", "Report an impersonator"),
    "trust.verify_never_dm": (
        "官方客服不会主动私信您，也不会要求您转账到“安全账户”。",
        'Real support never messages you first and never asks you to move funds to a "safe" wallet.',
    ),
    # security page and emergency freeze
    "trust.security_title": ("账户安全", "Account security"),
    "trust.account_status": ("交易所账户状态：{status}", "Exchange account status: {status}"),
    "trust.account_status.active": ("正常", "active"),
    "trust.account_status.frozen": ("已冻结", "frozen"),
    "trust.account_status.closed": ("已注销", "closed"),
    "trust.freeze_title": ("紧急冻结账户", "Emergency account freeze"),
    "trust.freeze_lead": (
        "怀疑账户被盗？立即冻结：冻结后无法登录、交易和提现，资金留在账户中。解冻需要安全团队核实身份。",
        "Think your account is compromised? Freeze it now: no sign-in, trading or withdrawals while frozen; your funds stay put. Unfreezing needs the security team to verify you.",
    ),
    "trust.freeze_reason": (
        "发生了什么（可选，不要填写密码或验证码）",
        "What happened (optional; never include passwords or codes)",
    ),
    "trust.freeze_button": ("立即冻结我的账户", "Freeze my account now"),
    "trust.freeze_done": (
        "您的账户已冻结。安全团队已收到紧急工单 {number}，会尽快联系您。",
        "Your account is frozen. The security team has your urgent ticket {number} and will contact you soon.",
    ),
    "trust.freeze_pending": (
        "冻结请求已记录（工单 {number}），交易所暂时无法响应，我们正在自动重试，安全团队也已收到通知。",
        "Your freeze request is recorded (ticket {number}). The exchange did not answer yet; we keep retrying and the security team is alerted.",
    ),
    "trust.freeze_failed": (
        "无法自动冻结，安全团队已收到紧急工单 {number}，会立即人工处理。",
        "We could not freeze automatically; the security team has your urgent ticket {number} and will act on it now.",
    ),
    "trust.freeze_needs_verification": (
        "为防止他人冒用，只有已验证身份的客户才能冻结账户。请在交易所 App 或网站登录后，从“客服中心”入口进入再操作；如果无法登录，请提交紧急安全工单或拨打官方热线，安全团队核实身份后会为您冻结。",
        "To stop others from misusing it, only customers with a verified identity can freeze an account. Sign in to the exchange app or website and open support from there; if you cannot sign in, submit an urgent security ticket or call our official hotline and the security team will verify you and freeze it.",
    ),
    "trust.freeze_ticket_subject": ("[紧急] 紧急冻结账户", "[Urgent] Emergency account freeze"),
    "trust.freeze_ticket_body": (
        "请立即冻结我的账户（客服中心一键冻结）。\n客户说明：{reason}",
        "Please freeze my account now (one-step emergency freeze from the support portal).\nCustomer's note: {reason}",
    ),
    "trust.freeze_note_done": (
        "✅ 账户已在交易所冻结（{at}，交易所编号 {ref}）。解冻需要安全团队核实身份。",
        "✅ The account is frozen at the exchange ({at}, exchange ref {ref}). Unfreezing needs the security team to verify your identity.",
    ),
    "trust.freeze_note_failed": (
        "⚠️ 自动冻结失败（{error}），安全团队将人工处理。",
        "⚠️ The automatic freeze failed ({error}); the security team will handle it by hand.",
    ),
    "trust.unfreeze_note_done": (
        "账户已解冻（{at}，交易所编号 {ref}）。",
        "The account is unfrozen ({at}, exchange ref {ref}).",
    ),
    "trust.unfreeze_note_failed": ("解冻失败（{error}）。", "Unfreezing failed ({error})."),
    "trust.reason_required": (
        "请填写原因（5–500 个字符），它会记入审计日志。",
        "Give a reason (5–500 characters); it goes into the audit log.",
    ),
    "trust.security_role_required": (
        "只有安全团队成员可以执行此操作。",
        "Only members of the security team can do this.",
    ),
    # four-eyes unfreeze (security agents)
    "trust.unfreeze_awaiting": (
        "解冻申请 #{id} 已记录，等待另一位安全团队成员批准。",
        "Unfreeze request #{id} is recorded and awaiting a second approval from another security agent.",
    ),
    "trust.unfreeze_needs_second_agent": (
        "不能批准自己提交的解冻申请：必须由另一位安全团队成员批准（四眼原则）。",
        "You cannot approve your own unfreeze request: a different security agent must approve it (four eyes).",
    ),
    "trust.unfreeze_done": (
        "已批准：账户 {uid} 已在交易所解冻。",
        "Approved: account {uid} is unfrozen at the exchange.",
    ),
    "trust.unfreeze_pending": (
        "已批准：交易所暂未响应，系统会自动重试解冻账户 {uid}。",
        "Approved: the exchange has not answered yet; unfreezing {uid} is retried automatically.",
    ),
    "trust.unfreeze_failed": (
        "已批准，但交易所未能解冻账户 {uid}，请查看审计日志。",
        "Approved, but the exchange did not unfreeze {uid}; see the audit log.",
    ),
    "trust.agent_security_title": ("账户冻结与解冻", "Account freezes"),
    "trust.agent_freeze_title": ("冻结账户", "Freeze an account"),
    "trust.agent_unfreeze_title": ("申请解冻", "Request an unfreeze"),
    "trust.agent_unfreeze_lead": (
        "解冻需要两位不同的安全团队成员：一人提交申请和原因，另一人批准后才会执行。",
        "Unfreezing takes two different security agents: one requests it with a reason, another approves before anything happens.",
    ),
    "trust.agent_uid": ("交易所 UID", "Exchange UID"),
    "trust.agent_reason": ("原因（记入审计日志）", "Reason (goes into the audit log)"),
    "trust.agent_ticket": ("工单编号（可选）", "Ticket number (optional)"),
    "trust.agent_freeze_button": ("冻结", "Freeze"),
    "trust.agent_freeze_done": (
        "账户 {uid} 已在交易所冻结。",
        "Account {uid} is frozen at the exchange.",
    ),
    "trust.agent_freeze_pending": (
        "冻结账户 {uid} 的请求已记录，交易所暂未响应，系统会自动重试。",
        "Freezing {uid} is recorded; the exchange has not answered yet and it is retried automatically.",
    ),
    "trust.agent_freeze_failed": (
        "交易所未能冻结账户 {uid}，请查看审计日志。",
        "The exchange did not freeze {uid}; see the audit log.",
    ),
    "trust.agent_request_button": ("提交解冻申请", "Request unfreeze"),
    "trust.agent_awaiting_title": ("等待批准的解冻申请", "Unfreeze requests awaiting approval"),
    "trust.agent_awaiting_none": ("没有等待批准的申请。", "No requests are waiting."),
    "trust.agent_requested_by": ("申请人：客服 #{agent}", "Requested by agent #{agent}"),
    "trust.agent_approve_button": ("批准并解冻", "Approve and unfreeze"),
    "trust.agent_own_request": (
        "这是您的申请，需要另一位成员批准。",
        "This is your request; another agent must approve it.",
    ),
    # one-click freeze link in security emails
    "trust.freeze_link_mail": (
        "如果这不是您本人的操作，或您怀疑账户被盗，可通过此链接立即冻结账户（{hours} 小时内有效，仅可使用一次）：{url}",
        "If this wasn't you, or you think your account is compromised, freeze it now with this link (valid for {hours} hours, usable once): {url}",
    ),
    "trust.freeze_link_confirm": (
        "确认后将立即冻结您的交易所账户，并为安全团队创建一张紧急工单。",
        "Confirming freezes your exchange account right away and opens an urgent ticket for the security team.",
    ),
    "trust.freeze_link_invalid": (
        "此冻结链接无效（可能被修改过）。请直接在客服中心“账户安全”页面冻结账户。",
        "This freeze link is not valid (it may have been altered). Freeze your account from the Account security page instead.",
    ),
    "trust.freeze_link_expired": (
        "此冻结链接已过期。请在客服中心“账户安全”页面冻结账户，或提交紧急安全工单。",
        "This freeze link has expired. Freeze your account from the Account security page, or submit an urgent security ticket.",
    ),
    "trust.freeze_link_used": (
        "此冻结链接已使用过，冻结请求已提交，无需重复操作。",
        "This freeze link has already been used; the freeze was requested and nothing more is needed.",
    ),
    "trust.freeze_link_unverified": (
        "无法通过此链接冻结：您的身份尚未验证。请提交紧急安全工单或拨打官方热线。",
        "This link cannot freeze the account: your identity is not verified. Submit an urgent security ticket or call our official hotline.",
    ),
    # anti-phishing code
    "trust.anti_phishing_title": ("防钓鱼码", "Anti-phishing code"),
    "trust.anti_phishing_help": (
        "设置后，我们发给您的每封邮件开头都会显示它。没有防钓鱼码或防钓鱼码不对的邮件就是钓鱼邮件。请定期更换。",
        "Once set, it appears at the top of every email we send you. An email without it, or with the wrong one, is phishing. Change it from time to time.",
    ),
    "trust.anti_phishing_current": ("当前防钓鱼码：{code}", "Current code: {code}"),
    "trust.anti_phishing_none": ("尚未设置。", "Not set yet."),
    "trust.anti_phishing_label": (
        "新的防钓鱼码（4–20 位字母或数字）",
        "New code (4–20 letters or digits)",
    ),
    "trust.anti_phishing_save": ("保存", "Save"),
    "trust.anti_phishing_saved": ("防钓鱼码已更新。", "Your anti-phishing code is updated."),
    "trust.anti_phishing_invalid": (
        "防钓鱼码须为 4–20 位字母或数字。",
        "The code must be 4–20 letters or digits.",
    ),
    "trust.needs_verification": (
        "此操作需要已验证的身份：请从交易所 App 或网站的“客服中心”入口进入。",
        "This needs a verified identity: open support from the exchange app or website.",
    ),
    # exchange adapter errors
    "trust.exchange_unavailable": (
        "交易所暂时无法响应，请稍后重试。",
        "The exchange is not answering right now; please try again shortly.",
    ),
    "trust.exchange_rejected": (
        "交易所拒绝了请求，已通知管理员。",
        "The exchange refused the request; the administrators have been told.",
    ),
    "trust.exchange_not_configured": (
        "尚未配置交易所接口。",
        "The exchange adapter is not configured.",
    ),
    "trust.account_not_found": ("交易所中没有账户 {uid}。", "The exchange has no account {uid}."),
    "trust.account_closed": ("账户 {uid} 已注销。", "Account {uid} is closed."),
    "trust.identity_exists": (
        "{value} 已在官方渠道列表中。",
        "{value} is already on the official list.",
    ),
}
