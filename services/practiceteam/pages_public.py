"""What anyone may read without a link or an account."""

from __future__ import annotations

from flask import render_template

from services.practiceteam import contributions, meeting_signals
from shared.web.service import transact


def signals() -> str:
    """What the ministry learned from requests and shares with every municipality, and the
    signals municipalities raised at meetings with what the ministry answered."""
    return render_template(
        "practiceteam/signals.html",
        signals=transact(contributions.shared_signals),
        meeting_signals=transact(meeting_signals.answered_signals),
    )
