"""Strings of the bot's official-channel answers."""

MESSAGES: dict[str, tuple[str, str]] = {
    "bot.official_answer": (
        "{what}：{status}。{real}官方客服绝不会私信索要密码、验证码、助记词或转账。随时可在 {url} 核实任何网址、邮箱或账号。",
        "{what}: {status}. {real}Official support never DMs you for passwords, codes, seed phrases or transfers. Check any link, email or account at {url}.",
    ),
    "bot.official_real": ("我们的官方渠道是 {real}。", "Our official one is {real}. "),
}
