"""How long the addresses that survey invitations went to are kept, and why.

The addresses are personal data of municipal officials, needed only to ask
their municipality for its answer and to remind it. An address is erased as
soon as either holds:

- the municipality has answered since the invitation went out: answering
  erases its addresses in the same transaction, so a reminder can never reach
  a municipality that answered;
- the programme year (Amsterdam calendar) in which it was invited is over:
  staff's "Adressen wissen" on the invitations page, or
  ``gia indicators erase-addresses`` run daily, erase those.

Who invited which municipality, and when, stays without the address, so the
figures' story (who was asked, who answered) can still be told.
"""

from __future__ import annotations

from datetime import datetime

from shared.clock import AMSTERDAM


def address_expired(sent_at: datetime, answered_at: datetime | None, now: datetime) -> bool:
    """Whether an invitation's address is no longer needed (see the module's rule)."""
    if answered_at is not None and answered_at >= sent_at:
        return True
    return now.astimezone(AMSTERDAM).year > sent_at.astimezone(AMSTERDAM).year
