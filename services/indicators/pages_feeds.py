"""The figures for feed readers and spreadsheets: Atom and JSON Feed of their moves, and CSV
for staff's own reports.

A staff session opens them, or a feed token in the URL: feed readers send no
cookies.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from flask import Response, request, url_for
from sqlalchemy.orm import Session

from services.indicators import exports, feed_tokens, feeds, history
from services.indicators.access import feed_links
from shared.municipalities import Register
from shared.problems import Forbidden, Unauthorized
from shared.web.auth import session_principal
from shared.web.service import now, service_context, transact

DOWNLOADS: dict[str, Callable[[Session, Register], str]] = {
    "figures.csv": exports.figures_csv,
    "groups.csv": exports.groups_csv,
    "evidence.csv": exports.evidence_csv,
    "appreciation.csv": exports.appreciation_csv,
}


def _feed_reader(token_id: str) -> None:
    """A staff session, or a feed token that was issued and not revoked."""
    principal = session_principal()
    if principal is not None and principal.role == "staff":
        return
    token = request.args.get("token")
    if not token:
        raise Unauthorized("This feed needs a staff session or a feed token (?token=...).")
    valid = transact(feed_tokens.feed_token_valid, token_id)
    if not (valid and feed_links(service_context().settings.secret_key).opens(token_id, token)):
        raise Forbidden("This feed token is not valid, or has been revoked.")


def feed(token_id: uuid.UUID, name: str) -> Response:
    _feed_reader(str(token_id))
    if name in DOWNLOADS:
        body = transact(DOWNLOADS[name], service_context().register)
        disposition = {"Content-Disposition": f"attachment; filename={name}"}
        return Response(body, mimetype="text/csv", headers=disposition)
    if name not in ("figures.atom", "figures.json"):
        return Response(status=404)
    items = feeds.entries(transact(history.changes, limit=200))
    page = url_for(".dashboard", _external=True)
    if name == "figures.json":
        body = feeds.json_feed(items, request.url, page)
        return Response(json.dumps(body), mimetype="application/feed+json")
    return Response(feeds.atom(items, request.url, page, now()), mimetype="application/atom+xml")
