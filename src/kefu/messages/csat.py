"""Strings of the satisfaction survey."""

MESSAGES: dict[str, tuple[str, str]] = {
    "csat.invitation": (
        "您的工单已解决。请花 10 秒钟为本次服务打分（1–5 分），帮助我们做得更好：\n{url}",
        "Your ticket is solved. Please take 10 seconds to rate our help (1–5) so we can do better:\n{url}",
    ),
    "csat.chat_invitation": (
        "您的问题已解决。{question}请点击下方 1–5 分为本次服务打分（也可打开链接：{url}）。",
        "Your question is solved. {question} Please rate our help with the 1–5 buttons below "
        "(or open this link: {url}).",
    ),
    "csat.already_rated": (
        "您已评价过本次服务（{score} 分），以首次评价为准。",
        "You already rated this help ({score}); the first rating stands.",
    ),
    "csat.title": ("服务评价", "Rate our help"),
    "csat.comment": ("补充说明（选填）", "Anything to add? (optional)"),
    "csat.submit": ("提交评价", "Send rating"),
    "csat.thanks": ("感谢您的评价！", "Thank you for your rating!"),
    "csat.scale": ("1 = 非常不满意，5 = 非常满意", "1 = very unhappy, 5 = very happy"),
    "csat.bad_score": ("请选择 1 到 5 分。", "Please choose a score from 1 to 5."),
    "csat.rating": ("客户评价", "Customer rating"),
    "csat.settings": ("满意度调查", "Satisfaction survey"),
    "csat.disabled_channels": ("不发送调查的渠道", "Channels without a survey"),
}
