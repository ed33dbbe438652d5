"""Bearer tokens: a role, an id and an expiry, signed with the shared secret key.

Every service checks the signature on its own, without asking another service; the id
(``jti``) lets a token be revoked before it expires (``shared.auth.revocations``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from shared.clock import utcnow

ROLES: tuple[str, ...] = ("staff", "jury")
ISSUER = "gia"
ALGORITHM = "HS256"
# No token lives longer, so a revoked id need not be kept longer either.
LONGEST_TTL = timedelta(days=30)


class InvalidToken(Exception):
    """A token that is missing, forged, expired or for an unknown role."""


@dataclass(frozen=True)
class Principal:
    """Who calls. From a bearer token also the token's id and expiry; from a session not."""

    subject: str
    role: str
    token_id: str | None = None
    expires_at: datetime | None = None


def mint_token(secret: str, role: str, subject: str, ttl: timedelta) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if ttl > LONGEST_TTL:
        raise ValueError(f"a token lives at most {LONGEST_TTL.days} days")
    now = utcnow()
    claims = {
        "iss": ISSUER,
        "sub": subject,
        "role": role,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> Principal:
    """The token's principal, if it is signed with ``secret`` and has not expired; whether it
    was revoked is for the caller to ask the auth database."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss", "jti"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise InvalidToken("the token has expired") from error
    except jwt.PyJWTError as error:
        raise InvalidToken("the token is not valid") from error
    if claims.get("role") not in ROLES:
        raise InvalidToken("the token carries no known role")
    return Principal(
        subject=claims["sub"],
        role=claims["role"],
        token_id=str(claims["jti"]),
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
    )
