"""Live chat: the widget, the bot's turns, the queue and the agent chat console (issue #5)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # widget chrome (served to the widget by /api/v1/chat/config)
    "chat.widget.open": ("在线客服", "Chat with us"),
    "chat.widget.title": ("在线客服", "Support chat"),
    "chat.widget.close": ("关闭", "Close"),
    "chat.widget.placeholder": ("请输入您的问题…", "Type your question…"),
    "chat.widget.send": ("发送", "Send"),
    "chat.widget.image": ("发送图片", "Send an image"),
    "chat.widget.pick_topic": ("请选择问题类型：", "What is it about?"),
    "chat.widget.typing": ("客服正在输入…", "Typing…"),
    "chat.widget.read": ("已读", "Read"),
    "chat.widget.offline": (
        "网络已断开，正在重新连接…未发送的消息会在恢复后自动发送。",
        "You are offline; reconnecting… Unsent messages go out when we are back.",
    ),
    "chat.widget.transcript": ("发送聊天记录到邮箱", "Email me the transcript"),
    "chat.widget.transcript_email": ("邮箱地址", "Email address"),
    "chat.widget.human": ("转人工", "Talk to a person"),
    "chat.widget.queue": (
        "排队中：您是第 {position} 位，预计等待约 {minutes} 分钟。",
        "In the queue: you are number {position}, about {minutes} min to wait.",
    ),
    "chat.widget.sending": ("发送中", "Sending"),
    "chat.widget.freeze": ("紧急冻结账户", "Emergency: freeze my account"),
    "chat.widget.freeze_confirm": (
        "确定要立即冻结您的账户吗？冻结后将无法交易和提现，解冻需要联系客服并核验身份。",
        "Freeze your account now? Trading and withdrawals stop at once; unfreezing needs "
        "support to verify your identity.",
    ),
    "chat.freeze_done": (
        "您的账户已冻结。我们已为您创建紧急安全工单 {ticket}，安全团队会尽快联系您。",
        "Your account is frozen. We opened urgent security ticket {ticket}; the security "
        "team will contact you shortly.",
    ),
    "chat.freeze_pending": (
        "冻结请求已提交（工单 {ticket}），正在处理中，完成后会通知您。",
        "Your freeze request is in (ticket {ticket}) and being carried out; we will tell you "
        "when it is done.",
    ),
    # the bot's turns
    "chat.welcome": (
        "您好，我是{brand}智能客服。请选择问题类型，或直接输入您的问题。",
        "Hi, this is {brand} support. Pick a topic, or just type your question.",
    ),
    "chat.answer_intro": ("这篇帮助文章应该能解答：", "This help article should answer it:"),
    "chat.read_more": ("查看全文：{url}", "Read the full article: {url}"),
    "chat.did_it_help": ("这解决了您的问题吗？", "Did this solve it?"),
    "chat.yes": ("已解决", "Yes, solved"),
    "chat.no": ("没有解决", "No"),
    "chat.glad": (
        "很高兴帮到您！如还有其他问题，随时在这里留言。",
        "Glad that helped! Write here any time if something else comes up.",
    ),
    "chat.not_sure": (
        "抱歉，我没能找到准确的答案。能否换个说法，或补充币种、网络、时间等细节？"
        "您也可以输入「转人工」。",
        "Sorry, I could not find a clear answer. Could you put it another way, or add the "
        'coin, network and time? You can also type "agent".',
    ),
    "chat.try_again": (
        "抱歉没帮上忙。请补充一些细节，我再试一次；或输入「转人工」。",
        'Sorry that did not help. Tell me a little more and I will try again, or type "agent".',
    ),
    "chat.clarify": (
        "请问您咨询的是「{first}」还是「{second}」？",
        'Is this about "{first}" or "{second}"?',
    ),
    "chat.handoff.customer_asked": (
        "好的，正在为您转接人工客服。",
        "Sure, I am connecting you with a person.",
    ),
    "chat.handoff.sensitive": (
        "这涉及账户和资产安全，已为您优先转接安全团队。如怀疑账户被盗，请立即在 App"
        "「安全中心」自助冻结账户。我们绝不会索要您的密码、验证码或助记词。",
        "This concerns the safety of your account and funds: the security team has been "
        "called first. If you think your account is stolen, freeze it now under Security "
        "in the app. We will never ask for your password, codes or seed phrase.",
    ),
    "chat.handoff.angry": (
        "非常抱歉给您带来不好的体验，正在为您转接人工客服。",
        "I am sorry for the trouble. I am connecting you with a person.",
    ),
    "chat.handoff.bot_failed": (
        "看来我没能解决您的问题，正在为您转接人工客服。",
        "It looks like I could not solve this, so I am connecting you with a person.",
    ),
    "chat.queue": (
        "您前面还有 {ahead} 位，预计等待约 {minutes} 分钟。",
        "There are {ahead} people ahead of you; about {minutes} min to wait.",
    ),
    "chat.agent_joined": ("客服 {name} 已接入，请稍候。", "{name} has joined the chat."),
    "chat.ended": (
        "本次会话已结束，感谢您的耐心。如有新问题可以继续留言。",
        "This chat has ended, thank you. Write again any time.",
    ),
    "chat.offline": (
        "现在没有在线客服。您的对话已保存为工单 {number}，您写的内容都不会丢失；"
        "客服上线后会尽快回复（{hours}）。",
        "No one is online right now. Your chat is saved as ticket {number} and nothing you "
        "wrote is lost; we will answer as soon as the team is back ({hours}).",
    ),
    "chat.hours": (
        "人工客服在线时间：每天 9:00–21:00（北京时间）",
        "agents online daily 09:00–21:00 UTC+8",
    ),
    "chat.anonymous": (
        "您当前以访客身份咨询：我们不会显示任何账户信息，也无法为您办理账户操作。"
        "如需查询账户，请先登录后再打开在线客服。",
        "You are chatting as a guest: we cannot show account details or make account "
        "changes. Sign in first if it is about your account.",
    ),
    "chat.token_invalid": (
        "登录状态已失效，您当前以访客身份咨询。请刷新页面重新登录。",
        "Your sign-in could not be verified (expired or invalid), so you are chatting as a "
        "guest. Reload the page after signing in again.",
    ),
    # errors shown in the widget
    "chat.error.too_large": (
        "消息太长（最多 {limit} 字）。",
        "That message is too long ({limit} characters at most).",
    ),
    "chat.error.empty": ("不能发送空消息。", "The message is empty."),
    "chat.error.rate_limited": (
        "发送太频繁，请稍等几秒再发。",
        "You are sending too fast; wait a few seconds and try again.",
    ),
    "chat.error.image_too_large": (
        "图片太大（最大 {limit} MB）。",
        "That image is too large ({limit} MB at most).",
    ),
    "chat.error.bad_image": (
        "只能发送图片（PNG、JPEG、GIF、WebP）。",
        "Only images can be sent (PNG, JPEG, GIF, WebP).",
    ),
    "chat.error.bad_frame": ("无法识别的请求。", "That request was not understood."),
    "chat.error.origin": (
        "此网站未被允许嵌入在线客服。",
        "This site is not allowed to embed the chat.",
    ),
    "chat.error.not_found": ("找不到该会话。", "That chat was not found."),
    "chat.error.unavailable": (
        "服务暂时繁忙，消息会自动重发。",
        "We are busy for a moment; the message will be resent.",
    ),
    "chat.error.needs_email": ("请填写有效的邮箱地址。", "Enter a valid email address."),
    "chat.transcript_queued": (
        "聊天记录正在发送到您的邮箱。",
        "The transcript is on its way to your inbox.",
    ),
    "chat.transcript_subject": (
        "您与{brand}客服的聊天记录（{number}）",
        "Your chat with {brand} support ({number})",
    ),
    "chat.transcript_intro": (
        "以下是您本次在线咨询的完整记录：",
        "Here is the full record of your chat:",
    ),
    "chat.author.customer": ("我", "Me"),
    "chat.author.bot": ("智能客服", "Assistant"),
    "chat.author.agent": ("客服", "Agent"),
    "chat.author.system": ("系统", "System"),
    # agent chat console
    "chat.console.title": ("在线会话", "Live chat"),
    "chat.console.nav": ("在线会话", "Live chat"),
    "chat.console.presence": ("我的状态", "My status"),
    "chat.console.online": ("在线", "Online"),
    "chat.console.away": ("离开", "Away"),
    "chat.console.offline": ("离线", "Offline"),
    "chat.console.queue": ("等待接入", "Waiting"),
    "chat.console.mine": ("我的会话", "My chats"),
    "chat.console.accept": ("接入", "Accept"),
    "chat.console.end": ("结束会话", "End chat"),
    "chat.console.send": ("发送", "Send"),
    "chat.console.note": ("内部备注", "Internal note"),
    "chat.console.full": (
        "已达到同时接待上限（{limit}）。",
        "You are at your limit of {limit} chats.",
    ),
    "chat.console.taken": (
        "该会话已被其他客服接入。",
        "Another agent has already accepted this chat.",
    ),
    "chat.console.customer": ("客户", "Customer"),
    "chat.console.anonymous": ("访客（未验证）", "Guest (not verified)"),
    "chat.console.empty": ("暂无", "None"),
    "chat.console.waiting_since": ("等待 {minutes} 分钟", "waiting {minutes} min"),
    "chat.console.reason": ("转人工原因", "Handoff reason"),
    "chat.console.category": ("分类", "Category"),
    "chat.console.recent": ("近期工单", "Recent tickets"),
    "chat.console.pick": ("从左侧选择一个会话。", "Pick a chat on the left."),
    "chat.console.reason.customer_asked": ("客户要求人工", "customer asked for a person"),
    "chat.console.reason.sensitive": ("安全敏感", "security-sensitive"),
    "chat.console.reason.angry": ("客户不满", "customer upset"),
    "chat.console.reason.bot_failed": ("机器人未能解决", "the bot could not help"),
    "chat.demo.title": (
        "演示交易所（嵌入在线客服的示例页面）",
        "Demo exchange (a page embedding the chat widget)",
    ),
}
