"""The canonical ticket and help-center categories, with their names in both languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    name_zh: str
    name_en: str
    team: str  # the team a new ticket in this category goes to

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh-Hans" else self.name_en


CATEGORIES: tuple[Category, ...] = (
    Category("getting_started", "新手入门", "Getting started", "support"),
    Category("account", "账户管理", "Account", "support"),
    Category("deposit_withdrawal", "充值与提现", "Deposits & withdrawals", "support"),
    Category("trading", "交易相关", "Trading", "support"),
    Category("futures", "合约交易", "Futures", "support"),
    Category("earn_loans", "理财与借贷", "Earn & loans", "support"),
    Category("security", "安全中心", "Security", "security"),
    Category("api", "API技术支持", "API support", "api"),
    Category("listing_business", "上币与商务合作", "Listing & business", "business"),
)

CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}
