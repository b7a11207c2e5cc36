"""Which of the nine categories a question is about: topic words, then the help center's vote.

Words carry most of the weight (they are precise); the categories of the top search hits
break ties and cover what no word list names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kefu.kb.search import Hit

_WORDS: dict[str, str] = {
    "security": r"被盗|盗号|被黑|钓鱼|谷歌验证|验证器|2fa|二次验证|双重验证|防钓鱼|安全|"
    r"冻结账户|异地登录|陌生设备|白名单|whitelist|hack|phish|stolen|security|authenticator|"
    r"anti-phishing|compromis|suspicious|unauthori[sz]ed|freeze my|scam|fraud|被骗|诈骗",
    "api": r"\bapi\b|api key|apikey|签名|signature|rate limit|限频|websocket|接口|\bsdk\b|"
    r"\brest\b|endpoint|ip 白名单|hmac|recvwindow|timestamp|时间戳",
    "deposit_withdrawal": r"充值|充币|提现|提币|到账|入金|出金|txid|哈希|交易哈希|memo|标签|"
    r"链上|转账|地址|网络选错|转错|deposit|withdraw|transfer|address|network|confirmation|"
    r"确认数|top ?up|cash ?out|credited|arrived|received|wire|bank transfer|\bsend\b|\bsent\b",
    "futures": r"合约|强平|爆仓|资金费率|杠杆|保证金|永续|逐仓|全仓|止损|止盈|开仓|平仓|"
    r"futures|liquidat|funding rate|leverage|margin|perpetual|\bperp|isolated|cross margin|"
    r"stop.?loss|take.?profit|short|long position",
    "earn_loans": r"理财|借贷|质押|staking|\bearn\b|\bloans?\b|borrow|借币|还款|利息|收益|"
    r"年化|apy|apr|定期|活期|赎回|redeem|redemption|savings|interest|collateral|抵押",
    "listing_business": r"上币|上架|商务|合作|项目方|做市|listing|partnership|market maker|"
    r"business|institution|机构|vip|媒体|media|affiliate|推荐返佣|代理|ambassador",
    "account": r"实名|kyc|认证|身份验证|登录|登陆|账户|账号|帐号|密码|手机号|邮箱|注销|改名|"
    r"login|log in|sign in|account|verify|verification|identity|password|passport|"
    r"id card|selfie|phone number|email address|close my account|unfreeze|解冻",
    "trading": r"交易|订单|挂单|手续费|现货|限价|市价|成交|撤单|买入|卖出|k线|\bp2p\b|c2c|"
    r"法币|兑换|闪兑|trade|trading|\border|\bfees?\b|\bspot\b|limit order|market order|"
    r"\bbuy\b|\bsell\b|exchange rate|convert|filled|cancel(?:led)? order|slippage|"
    r"commission|charged",
    "getting_started": r"新手|注册|怎么开始|入门|下载|app|怎么用|第一次|新用户|"
    r"sign ?up|register|getting started|beginner|new user|how do i start|download|"
    r"first time|what is|是什么",
}
TOPIC_WORDS: dict[str, re.Pattern[str]] = {
    slug: re.compile(pattern, re.IGNORECASE) for slug, pattern in _WORDS.items()
}
WORD_WEIGHT = 1.5
HITS_CONSIDERED = 5
PICKED_TOPIC_BONUS = 1.0


@dataclass(frozen=True)
class Reading:
    scores: dict[str, float]  # category → evidence, higher is likelier
    words: dict[str, int]  # category → topic words found

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda item: (-item[1], item[0]))


def word_counts(text: str) -> dict[str, int]:
    counts = {slug: len(pattern.findall(text)) for slug, pattern in TOPIC_WORDS.items()}
    return {slug: n for slug, n in counts.items() if n}


def read_categories(text: str, hits: Sequence[Hit], picked: str | None = None) -> Reading:
    words = word_counts(text)
    scores = {slug: WORD_WEIGHT * min(n, 3) for slug, n in words.items()}
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    for hit in hits[:HITS_CONSIDERED]:
        scores[hit.category] = scores.get(hit.category, 0.0) + max(hit.score, 0.0) / top
    if picked and picked in TOPIC_WORDS and scores:
        scores[picked] = scores.get(picked, 0.0) + PICKED_TOPIC_BONUS
    return Reading(scores=scores, words=words)
