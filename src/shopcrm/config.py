"""Settings, read from the environment (prefix SHOPCRM_, plus DATABASE_URL and DATABASE_READ_URL)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path.cwd() / 'data' / 'shopcrm.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPCRM_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "SHOPCRM_DATABASE_URL"),
    )
    # Heavy reads go here; defaults to the primary. A streaming replica can take them later.
    database_read_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_READ_URL", "SHOPCRM_DATABASE_READ_URL"),
    )
    db_pool_size: int = 10
    db_connect_timeout_s: float = 2.0
    db_pool_timeout_s: float = 5.0
    statement_timeout_ms: int = 15_000
    # Client-side bounds, so no request waits on a network that went silent (docs/operations.md, Timeouts).
    # A statement with no answer after db_command_timeout_s (default: the statement timeout + 5 s; 0: no
    # bound), or a checkout ping with none after db_ping_timeout_s, closes its connection and answers 503.
    db_command_timeout_s: float | None = Field(default=None, ge=0)
    db_ping_timeout_s: float = Field(default=2.0, gt=0)
    # TCP keepalives on PostgreSQL connections, as libpq's keepalives_idle/_interval/_count (idle 0: off).
    db_keepalive_idle_s: int = Field(default=30, ge=0)
    db_keepalive_interval_s: int = Field(default=10, ge=1)
    db_keepalive_count: int = Field(default=3, ge=1)

    log_level: str = "INFO"
    # JSON lines for log collectors; unset, readable lines when stderr is a terminal (`make run`) and JSON
    # otherwise.
    log_json: bool | None = None

    # Signs what the server hands out and later takes back (list cursors, trusted-device cookies). Every
    # process behind one load balancer needs the same key; without one, development and tests use a random
    # key per process (cursors and device cookies then end with a restart), and production refuses to start.
    secret_key: SecretStr | None = Field(default=None, min_length=32)

    max_body_bytes: int = 1_000_000
    session_ttl_hours: int = 12
    # How long a process may trust an API token it checked (auth/token_cache.py); 0 checks every request.
    token_cache_seconds: float = Field(default=2.0, ge=0, le=60)
    cookie_secure: bool = False
    # /docs, /redoc and /openapi.json: public outside production; in production only for a logged-in user
    # unless this opens them.
    public_api_docs: bool = False
    session_cookie: str = "shopcrm_session"
    csrf_cookie: str = "shopcrm_csrf"

    # Failed logins (auth/login_throttle.py): after `free` attempts in a row the next waits 1, 2, 4, ...
    # seconds, up to `login_max_delay_s`. `login_free_attempts` counts per (account, address) pair and per
    # trusted device; the address counter spans all accounts (an office behind one NAT) and the account
    # counter all addresses (guesses spread over many), both only for browsers not known to the account.
    login_free_attempts: int = Field(default=5, ge=1)
    login_address_free_attempts: int = Field(default=30, ge=1)
    login_account_free_attempts: int = Field(default=20, ge=1)
    login_max_delay_s: int = Field(default=900, ge=1)
    login_address_max_delay_s: int = Field(default=60, ge=1)
    # Password hashes run in this many threads; past `login_hash_queue` waiting, logins get 503 at once.
    login_hash_workers: int = Field(default=2, ge=1, le=64)
    login_hash_queue: int = Field(default=32, ge=0)
    # A browser that logged in to an account keeps a signed cookie naming it as a known device for that
    # account, so guesses from elsewhere cannot lock its owner out.
    device_cookie: str = "shopcrm_device"
    device_cookie_days: int = Field(default=365, ge=1)
    # Reverse proxies whose X-Forwarded-For is believed (IPs or CIDR ranges, comma-separated; "*" for any).
    # Empty: the client address is the connection's peer, and the header is ignored.
    trusted_proxies: str = ""

    # Argon2 costs; tests lower them because the default is deliberately slow.
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536

    # Statistics across all customers (the RFM fifths) are computed by each server process in the background
    # at start-up and then every this many seconds (0: at start-up only; `shopcrm refresh-stats` any time).
    # Requests read the stored result; with several processes one computes and the others skip.
    stats_refresh_seconds: int = Field(default=600, ge=0)

    # Segment members are refreshed when a segment is saved and whenever their count is older than this
    # (rules like "no order in 90 days" change with time alone): by `shopcrm worker` processes, and on SQLite
    # by `shopcrm serve` itself (segments/jobs.py). 0: only after a save.
    segment_refresh_seconds: int = Field(default=60, ge=0)
    # How many due segments one process refreshes at a time on PostgreSQL, each in its own transaction on its
    # own connection: a refresh keeps one database core busy (its inserts and index entries), so on the
    # 2-core machine two at a time took the ten bench segments' first count from 15.0 s to 10.9 s. SQLite has
    # one writer, so there it is always 1.
    segment_refresh_concurrency: int = Field(default=2, ge=1, le=16)
    # The store's time zone (IANA name): the dashboard's days begin and end at its midnight.
    store_timezone: str = "UTC"
    # The dashboard's daily rollup is brought up to date by each server process at start-up and then every
    # this many seconds (0: at start-up only); days changed since are read live, so figures are always exact.
    analytics_refresh_seconds: int = Field(default=60, ge=0)
    # Demand forecasts and reorder advice for every product (forecasting/jobs.py) are recomputed in one batch,
    # after a rollup refresh, when the stored ones are older than this: by `shopcrm worker` processes, and on
    # SQLite by `shopcrm serve` itself. 0: once at start-up (or `shopcrm worker --once`) only.
    forecast_refresh_seconds: int = Field(default=3600, ge=0)
    # The chance of not running out during a reorder's lead time that the safety stock is sized for.
    forecast_service_level: float = Field(default=0.95, ge=0.5, le=0.999)

    # Imports (imports/): uploaded files are kept here until their import ends (then deleted: they hold customer
    # data). Every process that runs imports (`shopcrm serve` on SQLite, `shopcrm worker` on PostgreSQL) must
    # see the same folder. An upload has its own size limit: max_body_bytes does not apply to it.
    import_dir: Path = Field(default_factory=lambda: Path.cwd() / "data" / "imports")
    import_max_bytes: int = Field(default=1_073_741_824, ge=1)
    # Rows per chunk (each chunk one transaction); 0 picks by engine (imports/jobs.py).
    import_chunk_rows: int = Field(default=0, ge=0, le=100_000)

    # Customer tiers by lifetime spend (lower bounds).
    tier_silver_from: Decimal = Decimal("200")
    tier_gold_from: Decimal = Decimal("1000")
    tier_platinum_from: Decimal = Decimal("5000")

    spa_dir: Path = REPO_ROOT / "frontend" / "dist"

    @field_validator("store_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Europe/Berlin)") from exc
        return value

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        if self.environment == "production" and not self.cookie_secure:
            raise ValueError("SHOPCRM_COOKIE_SECURE must be true in production (cookies over HTTPS only)")
        if self.environment == "production" and self.secret_key is None:
            raise ValueError("SHOPCRM_SECRET_KEY must be set in production (at least 32 random characters)")
        return self

    @property
    def signing_key(self) -> bytes:
        """The key behind every signature the server makes (see `secret_key`)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _PROCESS_KEY

    @property
    def command_timeout_s(self) -> float | None:
        """The client-side bound on one statement (asyncpg's command_timeout); None for no bound."""
        if self.db_command_timeout_s is not None:
            return self.db_command_timeout_s or None
        return self.statement_timeout_ms / 1000 + 5 if self.statement_timeout_ms > 0 else None

    @property
    def api_docs_need_login(self) -> bool:
        return self.environment == "production" and not self.public_api_docs

    @property
    def read_url(self) -> str:
        return self.database_read_url or self.database_url


_PROCESS_KEY = secrets.token_bytes(32)


@lru_cache
def get_settings() -> Settings:
    return Settings()
