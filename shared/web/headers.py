"""Security at the edges of every service: the headers on every response, the session
cookie, and which proxy in front may say who the client is and that it came over HTTPS.

flask-talisman sets the content security policy, frame, type-sniffing and referrer headers.
It would also send HSTS whenever a request carries ``X-Forwarded-Proto: https``, from
whoever sent it, so HSTS is set here instead, from ``request.is_secure`` alone: that is
HTTPS to the app itself, or what the proxies ``GIA_PROXY_HOPS`` trusts said (werkzeug's
ProxyFix). Talisman's redirect to HTTPS stays off: local runs are plain HTTP, and behind
TLS the ingress redirects.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.settings import Settings

# Everything from the service itself; no inline script or style, never inside a frame.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Nothing the pages use; a page that is taken over cannot ask for them either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, ``Secure`` whenever the request came over HTTPS, so
    one setting serves a plain-HTTP local run and a site behind TLS (``GIA_SECURE_COOKIES=
    always`` makes it ``Secure`` regardless, through ``SESSION_COOKIE_SECURE``)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or request.is_secure)


def is_static(current: Request) -> bool:
    """Stylesheets and scripts: the same for everyone, so browsers may keep them."""
    return (current.endpoint or "").rpartition(".")[2] == "static"


def secure_edges(app: Flask, settings: Settings) -> None:
    """Headers on every response of ``app`` (pages, API, errors, files), its session cookie,
    and the proxies it trusts."""
    if settings.proxy_hops:
        # Only the client address and the scheme: proxies pass the Host header on as it
        # came, and an X-Forwarded-Host one did not set would be taken from the client.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops
        )
    app.session_interface = SessionCookies()
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies == "always",
    )
    Talisman(
        app,
        force_https=False,
        strict_transport_security=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        # Personal links carry their token in the URL: no other site may see it.
        referrer_policy="no-referrer",
        # The session cookie is ours (above); Talisman would make it Secure always.
        session_cookie_secure=False,
    )

    @app.after_request
    def _transport_and_caching(response: Response) -> Any:
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        # Pages, API answers and documents are personal more often than not (a token in
        # the link, a session, a person's own file): none is kept by a browser or a proxy.
        if not is_static(request):
            response.headers["Cache-Control"] = "no-store"
        return response
