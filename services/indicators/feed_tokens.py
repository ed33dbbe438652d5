"""Staff's feed tokens: feed readers send no cookies, so a signed token id opens the feeds
until its owner revokes it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.models import FeedToken
from shared.problems import NotFound


def create_feed_token(session: Session, subject: str, label: str, now: datetime) -> FeedToken:
    token = FeedToken(id=str(uuid.uuid4()), subject=subject, label=label, created_at=now)
    session.add(token)
    return token


def feed_tokens(session: Session, subject: str) -> list[FeedToken]:
    return list(
        session.scalars(
            select(FeedToken).where(FeedToken.subject == subject).order_by(FeedToken.created_at)
        )
    )


def revoke_feed_token(session: Session, subject: str, token_id: str, now: datetime) -> FeedToken:
    """Staff revoke their own tokens; the signed id then opens nothing."""
    token = session.get(FeedToken, token_id)
    if token is None or token.subject != subject:
        raise NotFound("There is no such feed token of yours.")
    token.revoked_at = token.revoked_at or now
    return token


def feed_token_valid(session: Session, token_id: str) -> bool:
    token = session.get(FeedToken, token_id)
    return token is not None and token.revoked_at is None
