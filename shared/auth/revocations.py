"""Bearer tokens taken back before they expire, by their id (the ``jti`` claim).

A revoked id is kept until the token would have expired anyway; after that the signature
check refuses it on its own, so the row can go.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.auth.accounts import Base
from shared.auth.tokens import LONGEST_TTL
from shared.clock import utcnow
from shared.db import UtcDateTime


class RevokedToken(Base):
    __tablename__ = "revoked_tokens"

    token_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


def revoke_token(session: Session, token_id: str, expires_at: datetime | None = None) -> None:
    """Refuse the token with this id from now on. Without its expiry (only the id is known)
    the row is kept as long as the longest-lived token could live. Rows of tokens expired by
    now are pruned on the way."""
    token_id = str(uuid.UUID(token_id))  # ValueError for anything that is no token id
    now = utcnow()
    session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    if session.get(RevokedToken, token_id) is None:
        until = expires_at or now + LONGEST_TTL + timedelta(minutes=1)
        session.add(RevokedToken(token_id=token_id, expires_at=until, revoked_at=now))


def is_revoked(session: Session, token_id: str) -> bool:
    return session.get(RevokedToken, token_id) is not None
