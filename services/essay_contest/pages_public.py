"""The essay contest's pages for everyone: the contest and signing up for it, confirming the
address, the griffie's answer whether an entrant sits on the council, and the results once
they are published."""

from __future__ import annotations

import math
from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.essay_contest import contests, council, entrants
from services.essay_contest import results as contest_results
from services.essay_contest.domain import CouncilAnswer
from services.essay_contest.labels import PHRASEBOOK
from services.essay_contest.models import Entrant
from services.essay_contest.pages_entrant import own_url
from services.essay_contest.schemas import ConfirmIn, CouncilAnswerIn, SignUpIn
from shared.web.forms import Feedback, form_step, load_form
from shared.web.mail_limits import mail_limited
from shared.web.service import now, service_context, transact


def _contest_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    contest = transact(contests.get_contest, contest_id)
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/contest.html",
        contest=contest,
        phase=contest.phase_at(now()),
        feedback=feedback,
    ), feedback.status


def current() -> tuple[str, int]:
    contest = transact(contests.current_contest)
    if contest is None:
        return render_template("essay_contest/none.html"), 200  # not an error: none is open yet
    return _contest_page(contest.id)


def show_contest(contest_id: UUID) -> tuple[str, int]:
    return _contest_page(str(contest_id))


def sign_up(contest_id: UUID) -> ResponseReturnValue:
    """Signing up sends the link to confirm the address; writing starts after that."""
    settings = service_context().settings
    return form_step(
        mail_limited("email")(
            lambda: transact(
                entrants.sign_up, settings, str(contest_id), load_form(SignUpIn()), now()
            )
        ),
        refused=lambda feedback: _contest_page(str(contest_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".show_contest", contest_id=contest_id),
        told=_signed_up,
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


def confirm_form() -> str:
    """A button, not the link itself, confirms: mail scanners that open links confirm nothing."""
    return render_template("essay_contest/confirm.html", token=request.args.get("token", ""))


def confirm() -> ResponseReturnValue:
    context = service_context()
    token = load_form(ConfirmIn())["token"]
    entrant = transact(entrants.confirm_email, context.recorder, context.settings, token, now())
    flash("Uw e-mailadres is bevestigd. Bewaar de link van deze pagina; hij staat ook in uw mail.")
    return redirect(own_url(entrant.id))


def _council_page(token: str, feedback: Feedback | None = None) -> tuple[str, int]:
    """Whom the griffie is asked about. A link that is forged, expired (410) or answered
    already (409) gets the Dutch error page with that status instead."""
    asked = transact(council.question, service_context().settings, token, now())
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/griffie.html", asked=asked, token=token, feedback=feedback
    ), feedback.status


def council_question() -> tuple[str, int]:
    """Opening the link changes nothing (mail scanners open links too); a button answers."""
    return _council_page(request.args.get("token", ""))


def council_answer() -> ResponseReturnValue:
    settings = service_context().settings

    def answer() -> Entrant:
        form = load_form(CouncilAnswerIn())
        given = CouncilAnswer(form["answer"])
        return transact(council.answer, settings, form["token"], given, now())

    return form_step(
        answer,
        refused=lambda feedback: _council_page(request.form.get("token", ""), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".council_answered"),
        told=_griffie_answered,
    )


def _griffie_answered(entrant: Entrant) -> str:
    if entrant.council_answer == CouncilAnswer.CONFIRMED:
        return (
            "Dank u wel. U heeft bevestigd dat dit raadslid in uw gemeenteraad zit. Het "
            "raadslid kan nu een essay indienen en krijgt daarover van ons een e-mail."
        )
    return (
        "Dank u wel. U heeft laten weten dat deze persoon niet in uw gemeenteraad zit, en dus "
        "geen essay kan indienen. Wij laten de persoon dit per e-mail weten."
    )


def council_answered() -> str:
    return render_template("essay_contest/griffie_answered.html")


def results(contest_id: UUID) -> str:
    """From the publication date: the winners, and an essay only when all its authors agreed."""
    published = transact(contest_results.published_results, str(contest_id))
    return render_template(
        "essay_contest/results.html", contest=published.contest, won=published.winners
    )
