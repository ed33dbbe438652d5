"""Personal links: a record's id signed with the secret key.

Such a link opens that one record and no other, without an account, and
nothing has to be stored to check it. Each kind of record signs with a salt of
its own, so a link to one kind never opens another.
"""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeSerializer


class LinkSigner:
    def __init__(self, secret_key: str, salt: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=salt)

    def token(self, record_id: str) -> str:
        return self._serializer.dumps(record_id)

    def opens(self, record_id: str, token: str | None) -> bool:
        if not token:
            return False
        try:
            signed = self._serializer.loads(token)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, record_id)
