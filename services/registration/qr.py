"""QR codes of check-in links: a phone's camera opens the link, so staff at the door need
no scanner of their own."""

from __future__ import annotations

import io

import segno

# Error correction M survives a creased print-out or a cracked phone screen; 4 modules of
# quiet zone is what readers need around the code.
ERROR = "m"
BORDER = 4


def _code(link: str) -> segno.QRCode:
    return segno.make_qr(link, error=ERROR, boost_error=False)


def svg(link: str) -> bytes:
    """For the page: a stand-alone SVG file, drawn without style, so the CSP allows it."""
    out = io.BytesIO()
    _code(link).save(out, kind="svg", scale=5, border=BORDER, xmldecl=False, title="QR-code")
    return out.getvalue()


def png(link: str) -> bytes:
    """For the mail, where mail programs show a PNG attachment but not always an SVG."""
    out = io.BytesIO()
    _code(link).save(out, kind="png", scale=6, border=BORDER)
    return out.getvalue()
