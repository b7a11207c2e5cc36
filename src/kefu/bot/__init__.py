"""The chat bot: answers from the help center first, hands over to a person when it should.

    decision = answer_or_handoff(services, "怎么找到充值的 TxID？", "zh-Hans", None)
    decision.category, decision.articles[0].title, decision.handoff

See docs/subsystems/chat.md.
"""

from kefu.bot.answer import ArticleRef, BotDecision, answer_or_handoff
from kefu.bot.handoff import HandoffReason

__all__ = ["ArticleRef", "BotDecision", "HandoffReason", "answer_or_handoff"]
