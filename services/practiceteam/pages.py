"""The praktijkteam's Dutch pages: the request form, the municipality's tracking page, and
the ministry's queue, request pages and capacity view, all on one blueprint.

Views stay thin: forms go through the API's marshmallow schemas, changes through
the use cases (``requests``, ``moves``, ``contributions``, ``erasure``), which also
write the events and queue the mails. The blueprint and what both sides share are in
``pages_common``; importing the two route modules puts their routes on it.
"""

from __future__ import annotations

from services.practiceteam import pages_municipality, pages_staff
from services.practiceteam.pages_common import pages

__all__ = ["pages", "pages_municipality", "pages_staff"]
