"""Guided playbook forms (2FA reset, large withdrawal, trading dispute) and the email check."""

MESSAGES: dict[str, tuple[str, str]] = {
    # the list of guided forms
    "playbooks.index_title": ("快速通道", "Guided requests"),
    "playbooks.index_lead": (
        "以下常见问题请使用专用表单，我们会一次收集处理所需的全部信息。",
        "For these common requests, use the guided form: it collects everything we need at once.",
    ),
    "playbooks.or_general": ("其他问题：", "Anything else:"),
    "playbooks.two_factor_reset.title": ("重置谷歌验证 / 密码", "Reset 2FA or password"),
    "playbooks.two_factor_reset.lead": (
        "丢失了谷歌验证器、手机号或邮箱？填写以下信息，安全团队会核实账户归属后协助您重置。",
        "Lost your authenticator, phone number or email access? Tell us the details below; "
        "the security team checks that the account is yours and helps you reset.",
    ),
    "playbooks.two_factor_reset.subject": ("重置申请：{lost}", "Reset request: {lost}"),
    "playbooks.large_withdrawal.title": ("大额提现报备", "Large withdrawal pre-report"),
    "playbooks.large_withdrawal.lead": (
        "计划大额提现？提前报备可以加快风控审核。建议先向同一地址小额试转。",
        "Planning a large withdrawal? Reporting it in advance speeds up the review. "
        "We suggest a small test transfer to the same address first.",
    ),
    "playbooks.large_withdrawal.subject": (
        "大额提现报备：{amount} {asset}",
        "Large withdrawal pre-report: {amount} {asset}",
    ),
    "playbooks.trading_dispute.title": ("交易申诉", "Trading dispute"),
    "playbooks.trading_dispute.lead": (
        "对某笔订单的成交有异议？请提供订单号、交易对、时间和截图。",
        "Disagree with how an order was filled? Give us the order ID, pair, time and screenshots.",
    ),
    "playbooks.trading_dispute.subject": (
        "交易申诉：订单 {order_id}（{pair}）",
        "Trading dispute: order {order_id} ({pair})",
    ),
    "playbooks.never_ask": (
        "重要：客服绝不会索要您的密码、谷歌验证码/短信验证码或助记词。请不要在任何字段中填写它们。",
        "Important: support will never ask for your password, 2FA/SMS codes or seed phrase. "
        "Do not type them into any field.",
    ),
    "playbooks.needs_verified": (
        "此申请需要经过验证的身份：请从交易所 App 或网站的“客服中心”入口登录后再提交。",
        "This request needs a verified identity: open support from the exchange's app or "
        "website (Help link) to sign in, then submit again.",
    ),
    "playbooks.errors_title": ("请修正以下问题：", "Please fix the following:"),
    "playbooks.submit": ("提交申请", "Submit request"),
    "playbooks.optional": ("（选填）", "(optional)"),
    # fields
    "playbooks.field.account": ("账户 UID 或注册邮箱", "Account UID or registered email"),
    "playbooks.field.lost": ("丢失了什么", "What was lost"),
    "playbooks.field.last_login": (
        "最近一次成功登录（大约时间）",
        "Last successful login (approx.)",
    ),
    "playbooks.field.recent_deposit": (
        "最近一笔充值（币种、数量、大约日期，用于证明账户归属）",
        "A recent deposit (coin, amount, approx. date; proves the account is yours)",
    ),
    "playbooks.field.asset": ("币种", "Asset"),
    "playbooks.field.amount": ("数量", "Amount"),
    "playbooks.field.address": ("提现地址", "Withdrawal address"),
    "playbooks.field.network": ("网络", "Network"),
    "playbooks.field.planned_time": ("计划提现时间", "Planned time"),
    "playbooks.field.order_id": ("订单号", "Order ID"),
    "playbooks.field.pair": ("交易对", "Trading pair"),
    "playbooks.field.trade_time": ("成交时间", "Time of the trade"),
    "playbooks.field.description": ("详细说明", "Description"),
    "playbooks.field.purpose": ("用途 / 资金来源", "Purpose / source of funds"),
    "playbooks.field.screenshots": ("截图（最多 {limit} 个）", "Screenshots (up to {limit})"),
    "playbooks.hint.last_login": ("例如：2024-05-01 或“上周”", "e.g. 2024-05-01 or “last week”"),
    "playbooks.hint.amount": ("例如：25000 或 1.5", "e.g. 25000 or 1.5"),
    "playbooks.hint.network": ("例如：ERC20、TRC20、BTC", "e.g. ERC20, TRC20, BTC"),
    "playbooks.hint.pair": ("例如：BTC/USDT", "e.g. BTC/USDT"),
    "playbooks.choice.lost.authenticator": (
        "谷歌验证器（手机丢失或更换）",
        "Authenticator app (device lost or replaced)",
    ),
    "playbooks.choice.lost.phone": ("手机号无法接收短信", "Phone number (no SMS access)"),
    "playbooks.choice.lost.email": ("注册邮箱无法登录", "Email access"),
    "playbooks.choice.lost.password": ("忘记登录密码", "Forgotten password"),
    # validation
    "playbooks.error.required": ("请填写“{field}”。", "Please fill in “{field}”."),
    "playbooks.error.too_long": (
        "“{field}”过长（最多 {limit} 个字符）。",
        "“{field}” is too long (at most {limit} characters).",
    ),
    "playbooks.error.invalid": ("“{field}”的格式不正确。", "“{field}” is not in a valid format."),
    "playbooks.error.choice": (
        "请为“{field}”选择一个选项。",
        "Please choose an option for “{field}”.",
    ),
    "playbooks.error.unknown_form": ("没有这个表单：{form}。", "There is no such form: {form}."),
    # the email check
    "playbooks.email.title": ("检查可疑邮件", "Check a suspicious email"),
    "playbooks.email.link": (
        "收到自称来自我们的邮件？上传邮件文件或粘贴邮件头来检查",
        "Got an email that claims to be from us? Upload it or paste its headers to check it",
    ),
    "playbooks.email.lead": (
        "在邮箱中选择“下载邮件”/“显示原始邮件”，上传 .eml 文件，或粘贴完整的邮件头（可附上正文）。"
        "请不要点击邮件中的链接。",
        "In your mail app choose “Download message” or “Show original”, then upload the .eml "
        "file or paste the full headers (and the body if you like). Do not click its links.",
    ),
    "playbooks.email.file": ("邮件文件（.eml）", "Email file (.eml)"),
    "playbooks.email.headers": ("或粘贴邮件头", "Or paste the headers"),
    "playbooks.email.body": ("邮件正文（选填）", "Email body (optional)"),
    "playbooks.email.contact": (
        "联系邮箱（选填，未登录时用于回复您）",
        "Your email (optional; for our reply when you are not signed in)",
    ),
    "playbooks.email.button": ("检查邮件", "Check the email"),
    "playbooks.email.signed_in_code": (
        "您已登录：我们会同时核对邮件中的防钓鱼码是否与您设置的一致。",
        "You are signed in: we also check that the email shows your own anti-phishing code.",
    ),
    "playbooks.email.sign_in_for_code": (
        "登录后，我们还能核对邮件里的防钓鱼码是否是您本人设置的。",
        "Sign in and we can also check the email's anti-phishing code against yours.",
    ),
    "playbooks.email.nothing": (
        "请上传邮件文件或粘贴邮件头。",
        "Please upload the email file or paste its headers.",
    ),
    "playbooks.email.no_from": (
        "没有找到发件人（From）。请粘贴完整的邮件头。",
        "No sender (From) was found. Please paste the complete headers.",
    ),
    "playbooks.email.checked": (
        "检查的邮件：{sender} · {subject}",
        "Checked: {sender} · {subject}",
    ),
    "playbooks.email.why": ("检查结果", "What we checked"),
    "playbooks.email.verdict.genuine": ("这封邮件确实来自我们", "This email is genuine"),
    "playbooks.email.verdict.fake": ("这是一封假冒邮件", "This email is fake"),
    "playbooks.email.verdict.cannot_tell": ("无法确定这封邮件的真假", "We cannot tell"),
    "playbooks.email.advice.genuine": (
        "即便如此，也请不要向任何人提供密码、验证码或助记词。",
        "Even so, never give anyone your password, codes or seed phrase.",
    ),
    "playbooks.email.advice.fake": (
        "请不要点击其中的链接，也不要回复。如果您已输入密码或验证码，请立即修改密码并重置谷歌验证，必要时冻结账户。",
        "Do not click its links or reply. If you entered a password or code, change your "
        "password and reset 2FA now, and freeze your account if needed.",
    ),
    "playbooks.email.advice.cannot_tell": (
        "在确认之前，请不要点击邮件中的链接；请直接访问官网或 App。",
        "Until you are sure, do not click its links; go to the official website or app directly.",
    ),
    "playbooks.email.reported": (
        "我们已将其报告给安全团队（工单 {number}）。",
        "We reported it to the security team (ticket {number}).",
    ),
    "playbooks.email.report_subject": ("举报假冒邮件：{sender}", "Fake email reported: {sender}"),
    "playbooks.email.report_intro": (
        "客户提交的可疑邮件经检查判定为假冒。原始邮件（已去除敏感信息）见附件。",
        "A customer submitted this email and the check found it fake. "
        "The original (secrets removed) is attached.",
    ),
    # one line per check: good / bad / unknown
    "playbooks.check.sender_official": (
        "发件人域名 {domain} 是我们的官方域名。",
        "The sender's domain {domain} is ours.",
    ),
    "playbooks.check.sender_address_unlisted": (
        "发件地址 {address} 属于官方域名，但不是登记的发件地址。",
        "The address {address} is on our domain but is not one of our listed senders.",
    ),
    "playbooks.check.sender_lookalike": (
        "发件人 {address} 模仿了我们的官方域名 {real}。",
        "The sender {address} imitates our official {real}.",
    ),
    "playbooks.check.sender_not_official": (
        "发件人 {address} 不是我们的官方邮箱。",
        "The sender {address} is not one of our addresses.",
    ),
    "playbooks.check.dkim_pass": (
        "DKIM 签名有效，由 {domain} 签发。",
        "DKIM passed: the message was signed by {domain}.",
    ),
    "playbooks.check.dkim_fail": (
        "DKIM 签名验证失败：邮件可能被伪造或篡改。",
        "DKIM failed: the message may be forged or altered.",
    ),
    "playbooks.check.dkim_other_domain": (
        "DKIM 签名来自 {domain}，不是发件人的域名。",
        "DKIM was signed by {domain}, not by the sender's domain.",
    ),
    "playbooks.check.dkim_missing": (
        "没有找到认证结果（Authentication-Results），无法确认发件人。",
        "No authentication results were found, so the sender cannot be confirmed.",
    ),
    "playbooks.check.dmarc_pass": ("DMARC 检查通过。", "DMARC passed."),
    "playbooks.check.dmarc_fail": ("DMARC 检查失败。", "DMARC failed."),
    "playbooks.check.spf_pass": ("SPF 检查通过。", "SPF passed."),
    "playbooks.check.spf_fail": (
        "SPF 检查未通过（{result}）。",
        "SPF did not pass ({result}).",
    ),
    "playbooks.check.code_matches": (
        "邮件中的防钓鱼码与您设置的一致。",
        "The email shows your own anti-phishing code.",
    ),
    "playbooks.check.code_wrong": (
        "邮件中的防钓鱼码与您设置的不一致。",
        "The anti-phishing code in the email is not yours.",
    ),
    "playbooks.check.code_missing": (
        "邮件中没有您的防钓鱼码，而我们发出的每封邮件都会包含它。",
        "The email does not show your anti-phishing code, which every email from us does.",
    ),
    "playbooks.check.code_unchecked": (
        "邮件中有防钓鱼码；请登录后检查，或自行与您设置的对比。",
        "The email shows an anti-phishing code; sign in to check it, or compare it with yours.",
    ),
    "playbooks.check.code_absent": (
        "邮件中没有防钓鱼码。",
        "The email shows no anti-phishing code.",
    ),
    "playbooks.check.link_official": ("链接 {host} 是官方网址。", "The link to {host} is ours."),
    "playbooks.check.link_lookalike": (
        "链接 {host} 模仿了我们的官方网址 {real}。",
        "The link to {host} imitates our official {real}.",
    ),
    "playbooks.check.link_other": (
        "链接 {host} 不是我们的网址。",
        "The link to {host} is not one of our sites.",
    ),
    "playbooks.check.outcome.good": ("通过", "OK"),
    "playbooks.check.outcome.bad": ("问题", "Problem"),
    "playbooks.check.outcome.unknown": ("无法确认", "Unconfirmed"),
}
