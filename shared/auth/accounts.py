"""Staff and jury accounts in the small auth database every service reads."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.auth.tokens import ROLES, Principal
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


def normalise_email(email: str) -> str:
    return email.strip().lower()


def add_account(session: Session, email: str, role: str, password: str) -> Account:
    """Create the account, or reset role and password of an existing one."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if len(password) < 12:
        raise ValueError("a password needs at least 12 characters")
    email = normalise_email(email)
    account = session.get(Account, email) or Account(email=email)
    account.role = role
    account.password_hash = _hasher.hash(password)
    session.add(account)
    return account


def authenticate(session: Session, email: str, password: str) -> Principal | None:
    account = session.scalar(
        select(Account).where(func.lower(Account.email) == normalise_email(email))
    )
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None:
        return None
    return Principal(subject=account.email, role=account.role)
