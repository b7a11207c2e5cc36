"""kefu (客服): self-hosted omnichannel customer support for crypto exchanges."""

__version__ = "0.1.0"
