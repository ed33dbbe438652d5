"""The essay contest's Dutch web pages: for everyone, entrants, the jury and staff.

Views stay thin: forms go through the API's marshmallow schemas (``load_form``),
changes through the use cases (contests, entrants, entries, co_authors, judging,
results), which also queue the mails. The contest's clock (``contest_now``) decides the
deadline here as in the API.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy.orm import Session
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from services.essay_contest import access, co_authors, contests, entrants, entries, exports, judging
from services.essay_contest import results as contest_results
from services.essay_contest.api import (
    as_juror,
    contest_now,
    municipality_counts,
    municipality_name,
)
from services.essay_contest.domain import (
    DEFAULT_CRITERIA,
    DEFAULT_MAX_WORDS,
    DEFAULT_MIN_SCORES,
    DEFAULT_MIN_WORDS,
    EntryStatus,
    countdown,
    phase,
    why_writing_closed,
)
from services.essay_contest.forms import FIELD_LABELS, PHRASEBOOK, STATUS_LABELS
from services.essay_contest.models import Contest, Entry
from services.essay_contest.schemas import (
    CoAuthorIn,
    ConfirmIn,
    ContestIn,
    EntrantChange,
    EntryIn,
    InvitationAnswer,
    InvitationTakenBack,
    ResultsIn,
    ScoreIn,
    SignUpIn,
)
from shared.problems import Conflict, Invalid, NotFound
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, dutch_error_pages, form_values, load_form, posted
from shared.web.service import service_context

pages = Blueprint(
    "essay_contest_pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/essay",
)
dutch_error_pages(pages, PHRASEBOOK)
REFUSED = (ValidationError, Conflict, Invalid)  # a form shown again with what to fix
ROWS = 8  # empty rows a staff form offers for criteria, jury members and winners
Page = tuple[str, int]


def _step(
    use_case: Callable[[Session], Any],
    done: Callable[[Any], str],
    then: str,
    again: Callable[[Feedback], Page],
) -> Any:
    """What a form does: the use case in one transaction, then the next page saying what
    happened; a refused form is shown again with what to fix, and nothing is written."""
    try:
        with service_context().db.transaction() as session:
            result = use_case(session)
    except REFUSED as error:
        return again(PHRASEBOOK.feedback(error))
    flash(done(result))
    return redirect(then)


def time_left(contest: Contest) -> str | None:
    """The countdown as people say it: "nog 3 dagen en 4 uur"; None after the deadline."""
    left = countdown(contest.closes_at, contest_now())
    if left is None:
        return None
    if left["days"]:
        days = "1 dag" if left["days"] == 1 else f"{left['days']} dagen"
        return f"nog {days} en {left['hours']} uur"
    return f"nog {left['hours']} uur en {left['minutes']} minuten"


@pages.context_processor
def _page_context() -> dict[str, Any]:
    """The essay pages' own labels and helpers, beside the shared page context."""
    register = service_context().register
    return {
        "FIELDS": FIELD_LABELS,
        "STATUSES": STATUS_LABELS,
        "municipality": lambda code: municipality_name(register, code),
        "time_left": time_left,
    }


# -- for everyone ---------------------------------------------------------------------------


def _contest_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        contest = contests.get_contest(session, contest_id)
    now = contest_now()
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/contest.html",
        contest=contest,
        phase=phase(contest.opens_at, contest.closes_at, contest.published_at is not None, now),
        feedback=feedback,
    ), feedback.status


@pages.get("/")
def current() -> tuple[str, int]:
    with service_context().db.transaction() as session:
        contest = contests.current_contest(session)
    if contest is None:
        return render_template("essay_contest/none.html"), 200  # not an error: none is open yet
    return _contest_page(contest.id)


@pages.get("/wedstrijden/<uuid:contest_id>")
def show_contest(contest_id: UUID) -> tuple[str, int]:
    return _contest_page(str(contest_id))


@pages.post("/wedstrijden/<uuid:contest_id>")
def sign_up(contest_id: UUID) -> Any:
    """Signing up sends the link to confirm the address; writing starts after that."""
    settings = service_context().settings
    return _step(
        lambda session: entrants.sign_up(
            session, settings, str(contest_id), load_form(SignUpIn()), contest_now()
        ),
        _signed_up,
        url_for(".show_contest", contest_id=contest_id),
        lambda feedback: _contest_page(str(contest_id), feedback),
    )


def _signed_up(signed: entrants.SignedUp) -> str:
    """What a sign-up says; soon after the last mail it points there instead of sending one."""
    email = signed.entrant.email
    if signed.retry_after is None:
        return (
            f"Bijna klaar: wij stuurden een e-mail naar {email}. Bevestig uw e-mailadres met "
            "de link daarin (48 uur geldig); daarna kunt u schrijven."
        )
    minutes = math.ceil(signed.retry_after / 60)
    return (
        f"Uw gegevens zijn opgeslagen. Wij stuurden kort geleden al een e-mail naar {email}: "
        "kijk in uw inbox (en bij de ongewenste e-mail) en bevestig uw e-mailadres met de link "
        f"daarin. Een nieuwe e-mail kunt u over {minutes} {'minuut' if minutes == 1 else 'minuten'}"
        " aanvragen door u opnieuw aan te melden."
    )


@pages.get("/bevestigen")
def confirm_form() -> str:
    """A button, not the link itself, confirms: mail scanners that open links confirm nothing."""
    return render_template("essay_contest/confirm.html", token=request.args.get("token", ""))


@pages.post("/bevestigen")
def confirm() -> Response:
    context = service_context()
    data = load_form(ConfirmIn())
    with context.db.transaction() as session:
        entrant = entrants.confirm_email(
            session, context.recorder, context.settings, data["token"], contest_now()
        )
    flash("Uw e-mailadres is bevestigd. Bewaar de link van deze pagina; hij staat ook in uw mail.")
    return redirect(_own_url(entrant.id))


@pages.get("/wedstrijden/<uuid:contest_id>/uitslag")
def results(contest_id: UUID) -> str:
    """From the publication date: the winners, and an essay only when all its authors agreed."""
    with service_context().db.transaction() as session:
        contest, won = contest_results.published_results(session, str(contest_id))
        shown = {entry.id: contest_results.publishable(entry) for entry in won}
    return render_template("essay_contest/results.html", contest=contest, won=won, shown=shown)


# -- entrants, through their personal link ----------------------------------------------------


def _own_url(entrant_id: str) -> str:
    token = access.entrant_token(service_context().settings, entrant_id)
    return url_for(".own_page", entrant_id=entrant_id, token=token)


def _own(entrant_id: UUID) -> str:
    """Entrants have no account: the signed token of their link (query or form) lets them in."""
    access.check_entrant(service_context().settings, str(entrant_id), request.values.get("token"))
    return str(entrant_id)


def _own_page(entrant_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        entrant = entrants.get_entrant(session, entrant_id)
        contest = contests.get_contest(session, entrant.contest_id)
        entry = entries.entry_of(session, entrant_id)
        received = entries.receipts(session, entry.id) if entry else []
    closed = why_writing_closed(contest.opens_at, contest.closes_at, contest_now())
    saved = MultiDict(form_values(EntrantChange(), entrant))
    if entry:
        saved.update(form_values(EntryIn(), entry))
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/own.html",
        entrant=entrant,
        contest=contest,
        entry=entry,
        receipts=received,
        closed=PHRASEBOOK.dutch(closed, 409) if closed else None,
        token=request.values.get("token"),
        feedback=feedback,
        values=CombinedMultiDict([posted(), saved]),
    ), feedback.status


@pages.get("/deelnemer/<uuid:entrant_id>")
def own_page(entrant_id: UUID) -> tuple[str, int]:
    return _own_page(_own(entrant_id))


@pages.post("/deelnemer/<uuid:entrant_id>/essay")
def save_entry(entrant_id: UUID) -> Any:
    """Save the draft (the first save starts the entry); with "indienen" also submit it, all
    in one transaction, so a refused submission leaves the entry as it was."""
    recorder = service_context().recorder
    now = contest_now()

    def write(session: Session, own: str) -> Entry:
        data = load_form(EntryIn())
        if entries.entry_of(session, own) is None:
            entry = entries.start_entry(session, own, data, now)
        else:
            entry = entries.save_entry(session, recorder, own, data, now)
        if "indienen" in request.form:
            entry = entries.submit_entry(session, recorder, own, now)
        return entry

    return _entrant_step(
        entrant_id,
        write,
        lambda entry: (
            f"Uw essay ({entry.word_count} woorden) is ingediend; de ontvangstbevestiging "
            "staat hieronder."
            if entry.status == EntryStatus.SUBMITTED
            else f"Uw concept ({entry.word_count} woorden) is opgeslagen."
        ),
    )


def _entrant_step(
    entrant_id: UUID, use_case: Callable[[Session, str], Any], done: Callable[[Any], str]
) -> Any:
    """A form on the own page, for the entrant whose link it is."""
    own = _own(entrant_id)
    return _step(
        lambda session: use_case(session, own),
        done,
        _own_url(own),
        lambda feedback: _own_page(own, feedback),
    )


@pages.post("/deelnemer/<uuid:entrant_id>/intrekken")
def withdraw_entry(entrant_id: UUID) -> Any:
    recorder = service_context().recorder
    return _entrant_step(
        entrant_id,
        lambda session, own: entries.withdraw_entry(session, recorder, own, contest_now()),
        lambda _: (
            "Uw essay is ingetrokken en wordt niet beoordeeld. Tot de deadline kunt u het "
            "opnieuw indienen."
        ),
    )


@pages.post("/deelnemer/<uuid:entrant_id>/mede-auteurs")
def invite_co_author(entrant_id: UUID) -> Any:
    return _entrant_step(
        entrant_id,
        lambda session, own: co_authors.invite_co_author(
            session, own, load_form(CoAuthorIn())["email"], contest_now()
        ),
        lambda _: "De uitnodiging is verstuurd; de mede-auteur bevestigt via de mail.",
    )


@pages.post("/deelnemer/<uuid:entrant_id>/mede-auteurs/intrekken")
def take_back_invitation(entrant_id: UUID) -> Any:
    return _entrant_step(
        entrant_id,
        lambda session, own: co_authors.take_back_invitation(
            session, own, str(load_form(InvitationTakenBack())["author_id"]), contest_now()
        ),
        lambda _: "De uitnodiging is ingetrokken.",
    )


@pages.post("/deelnemer/<uuid:entrant_id>/uitnodiging")
def answer_invitation(entrant_id: UUID) -> Any:
    accept = load_form(InvitationAnswer())["accept"]
    return _entrant_step(
        entrant_id,
        lambda session, own: co_authors.answer_invitation(session, own, accept, contest_now()),
        lambda _: (
            "U bent mede-auteur van dit essay." if accept else "U heeft de uitnodiging geweigerd."
        ),
    )


@pages.post("/deelnemer/<uuid:entrant_id>/gegevens")
def change_entrant(entrant_id: UUID) -> Any:
    return _entrant_step(
        entrant_id,
        lambda session, own: entrants.change_entrant(session, own, load_form(EntrantChange())),
        lambda _: "Uw gegevens zijn opgeslagen.",
    )


# -- the jury -----------------------------------------------------------------------------------


def _juror() -> str:
    principal = session_principal()
    assert principal is not None  # page_for let only a jury member in
    return principal.subject


@pages.get("/jury")
@page_for("jury")
def jury_home() -> Response:
    with service_context().db.transaction() as session:
        contest = contests.current_contest(session)
    if contest is None:
        raise NotFound("There is no contest yet.")
    return redirect(url_for(".jury_entries", contest_id=contest.id))


@pages.get("/jury/<uuid:contest_id>")
@page_for("jury")
def jury_entries(contest_id: UUID) -> str:
    """Only handles, titles and texts: nothing that says who wrote an entry or where."""
    to_judge = as_juror(_juror(), judging.jury_entries, contest_id)
    return render_template(
        "essay_contest/jury/entries.html", contest_id=contest_id, entries=to_judge
    )


def _jury_page(contest_id: UUID, handle: str, feedback: Feedback | None = None) -> tuple[str, int]:
    entry = as_juror(_juror(), judging.jury_entry, contest_id, handle)
    with service_context().db.transaction() as session:
        criteria = contests.get_contest(session, str(contest_id)).criteria
    saved = MultiDict({f"scores.{key}": score for key, score in (entry["scores"] or {}).items()})
    saved["comment"] = entry["comment"] or ""
    labels = {f"scores.{c.key}": f"{c.label} (gewicht {c.weight})" for c in criteria}
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/jury/entry.html",
        contest_id=contest_id,
        entry=entry,
        criteria=criteria,
        FIELDS={**FIELD_LABELS, **labels},
        feedback=feedback,
        values=CombinedMultiDict([posted(), saved]),
    ), feedback.status


@pages.get("/jury/<uuid:contest_id>/essays/<handle>")
@page_for("jury")
def jury_entry(contest_id: UUID, handle: str) -> tuple[str, int]:
    return _jury_page(contest_id, handle)


@pages.post("/jury/<uuid:contest_id>/essays/<handle>")
@page_for("jury")
def score_entry(contest_id: UUID, handle: str) -> Any:
    try:
        data = load_form(ScoreIn())
        sheet = as_juror(_juror(), judging.score_entry, contest_id, handle, data)
    except REFUSED as error:
        return _jury_page(contest_id, handle, PHRASEBOOK.feedback(error))
    flash(
        "Uw cijfers zijn ingediend en staan vast."
        if sheet["final"]
        else "Uw cijfers zijn opgeslagen; u kunt ze nog wijzigen."
    )
    return redirect(url_for(".jury_entries", contest_id=contest_id))


@pages.post("/jury/<uuid:contest_id>/essays/<handle>/belangenconflict")
@page_for("jury")
def declare_conflict(contest_id: UUID, handle: str) -> Any:
    try:
        as_juror(_juror(), judging.declare_conflict, contest_id, handle)
    except REFUSED as error:
        return _jury_page(contest_id, handle, PHRASEBOOK.feedback(error))
    flash("U heeft een belangenconflict gemeld; dit essay beoordeelt u niet.")
    return redirect(url_for(".jury_entries", contest_id=contest_id))


# -- staff: contests ----------------------------------------------------------------------------


def _new_contest() -> MultiDict[str, Any]:
    """What the form for a new contest starts with: the usual limits and criteria."""
    values: MultiDict[str, Any] = MultiDict(
        {
            "min_words": DEFAULT_MIN_WORDS,
            "max_words": DEFAULT_MAX_WORDS,
            "min_scores": DEFAULT_MIN_SCORES,
        }
    )
    for number, criterion in enumerate(DEFAULT_CRITERIA):
        for column, value in zip(("key", "label", "weight"), criterion, strict=True):
            values.add(f"criteria.{number}.{column}", value)
    return values


def _overview(feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        listed = contests.all_contests(session)
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/overview.html",
        contests=listed,
        rows=ROWS,
        feedback=feedback,
        values=posted() if request.method == "POST" else _new_contest(),
    ), feedback.status


@pages.get("/beheer")
@page_for("staff")
def overview() -> tuple[str, int]:
    return _overview()


@pages.post("/beheer/wedstrijden")
@page_for("staff")
def create_contest() -> Any:
    return _step(
        lambda session: contests.create_contest(session, load_form(ContestIn())),
        lambda contest: f"De wedstrijd {contest.title} is aangemaakt.",
        url_for(".overview"),
        _overview,
    )


def _edit_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        contest = contests.get_contest(session, contest_id)
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/edit.html",
        contest=contest,
        rows=ROWS,
        feedback=feedback,
        values=posted() if request.method == "POST" else form_values(ContestIn(), contest),
    ), feedback.status


@pages.get("/beheer/wedstrijden/<uuid:contest_id>")
@page_for("staff")
def edit_contest(contest_id: UUID) -> tuple[str, int]:
    return _edit_page(str(contest_id))


@pages.post("/beheer/wedstrijden/<uuid:contest_id>")
@page_for("staff")
def change_contest(contest_id: UUID) -> Any:
    """The whole form is loaded, so the schema checks the dates as on creation."""
    return _step(
        lambda session: contests.change_contest(session, str(contest_id), load_form(ContestIn())),
        lambda _: "De wedstrijd is gewijzigd.",
        url_for(".overview"),
        lambda feedback: _edit_page(str(contest_id), feedback),
    )


# -- staff: ranking, results and privacy -----------------------------------------------------


def _ranking_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        contest, ranked = contest_results.ranking(session, contest_id)
        sheets = contest_results.jury_sheets(session, contest_id)
    saved: MultiDict[str, Any] = MultiDict({"jury_report": contest.jury_report or ""})
    chosen = sorted((entry for _, entry in ranked if entry.place), key=lambda e: e.place or 0)
    for number, entry in enumerate(chosen):
        saved[f"winners.{number}.place"] = entry.place
        saved[f"winners.{number}.entry_id"] = entry.id
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/ranking.html",
        contest=contest,
        ranked=ranked,
        sheets=sheets,
        titles={entry.id: entry.title for _, entry in ranked},
        rows=3,
        feedback=feedback,
        values=posted() if request.method == "POST" else saved,
    ), feedback.status


def _staff_step(
    contest_id: UUID, use_case: Callable[[Session], Any], done: Callable[[Any], str]
) -> Any:
    """A form on the ranking page: back to it, with what happened or what to fix."""
    return _step(
        use_case,
        done,
        url_for(".ranking", contest_id=contest_id),
        lambda feedback: _ranking_page(str(contest_id), feedback),
    )


@pages.get("/beheer/wedstrijden/<uuid:contest_id>/ranglijst")
@page_for("staff")
def ranking(contest_id: UUID) -> tuple[str, int]:
    return _ranking_page(str(contest_id))


@pages.get("/beheer/wedstrijden/<uuid:contest_id>/ranglijst.csv")
@page_for("staff")
def ranking_csv(contest_id: UUID) -> Response:
    context = service_context()
    with context.db.transaction() as session:
        return exports.ranking_csv(
            *contest_results.ranking(session, str(contest_id)), context.register
        )


@pages.get("/beheer/wedstrijden/<uuid:contest_id>/gemeenten")
@page_for("staff")
def municipalities(contest_id: UUID) -> str:
    """Who took part from where; it stays after personal data is erased."""
    with service_context().db.transaction() as session:
        contest, counts = municipality_counts(session, str(contest_id))
    return render_template(
        "essay_contest/staff/municipalities.html", contest=contest, counts=counts
    )


@pages.get("/beheer/wedstrijden/<uuid:contest_id>/gemeenten.csv")
@page_for("staff")
def municipalities_csv(contest_id: UUID) -> Response:
    with service_context().db.transaction() as session:
        return exports.municipalities_csv(*municipality_counts(session, str(contest_id)))


@pages.post("/beheer/wedstrijden/<uuid:contest_id>/uitslag")
@page_for("staff")
def set_results(contest_id: UUID) -> Any:
    return _staff_step(
        contest_id,
        lambda session: contest_results.set_results(
            session, str(contest_id), load_form(ResultsIn()), contest_now()
        ),
        lambda _: "De winnaars en het juryrapport zijn vastgelegd.",
    )


@pages.post("/beheer/wedstrijden/<uuid:contest_id>/publiceren")
@page_for("staff")
def publish_results(contest_id: UUID) -> Any:
    """The winners go public and are invited; the event tells the indicators."""
    recorder = service_context().recorder
    return _staff_step(
        contest_id,
        lambda session: contest_results.publish_results(
            session, recorder, str(contest_id), contest_now()
        ),
        lambda _: "De uitslag is gepubliceerd en de winnaars krijgen bericht.",
    )


@pages.post("/beheer/wedstrijden/<uuid:contest_id>/wissen")
@page_for("staff")
def erase_personal_data(contest_id: UUID) -> Any:
    """After the results: who neither won nor consented is forgotten; counts remain."""
    return _staff_step(
        contest_id,
        lambda session: contest_results.erase_personal_data(
            session, str(contest_id), contest_now()
        ),
        lambda erased: f"De persoonsgegevens van {erased} deelnemer(s) zijn gewist.",
    )
