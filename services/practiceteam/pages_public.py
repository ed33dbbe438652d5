"""What anyone may read without a link or an account."""

from __future__ import annotations

from flask import render_template

from services.practiceteam import contributions
from shared.web.service import transact


def signals() -> str:
    """What the ministry learned from requests and shares with every municipality."""
    return render_template(
        "practiceteam/signals.html", signals=transact(contributions.shared_signals)
    )
