"""The entrant's own page, through their personal link: their essay, its co-authors and their
details.

Entrants have no account: the signed token of their link (in the query, or in the forms
the page posts) lets them in.
"""

from __future__ import annotations

from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from services.essay_contest import access, co_authors, entrants, entries
from services.essay_contest.domain import EntryStatus, why_writing_closed
from services.essay_contest.labels import PHRASEBOOK
from services.essay_contest.models import Entry
from services.essay_contest.schemas import (
    CoAuthorIn,
    EntrantChange,
    EntryIn,
    InvitationAnswer,
    InvitationTakenBack,
)
from shared.web.forms import Feedback, form_step, form_values, load_form, posted
from shared.web.mail_limits import mail_limited
from shared.web.service import now, service_context, transact


def own_url(entrant_id: str) -> str:
    token = access.entrant_token(service_context().settings, entrant_id)
    return url_for(".own_page", entrant_id=entrant_id, token=token)


def _own(entrant_id: UUID) -> str:
    access.check_entrant(service_context().settings, str(entrant_id), request.values.get("token"))
    return str(entrant_id)


def _own_page(entrant_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    own = transact(entrants.own_page, entrant_id, now())
    contest, entry = own.contest, own.entry
    closed = why_writing_closed(contest.opens_at, contest.closes_at, now())
    saved = MultiDict(form_values(EntrantChange(), own.entrant))
    if entry:
        saved.update(form_values(EntryIn(), entry))
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/own.html",
        entrant=own.entrant,
        contest=contest,
        entry=entry,
        receipts=own.receipts,
        council=own.council,
        closed=PHRASEBOOK.dutch(closed, 409) if closed else None,
        token=request.values.get("token"),
        feedback=feedback,
        values=CombinedMultiDict([posted(), saved]),
    ), feedback.status


def own_page(entrant_id: UUID) -> tuple[str, int]:
    return _own_page(_own(entrant_id))


def save_entry(entrant_id: UUID) -> ResponseReturnValue:
    """Save the draft (the first save starts the entry); with "indienen" also submit it."""
    own = _own(entrant_id)
    return form_step(
        lambda: transact(
            entries.write_entry,
            service_context().recorder,
            own,
            load_form(EntryIn()),
            now(),
            submit="indienen" in request.form,
        ),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told=_written,
    )


def _written(entry: Entry) -> str:
    if entry.status == EntryStatus.SUBMITTED:
        return (
            f"Uw essay ({entry.word_count} woorden) is ingediend; de ontvangstbevestiging "
            "staat hieronder."
        )
    return f"Uw concept ({entry.word_count} woorden) is opgeslagen."


def confirm_withdraw(entrant_id: UUID) -> str:
    """Asks first: opening the address (a bookmark, a link checker) withdraws nothing."""
    own = _own(entrant_id)
    return render_template(
        "gia/confirm.html",
        heading="Essay intrekken?",
        explanation=[
            "Een ingetrokken essay wordt niet beoordeeld. Tot de deadline kunt u het opnieuw "
            "indienen.",
        ],
        action=url_for(".withdraw_entry", entrant_id=own),
        token=request.values.get("token"),
        button="Ja, intrekken",
        back=own_url(own),
    )


def withdraw_entry(entrant_id: UUID) -> ResponseReturnValue:
    own = _own(entrant_id)
    return form_step(
        lambda: transact(entries.withdraw_entry, service_context().recorder, own, now()),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told=(
            "Uw essay is ingetrokken en wordt niet beoordeeld. Tot de deadline kunt u het "
            "opnieuw indienen."
        ),
    )


def invite_co_author(entrant_id: UUID) -> ResponseReturnValue:
    own = _own(entrant_id)
    return form_step(
        mail_limited("email")(
            lambda: transact(
                co_authors.invite_co_author, own, load_form(CoAuthorIn())["email"], now()
            )
        ),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told="De uitnodiging is verstuurd; de mede-auteur bevestigt via de mail.",
    )


def take_back_invitation(entrant_id: UUID) -> ResponseReturnValue:
    own = _own(entrant_id)
    return form_step(
        lambda: transact(
            co_authors.take_back_invitation,
            own,
            str(load_form(InvitationTakenBack())["author_id"]),
            now(),
        ),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told="De uitnodiging is ingetrokken.",
    )


def answer_invitation(entrant_id: UUID) -> ResponseReturnValue:
    accept = load_form(InvitationAnswer())["accept"]
    own = _own(entrant_id)
    return form_step(
        lambda: transact(co_authors.answer_invitation, own, accept, now()),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told="U bent mede-auteur van dit essay." if accept else "U heeft de uitnodiging geweigerd.",
    )


def change_entrant(entrant_id: UUID) -> ResponseReturnValue:
    own = _own(entrant_id)
    return form_step(
        lambda: transact(entrants.change_entrant, own, load_form(EntrantChange()), now()),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told="Uw gegevens zijn opgeslagen.",
    )


def ask_griffie(entrant_id: UUID) -> ResponseReturnValue:
    """Ask the griffie (again) to confirm that the entrant sits on the council."""
    own = _own(entrant_id)
    return form_step(
        lambda: transact(entrants.ask_griffie, own, now()),
        refused=lambda feedback: _own_page(own, feedback),
        feedback=PHRASEBOOK.feedback,
        then=own_url(own),
        told=(
            "Wij hebben de griffie van uw gemeente gevraagd te bevestigen dat u in de "
            "gemeenteraad zit. U krijgt bericht zodra de griffie heeft geantwoord."
        ),
    )
