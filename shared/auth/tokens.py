"""Bearer tokens: a role and an expiry, signed with the shared secret key.

Every service checks them on its own, without asking another service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt

from shared.clock import utcnow

ROLES: tuple[str, ...] = ("staff", "jury")
ISSUER = "gia"
ALGORITHM = "HS256"


class InvalidToken(Exception):
    """A token that is missing, forged, expired or for an unknown role."""


@dataclass(frozen=True)
class Principal:
    subject: str
    role: str


def mint_token(secret: str, role: str, subject: str, ttl: timedelta) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    now = utcnow()
    claims = {"iss": ISSUER, "sub": subject, "role": role, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise InvalidToken("the token has expired") from error
    except jwt.PyJWTError as error:
        raise InvalidToken("the token is not valid") from error
    if claims.get("role") not in ROLES:
        raise InvalidToken("the token carries no known role")
    return Principal(subject=claims["sub"], role=claims["role"])
