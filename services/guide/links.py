"""Where people find a guide: the address its page has, in the API and in mail."""

from __future__ import annotations

from services.guide import MANIFEST
from shared.settings import Settings

GUIDE_PATH = "/handreikingen/"


def guide_url(settings: Settings, slug: str) -> str:
    return f"{MANIFEST.public_url(settings)}{GUIDE_PATH}{slug}"
