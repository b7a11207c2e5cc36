"""All configuration, from KEFU_* environment variables (and an optional .env file).

`Settings` is built once by the entry point and passed down explicitly: nothing reads
the environment at import time. See docs/settings.md.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LANGUAGES = ("zh-Hans", "en")


_KEYS_READ: dict[Path, str] = {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KEFU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Where kefu keeps its SQLite file, secret key, attachments and dev mailbox.
    var_dir: Path = Path("var")
    # SQLAlchemy URL; default is SQLite in var/. PostgreSQL: postgresql+psycopg://…
    database_url: str = ""
    # Optional Redis URL for live events across processes (redis://127.0.0.1:6379/0).
    redis_url: str = ""
    # Share live events among the processes of `kefu serve --workers N` on this machine
    # (set by `kefu serve` itself when there are several workers and no Redis).
    live_peers: bool = False
    # Signs agent sessions and one-time links; generated into var/secret_key if empty.
    secret_key: str = ""
    # HS256 secret the exchange uses to sign customer identity tokens.
    identity_secret: str = ""
    # The URL customers and agents reach kefu at; used in emails and links.
    public_base_url: str = "http://127.0.0.1:8000"
    # Time zone for business hours and dates shown to people.
    default_time_zone: str = "Asia/Shanghai"
    # Languages offered; the first is the default.
    languages: list[str] = Field(default_factory=lambda: list(SUPPORTED_LANGUAGES))
    # "demo" enables demo-only helpers (dev mailbox, printed TOTP codes); "production" refuses them.
    environment: Literal["demo", "development", "test", "production"] = "development"
    # Outgoing mail: smtp://host:port (no auth) or smtp+starttls://user:pass@host:port.
    smtp_url: str = "smtp://127.0.0.1:8025"
    # Address outgoing mail is sent from.
    mail_from: str = "Demo Exchange Support <support@demo-exchange.example>"
    # Run the built-in SMTP sink (demo mailbox) inside `kefu serve`.
    dev_mail_sink: bool = False
    # Run the job worker inside `kefu serve` (turn off when running `kefu worker` apart).
    run_worker_in_web: bool = True
    # Build the help-center search index in the background at startup (else on first search).
    warm_search_index: bool = True
    # Largest accepted request body for JSON API calls, in bytes.
    max_json_bytes: int = 256 * 1024
    # Largest accepted attachment, in bytes.
    max_attachment_bytes: int = 10 * 1024 * 1024
    # Screenshots per ticket submission.
    max_attachments: int = 5
    # Name shown to customers.
    brand_name: str = "Demo Exchange"
    brand_name_zh: str = "演示交易所"
    # Base URL of the exchange adapter (docs/exchange-adapter.md). Empty: the built-in demo
    # exchange mounted at {public_base_url}/demo-exchange (demo/development/test only).
    exchange_url: str = ""
    # HMAC-SHA256 secret shared with the exchange adapter; derived from the secret key in demo.
    exchange_secret: str = ""
    # Seconds kefu waits for the exchange adapter before treating it as unavailable.
    exchange_timeout_seconds: float = 5.0
    # Email channel (docs/subsystems/email.md). Domain of the mailboxes; empty: mail_from's.
    email_domain: str = ""
    # Mailboxes as "local[@domain]=team:priority"; an empty team routes by category.
    email_mailboxes: list[str] = Field(
        default_factory=lambda: [
            "support=:normal",
            "security=security:high",
            "business=business:normal",
            "listing=listing:normal",
        ]
    )
    # Built-in SMTP listener "host:port"; when set, `kefu serve` runs it too.
    smtpd_listen: str = ""
    # Largest email accepted (SMTP SIZE; 552 beyond), in bytes.
    email_max_bytes: int = 25 * 1024 * 1024
    # IMAP folders to poll: imap[s]://user:pass@host:port/FOLDER?mailbox=ADDR&move_to=FOLDER
    imap_urls: list[str] = Field(default_factory=list)
    # Seconds between IMAP polls (and the longest IDLE wait).
    imap_poll_seconds: int = 60
    # authserv-ids of our own MTA whose Authentication-Results headers are believed.
    email_trusted_authserv_ids: list[str] = Field(default_factory=list)
    # From this many emails per sender within the window on, none is answered automatically.
    email_rate_limit: int = 5
    email_rate_window_seconds: int = 600
    # A customer's reply to a closed ticket: "follow_up" opens a new ticket linked to it,
    # "reopen" opens the closed ticket again (any channel; an email by its references).
    reply_to_closed_ticket: Literal["follow_up", "reopen"] = "follow_up"
    # DKIM-sign outgoing mail: a file holding the RSA private key (PEM), the selector, and
    # the signing domain (empty: the mailboxes' domain). No file: mail goes out unsigned.
    email_dkim_key_file: str = ""
    email_dkim_selector: str = "kefu"
    email_dkim_domain: str = ""
    # Origins (scheme://host[:port]) of the exchange pages allowed to embed the chat widget;
    # the WebSocket refuses any other Origin. public_base_url's origin is always allowed.
    chat_allowed_origins: list[str] = Field(default_factory=list)
    # Insider-threat controls (docs/subsystems/insider-controls.md): a viewer opening more
    # distinct customers than this within an hour is paused and admins are alerted;
    # a revealed customer field stays unmasked for this many minutes.
    insider_view_threshold: int = Field(default=50, ge=1)
    insider_reveal_minutes: int = Field(default=15, ge=1, le=240)
    # Rate limits (docs/subsystems/hardening.md): hits per window, per client address
    # and per identity; shared through Redis when redis_url is set;
    # rate_limits_enabled=false turns them off (tests that load-test on purpose may).
    rate_limits_enabled: bool = True
    login_limit_per_ip: int = Field(default=30, ge=1)
    login_limit_per_account: int = Field(default=10, ge=1)
    login_limit_window_seconds: int = Field(default=60, ge=1)
    # Per address it is generous: many customers share one (mobile carriers' NAT, an
    # exchange backend calling the API for its customers); per customer it is tight.
    ticket_limit_per_ip: int = Field(default=600, ge=1)
    ticket_limit_per_customer: int = Field(default=20, ge=1)
    ticket_limit_window_seconds: int = Field(default=600, ge=1)
    chat_limit_per_session: int = Field(default=10, ge=1)
    chat_limit_per_ip: int = Field(default=60, ge=1)
    chat_limit_window_seconds: int = Field(default=10, ge=1)
    verify_limit_per_ip: int = Field(default=30, ge=1)
    verify_limit_window_seconds: int = Field(default=60, ge=1)
    # Searches that found nothing are recorded for the leads' report; past this many per
    # address in the window the search still answers but is no longer recorded.
    missed_search_limit_per_ip: int = Field(default=30, ge=1)
    missed_search_limit_window_seconds: int = Field(default=3600, ge=1)
    # Agent lockout: after this many consecutive failed sign-ins the account is refused
    # for lockout_base_seconds, doubling with each further failure up to lockout_max_seconds.
    lockout_after_failures: int = Field(default=5, ge=1)
    lockout_base_seconds: int = Field(default=60, ge=1)
    lockout_max_seconds: int = Field(default=3600, ge=1)

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.var_dir / 'kefu.sqlite3').as_posix()}"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag whenever kefu is reached over HTTPS."""
        return self.public_base_url.lower().startswith("https://")

    def resolved_secret_key(self) -> str:
        """The configured secret key, or one generated once into var/secret_key."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        key = _KEYS_READ.get(path)
        if key is None:  # read once per process: every chat welcome signs with it
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
                path.chmod(0o600)
            key = _KEYS_READ[path] = path.read_text(encoding="utf-8").strip()
        return key

    def resolved_identity_secret(self) -> str:
        """Identity-token secret; demo deployments derive one so the printed token works."""
        if self.identity_secret:
            return self.identity_secret
        return "demo-identity-" + self.resolved_secret_key()[:24]

    @property
    def is_demo(self) -> bool:
        return self.environment in ("demo", "development", "test")

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "zh-Hans"

    @property
    def attachments_dir(self) -> Path:
        return self.var_dir / "attachments"

    @property
    def dev_mailbox_dir(self) -> Path:
        return self.var_dir / "mailbox"


def configuration_problems(settings: Settings) -> list[str]:
    """One clear line per problem; an empty list means the configuration is usable."""
    problems: list[str] = []
    url = settings.resolved_database_url()
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        problems.append(
            f"KEFU_DATABASE_URL: unsupported database '{url.split(':', 1)[0]}'; "
            "use sqlite:///path or postgresql+psycopg://user:pass@host/db"
        )
    if settings.redis_url and not settings.redis_url.startswith(("redis://", "rediss://")):
        problems.append("KEFU_REDIS_URL: must start with redis:// or rediss://")
    try:
        ZoneInfo(settings.default_time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"KEFU_DEFAULT_TIME_ZONE: unknown time zone '{settings.default_time_zone}' "
            "(use an IANA name such as Asia/Shanghai)"
        )
    unknown = [lang for lang in settings.languages if lang not in SUPPORTED_LANGUAGES]
    if unknown or not settings.languages:
        problems.append(
            f"KEFU_LANGUAGES: {unknown or 'empty'} not supported; choose from zh-Hans, en"
        )
    if not settings.public_base_url.startswith(("http://", "https://")):
        problems.append("KEFU_PUBLIC_BASE_URL: must start with http:// or https://")
    if not settings.smtp_url.startswith(("smtp://", "smtps://", "smtp+starttls://")):
        problems.append("KEFU_SMTP_URL: must start with smtp://, smtps:// or smtp+starttls://")
    if settings.email_dkim_key_file and not Path(settings.email_dkim_key_file).is_file():
        problems.append(f"KEFU_EMAIL_DKIM_KEY_FILE: no such file {settings.email_dkim_key_file}")
    if settings.environment == "production":
        if len(settings.secret_key) < 32:
            problems.append("KEFU_SECRET_KEY: set a random value of at least 32 characters")
        if len(settings.identity_secret) < 32:
            problems.append(
                "KEFU_IDENTITY_SECRET: set the shared secret (≥ 32 characters) your exchange "
                "signs identity tokens with"
            )
        if settings.dev_mail_sink:
            problems.append("KEFU_DEV_MAIL_SINK: the demo mailbox must be off in production")
        if not settings.exchange_url.startswith(("https://", "http://")):
            problems.append("KEFU_EXCHANGE_URL: set the exchange adapter's base URL")
        if len(settings.exchange_secret) < 32:
            problems.append(
                "KEFU_EXCHANGE_SECRET: set the HMAC secret (≥ 32 characters) shared with "
                "the exchange adapter"
            )
    return problems


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; raise SettingsError with readable lines."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [
            f"KEFU_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        raise SettingsError(lines) from None


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
