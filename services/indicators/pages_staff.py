"""The ministry staff's pages: the dashboard, a municipality's evidence, who is missing, the
progress report, the survey's appreciation beside 2011, their own feed tokens, the survey
invitations, and the events the consumers parked."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from kombu import Connection
from kombu.exceptions import OperationalError
from marshmallow import ValidationError
from werkzeug.exceptions import ServiceUnavailable

from services.indicators import (
    appreciation,
    explanations,
    exports,
    feed_tokens,
    invitations,
    overviews,
    progress,
)
from services.indicators.access import feed_links
from services.indicators.chart import draw
from services.indicators.labels import PHRASEBOOK
from services.indicators.rules import EXPLAINED
from services.indicators.schemas import AppreciationQuery, InvitationChoices, InvitationListForm
from shared.clock import amsterdam_today
from shared.events import dead_letters
from shared.events.topology import Topology
from shared.problems import Invalid, Problem
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, first_message, form_step, load_form
from shared.web.service import now, service_context, transact


def _subject() -> str:
    """Who is logged in (pages for staff only are reached with a session)."""
    principal = session_principal()
    return principal.subject if principal else ""


# -- the figures and why ------------------------------------------------------------------------


@page_for("staff")
def dashboard() -> str:
    context = service_context()
    found = transact(progress.dashboard, context.register, _subject(), amsterdam_today(now))
    return render_template(
        "indicators/dashboard.html",
        overview=found.overview,
        series=found.series,
        chart=draw(found.series),
        regional={name: (series, draw(series)) for name, series in found.regional.items()},
        comparison=found.comparison,
        missing=found.missing,
        recent=found.recent,
        tokens=found.tokens,
        signer=feed_links(context.settings.secret_key),
    )


@page_for("staff")
def municipality(code: str) -> str:
    found = transact(explanations.explain, service_context().register, code)
    return render_template(
        "indicators/municipality.html",
        municipality=found.municipality,
        standing=found.counts_for,
        evidence=found.evidence,
        answer=found.answer,
    )


@page_for("staff")
def missing() -> str:
    found = transact(overviews.missing, service_context().register)
    return render_template("indicators/missing.html", missing=found)


@page_for("staff")
def report() -> str:
    today = amsterdam_today(now)
    found = transact(progress.report, service_context().register, today)
    return render_template(
        "indicators/report.html",
        overviews=found.overviews,
        everyone=found.everyone,
        comparison=found.comparison,
        series=found.series,
        chart=draw(found.series),
        rules=EXPLAINED,
        today=today,
    )


@page_for("staff")
def appreciation_page() -> str:
    """The survey's appreciation and wish to continue per band or region, beside 2011."""
    try:
        group_by = AppreciationQuery().load(request.args)["group_by"]
    except ValidationError as error:
        raise Invalid("Group the answers by band or region.", errors=error.messages) from error
    found = transact(appreciation.appreciation, service_context().register, group_by)
    return render_template("indicators/appreciation.html", found=found)


@page_for("staff")
def appreciation_csv() -> Response:
    body = transact(exports.appreciation_csv, service_context().register)
    disposition = {"Content-Disposition": "attachment; filename=waardering.csv"}
    return Response(body, mimetype="text/csv", headers=disposition)


# -- feed tokens --------------------------------------------------------------------------------


@page_for("staff")
def create_feed_token() -> ResponseReturnValue:
    label = (request.form.get("label") or "").strip()[:100] or "feed"
    transact(feed_tokens.create_feed_token, _subject(), label, now())
    return redirect(url_for(".dashboard") + "#feeds")


@page_for("staff")
def revoke_feed_token(token_id: uuid.UUID) -> ResponseReturnValue:
    transact(feed_tokens.revoke_feed_token, _subject(), str(token_id), now())
    return redirect(url_for(".dashboard") + "#feeds")


# -- survey invitations -------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRefused(Feedback):
    """A refused list of invitations: besides the summary, each wrong line by its number."""

    lines: tuple[str, ...] = ()


def _list_feedback(error: ValidationError | Problem) -> Feedback:
    """The list's wrong lines named in Dutch; nothing was sent."""
    lines = error.normalized_messages().get("lines") if isinstance(error, ValidationError) else None
    if not isinstance(lines, dict):
        return PHRASEBOOK.feedback(error)
    wrong = tuple(f"Regel {n}: {PHRASEBOOK.dutch(first_message(m), 422)}" for n, m in lines.items())
    summary = f"{len(wrong)} regel(s) kloppen niet; er is niets verstuurd."
    return ListRefused(422, {"lines": summary}, lines=wrong)


def _invitations_page(
    feedback: Feedback | None = None, preview: dict[str, Any] | None = None
) -> tuple[str, int]:
    found = transact(invitations.asked, service_context().register)
    feedback = feedback or Feedback()
    return render_template(
        "indicators/invitations.html",
        invited=found.invited,
        due=found.due,
        feedback=feedback,
        problems=feedback.lines if isinstance(feedback, ListRefused) else [],
        preview=preview,
    ), feedback.status


def _posted_list() -> dict[str, Any]:
    """The pasted lines, or an uploaded file's lines instead, through the one schema."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return load_form(InvitationListForm())
    text = upload.read().decode("utf-8-sig", errors="replace")
    return InvitationListForm().load({**load_form(InvitationChoices()), "lines": text})


def _send_list() -> invitations.Queued:
    found = _posted_list()
    return transact(
        invitations.invite_listed,
        found["invitations"],
        found["only_unanswered"],
        _subject(),
        now(),
    )


def _check_list() -> tuple[str, int]:
    """How many would go, or every wrong line named; nothing is sent. A check shows this page
    again rather than moving on to another, so it cannot be a ``form_step``."""
    try:
        found = _posted_list()
    except ValidationError as error:
        return _invitations_page(_list_feedback(error))
    chosen = transact(invitations.selected, found["invitations"], found["only_unanswered"])
    return _invitations_page(preview={**found, "chosen": len(chosen)})


@page_for("staff")
def invitations_page() -> tuple[str, int]:
    return _invitations_page()


@page_for("staff")
def invite() -> ResponseReturnValue:
    """Check the list and show how many would go; send only what the staff member confirmed."""
    if not load_form(InvitationChoices())["send"]:
        return _check_list()
    return form_step(
        _send_list,
        refused=_invitations_page,
        feedback=_list_feedback,
        then=url_for(".invitations_page"),
        told=lambda sent: f"{sent.queued} uitnodiging(en) staan klaar om te worden verstuurd.",
    )


@page_for("staff")
def remind() -> ResponseReturnValue:
    sent = transact(invitations.remind, _subject(), now())
    flash(f"{sent} herinnering(en) staan klaar om te worden verstuurd.")
    return redirect(url_for(".invitations_page"))


@page_for("staff")
def erase_addresses() -> ResponseReturnValue:
    erased = transact(invitations.erase_addresses, now())
    flash(f"{erased} e-mailadres(sen) gewist.")
    return redirect(url_for(".invitations_page"))


# -- parked events ------------------------------------------------------------------------------


@contextmanager
def _dead_letters() -> Iterator[tuple[Connection, Topology]]:
    """The broker as the user who may replay, with every consumer's queues; a broker that
    does not answer makes the page 503."""
    context = service_context()
    if context.topology is None:
        raise RuntimeError("this app was made without the platform's topology (gia.wsgi)")
    with dead_letters.connect(context.settings, connect_timeout=5) as connection:
        try:
            connection.ensure_connection(max_retries=1, timeout=5)
        except OperationalError as error:
            raise ServiceUnavailable() from error
        yield connection, context.topology


@page_for("staff")
def parked_page() -> str:
    with _dead_letters() as (connection, topology):
        found = dead_letters.parked(connection, topology)
    return render_template("indicators/parked.html", parked=found)


@page_for("staff")
def replay_parked() -> ResponseReturnValue:
    """Once its cause is fixed: the event goes to its consumers again and counts once."""
    message_id = request.args["id"]
    with _dead_letters() as (connection, topology):
        replayed = dead_letters.replay(connection, topology, [message_id])
    if replayed.left:
        key = replayed.left[0].routing_key
        flash(f"Bericht {message_id} is niet opnieuw aangeboden: geen wachtrij neemt {key} aan.")
    elif replayed.done:
        flash(f"Bericht {message_id} is opnieuw aangeboden.")
    else:
        flash(f"Bericht {message_id} staat niet (meer) geparkeerd.")
    return redirect(url_for(".parked_page"))


@page_for("staff")
def confirm_drop_parked() -> str:
    message_id = request.args["id"]
    return render_template(
        "gia/confirm.html",
        heading="Geparkeerd bericht verwijderen?",
        explanation=[
            f"Bericht {message_id} wordt definitief verwijderd; het kan daarna niet meer "
            "opnieuw worden aangeboden."
        ],
        action=url_for(".drop_parked", id=message_id),
        token="",
        button="Ja, verwijderen",
        back=url_for(".parked_page"),
    )


@page_for("staff")
def drop_parked() -> ResponseReturnValue:
    message_id = request.args["id"]
    with _dead_letters() as (connection, topology):
        dropped = dead_letters.drop(connection, topology, [message_id])
    if dropped:
        flash(f"Bericht {message_id} is verwijderd.")
    else:
        flash(f"Bericht {message_id} staat niet (meer) geparkeerd.")
    return redirect(url_for(".parked_page"))
