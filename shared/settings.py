"""Settings from ``GIA_*`` environment variables.

With none of them set the whole system runs on one machine: SQLite files and
kombu's file-based broker under ``var/``, mail written as ``.eml`` files, and a
secret key generated once and kept under ``var/`` so every process agrees.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

AUTH_DATABASE = "auth"
# The ministry of the Interior (BZK) in the register of organisation identification numbers.
BZK_OIN = "00000001003214345000"


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    secret_key: str
    database_url: str | None = None
    # Every GIA_* variable, for what is set per service: GIA_<NAME>_DATABASE_URL, _URL, _PORT.
    variables: Mapping[str, str] = field(default_factory=dict)
    schema_prefix: str = "gia_"
    broker_url: str = ""
    topology_prefix: str = ""
    oin: str = BZK_OIN
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "GIA 2012 <gia@minbzk.nl>"
    mail_dir: Path | None = None
    municipalities_file: Path | None = None
    log_level: str = "INFO"
    max_body_bytes: int = 1024 * 1024
    attachments_dir: Path | None = None
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Days after a praktijkteam request became final until its personal data is erased.
    practiceteam_retention_days: int = 365
    # Days a sent outbox row is kept (for looking into a delivery) before its relay removes it.
    outbox_keep_days: int = 30
    # Minutes before another essay contest confirmation mail may go to the same address.
    essay_confirmation_interval_minutes: int = 10
    session_hours: int = 12
    # Where counts shared by every process live (throttles); empty: each process's memory.
    redis_url: str = ""
    redis_prefix: str = "gia:"
    # Public forms that send mail: per client address, and per target e-mail address.
    mail_limit_address: str = "10/minute;50/hour"
    mail_limit_recipient: str = "5/10 minutes;20/day"
    # Failed logins allowed per account (its e-mail) and per client address, in the windows
    # of the ``limits`` notation; a key over any window may not log in until it has room.
    login_limit_account: str = "5/minute;10/15 minutes;20/day"
    login_limit_address: str = "20/minute;100/hour"
    # Proxies in front that set X-Forwarded-For and -Proto (0: the client talks to us).
    proxy_hops: int = 0
    # "auto": the session cookie is Secure when the request came over HTTPS; "always".
    secure_cookies: str = "auto"
    # An office document (a ZIP) may unpack to at most this much, and this many times its size.
    document_max_unpacked_bytes: int = 100 * 1024 * 1024
    document_max_ratio: int = 100
    # Where the pages' footer sends questions: privacy (the ministry's privacy officer) and
    # everything else about the platform.
    privacy_contact: str = "privacy@minbzk.nl"
    contact_email: str = "gia@minbzk.nl"

    @property
    def broker_dir(self) -> Path:
        return self.var_dir / "broker"

    @property
    def effective_broker_url(self) -> str:
        return self.broker_url or "filesystem://"

    @property
    def effective_mail_dir(self) -> Path:
        return self.mail_dir or self.var_dir / "mail"

    @property
    def effective_attachments_dir(self) -> Path:
        """Uploaded documents, outside anything a web server serves."""
        return self.attachments_dir or self.var_dir / "attachments"

    def per_service(self, name: str, setting: str) -> str | None:
        """``GIA_<NAME>_<SETTING>``: what is set for one service (or database) alone."""
        return self.variables.get(f"GIA_{name.upper()}_{setting}") or None

    def database_url_for(self, name: str) -> str:
        """One database per service: its own URL, a schema of the shared URL, or a SQLite file."""
        if own := self.per_service(name, "DATABASE_URL"):
            return _normalise_database_url(own)
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / f'{name}.db'}"

    def schema_for(self, name: str) -> str | None:
        """The PostgreSQL schema that keeps a service apart when services share a database."""
        url = self.database_url_for(name)
        if url.startswith("postgresql") and not self.per_service(name, "DATABASE_URL"):
            return f"{self.schema_prefix}{name}"
        return None

    def for_service(self, name: str) -> Settings:
        """As one service's processes see them: on the broker as its own user, whose
        permissions let it publish only its own events (``GIA_<NAME>_BROKER_URL``)."""
        return replace(self, broker_url=self.per_service(name, "BROKER_URL") or self.broker_url)

    @property
    def process(self) -> str:
        """What this process is called in PostgreSQL (``pg_stat_activity.application_name``),
        so a slow query or held lock is traced to its process: ``GIA_PROCESS``, set by whatever
        started it (``gia.registry.application_name``), else ``gia-cli``."""
        return self.variables.get("GIA_PROCESS") or "gia-cli"

    def event_source(self, service: str) -> str:
        """The CloudEvents ``source`` (NL GOV profile): a URN naming organisation and system."""
        return f"urn:nld:oin:{self.oin}:systeem:gia-{service.replace('_', '-')}"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _choice(value: str, allowed: tuple[str, ...]) -> str:
    """A setting that takes one of a few words; a typo stops the start instead of being
    taken for the default."""
    word = value.strip().lower()
    if word not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return word


def _secret_key(var_dir: Path, env: Mapping[str, str]) -> str:
    """The configured key, or one generated once under var/ that every local process shares."""
    if env.get("GIA_SECRET_KEY"):
        return env["GIA_SECRET_KEY"]
    path = var_dir / "secret_key"
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    var_dir = Path(env.get("GIA_VAR_DIR", "var")).resolve()
    database_url = env.get("GIA_DATABASE_URL")
    return Settings(
        var_dir=var_dir,
        secret_key=_secret_key(var_dir, env),
        database_url=_normalise_database_url(database_url) if database_url else None,
        variables={name: value for name, value in env.items() if name.startswith("GIA_")},
        schema_prefix=env.get("GIA_DATABASE_SCHEMA_PREFIX", "gia_"),
        broker_url=env.get("GIA_BROKER_URL", ""),
        topology_prefix=env.get("GIA_TOPOLOGY_PREFIX", ""),
        oin=env.get("GIA_OIN", BZK_OIN),
        smtp_host=env.get("GIA_SMTP_HOST") or None,
        smtp_port=int(env.get("GIA_SMTP_PORT", "25")),
        smtp_user=env.get("GIA_SMTP_USER") or None,
        smtp_password=env.get("GIA_SMTP_PASSWORD") or None,
        smtp_starttls=_flag(env.get("GIA_SMTP_STARTTLS")),
        mail_from=env.get("GIA_MAIL_FROM", "GIA 2012 <gia@minbzk.nl>"),
        mail_dir=Path(env["GIA_MAIL_DIR"]).resolve() if env.get("GIA_MAIL_DIR") else None,
        municipalities_file=(
            Path(env["GIA_MUNICIPALITIES_FILE"]) if env.get("GIA_MUNICIPALITIES_FILE") else None
        ),
        log_level=env.get("GIA_LOG_LEVEL", "INFO").upper(),
        max_body_bytes=int(env.get("GIA_MAX_BODY_BYTES", str(1024 * 1024))),
        attachments_dir=(
            Path(env["GIA_ATTACHMENTS_DIR"]).resolve() if env.get("GIA_ATTACHMENTS_DIR") else None
        ),
        attachment_max_bytes=int(env.get("GIA_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        practiceteam_retention_days=int(env.get("GIA_PRACTICETEAM_RETENTION_DAYS", "365")),
        outbox_keep_days=int(env.get("GIA_OUTBOX_KEEP_DAYS", "30")),
        essay_confirmation_interval_minutes=int(
            env.get("GIA_ESSAY_CONFIRMATION_INTERVAL_MINUTES", "10")
        ),
        session_hours=int(env.get("GIA_SESSION_HOURS", "12")),
        redis_url=env.get("GIA_REDIS_URL", ""),
        redis_prefix=env.get("GIA_REDIS_PREFIX", "gia:"),
        mail_limit_address=env.get("GIA_MAIL_LIMIT_ADDRESS", Settings.mail_limit_address),
        mail_limit_recipient=env.get("GIA_MAIL_LIMIT_RECIPIENT", Settings.mail_limit_recipient),
        login_limit_account=env.get("GIA_LOGIN_LIMIT_ACCOUNT", "5/minute;10/15 minutes;20/day"),
        login_limit_address=env.get("GIA_LOGIN_LIMIT_ADDRESS", "20/minute;100/hour"),
        proxy_hops=int(env.get("GIA_PROXY_HOPS", Settings.proxy_hops)),
        secure_cookies=_choice(env.get("GIA_SECURE_COOKIES", "auto"), ("auto", "always")),
        document_max_unpacked_bytes=int(
            env.get("GIA_DOCUMENT_MAX_UNPACKED_BYTES", Settings.document_max_unpacked_bytes)
        ),
        document_max_ratio=int(env.get("GIA_DOCUMENT_MAX_RATIO", Settings.document_max_ratio)),
        privacy_contact=env.get("GIA_PRIVACY_CONTACT", Settings.privacy_contact),
        contact_email=env.get("GIA_CONTACT_EMAIL", Settings.contact_email),
    )
