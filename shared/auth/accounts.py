"""Staff and jury accounts in the small auth database every service reads.

Each account has a version that every session carries: changing the password or the role,
removing the account or ending its sessions raises it, and every session opened before then
stops counting at its next request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.auth.tokens import ROLES
from shared.clock import utcnow
from shared.db import UtcDateTime

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash("not a password of anybody")


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    def renew(self) -> None:
        """Every session of the account ends: they carry the version before this one."""
        self.version += 1


class UnknownAccount(LookupError):
    """No account has this e-mail address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _known_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    return role


def add_account(session: Session, email: str, role: str, password: str) -> Account:
    """Create the account, or reset role and password of an existing one (ending its
    sessions)."""
    _known_role(role)
    if len(password) < 12:
        raise ValueError("a password needs at least 12 characters")
    email = normalise_email(email)
    account = session.get(Account, email)
    if account is None:
        account = Account(email=email, version=1)
    else:
        account.renew()
    account.role = role
    account.password_hash = _hasher.hash(password)
    session.add(account)
    return account


def find_account(session: Session, email: str) -> Account:
    account = session.get(Account, normalise_email(email))
    if account is None:
        raise UnknownAccount(f"no account for {normalise_email(email)}")
    return account


def list_accounts(session: Session) -> Sequence[Account]:
    return session.scalars(select(Account).order_by(Account.email)).all()


def set_role(session: Session, email: str, role: str) -> Account:
    """The account's new role; sessions opened under the old one end."""
    account = find_account(session, email)
    account.role = _known_role(role)
    account.renew()
    return account


def end_sessions(session: Session, email: str) -> Account:
    """Log the account out everywhere."""
    account = find_account(session, email)
    account.renew()
    return account


def remove_account(session: Session, email: str) -> None:
    session.delete(find_account(session, email))


def holds_session(session: Session, email: str, role: str, version: int) -> bool:
    """Whether a session opened for this account, role and version still counts: one
    primary-key lookup, made on every request that carries a session."""
    account = session.get(Account, email)
    return account is not None and account.version == version and account.role == role


def authenticate(session: Session, email: str, password: str) -> Account | None:
    account = session.scalar(
        select(Account).where(func.lower(Account.email) == normalise_email(email))
    )
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return account
