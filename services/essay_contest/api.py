"""The essay contest JSON API under /api/v1: thin views over the use cases.

Five kinds of caller: everyone (the contest, signing up, the results), an
entrant through the token of their personal link, a griffie through the token
of the link it was mailed, the jury and staff with bearer tokens of their
role. Views return what the use cases give; the response schemas say what of
it each caller sees.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from services.essay_contest import (
    access,
    co_authors,
    contests,
    council,
    entrants,
    entries,
    exports,
    judging,
)
from services.essay_contest import results as contest_results
from services.essay_contest.domain import CouncilAnswer
from services.essay_contest.schemas import (
    CoAuthorIn,
    ConfirmIn,
    ContestChange,
    ContestIn,
    ContestOut,
    CouncilAnsweredOut,
    CouncilAnswerIn,
    EntrantChange,
    EntrantOut,
    EntryIn,
    EntryOut,
    GriffieIn,
    GriffieOut,
    InvitationAnswer,
    JuryEntryOut,
    MunicipalityCountOut,
    ResultsIn,
    ResultsOut,
    ScoreIn,
    SignUpIn,
    SignUpOut,
    StaffContestOut,
    StandingOut,
    TokenQuery,
)
from shared.problems import problem_body
from shared.web.auth import bearer_principal, granted, link_token, require_access, require_role
from shared.web.errors import problem_response
from shared.web.mail_limits import REFUSED, mail_limited
from shared.web.service import ApiBlueprint, now, service_context, transact

api = ApiBlueprint(
    "essay_contest_api",
    __name__,
    url_prefix="/api/v1",
    description="The Raad voor Raad essay contest: entries, blind judging, results",
)
STAFF = [{"bearer": []}]
ENTRANT = [{}]  # the token of the entrant's personal link, in the query


# -- contests (staff writes, everyone reads) -----------------------------------------------------


@api.get("/contests")
@api.response(200, ContestOut(many=True))
def list_contests() -> Any:
    """Every contest.

    The essay contests with their rules, criteria and phase. Open to anyone."""
    return transact(contests.all_contests)


@api.post("/contests")
@require_role("staff")
@api.arguments(ContestIn)
@api.response(201, StaffContestOut)
@api.doc(security=STAFF)
def create_contest(data: dict[str, Any]) -> Any:
    """Create a contest.

    Its theme, rules, criteria with weights, dates and jury. Staff only (bearer token)."""
    return transact(contests.create_contest, data)


@api.get("/contests/<uuid:contest_id>")
@api.response(200, ContestOut)
def get_contest(contest_id: Any) -> Any:
    """One contest.

    The contest with its rules, criteria, phase and the time left until the deadline. Open to
    anyone."""
    return transact(contests.get_contest, str(contest_id))


@api.get("/contests/<uuid:contest_id>/settings")
@require_role("staff")
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def contest_settings(contest_id: Any) -> Any:
    """A contest's settings.

    The contest with its jury and the jury's report. Staff only (bearer token)."""
    return transact(contests.get_contest, str(contest_id))


@api.patch("/contests/<uuid:contest_id>")
@require_role("staff")
@api.arguments(ContestChange)
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def change_contest(data: dict[str, Any], contest_id: Any) -> Any:
    """Change a contest.

    Any of its settings. Staff only (bearer token)."""
    return transact(contests.change_contest, str(contest_id), data)


# -- entrants -------------------------------------------------------------------------------------


@api.post("/contests/<uuid:contest_id>/entrants")
@mail_limited("email")
@api.arguments(SignUpIn)
@api.response(202, SignUpOut)
@api.alt_response(409, description="The contest is not open, or the address signed up already")
@api.alt_response(
    429,
    **{
        **REFUSED,
        "description": f"{REFUSED['description']}. Or a confirmation mail went to this address "
        "less than GIA_ESSAY_CONFIRMATION_INTERVAL_MINUTES ago: then the details are saved, "
        "and no new mail is sent",
    },
)
def sign_up(data: dict[str, Any], contest_id: Any) -> Any:
    """Sign up for a contest.

    A council member signs up; the link to confirm the address (valid 48 hours) goes by e-mail.
    Open to anyone, limited per address."""
    settings = service_context().settings
    signed = transact(entrants.sign_up, settings, str(contest_id), data, now())
    if signed.retry_after is None:
        return signed.entrant
    # Answered after the commit: the details given are saved all the same.
    detail = (
        f"A confirmation mail went to {signed.entrant.email} less than "
        f"{settings.essay_confirmation_interval_minutes} minutes ago; your details are "
        "saved. Check your inbox (and spam folder) for it, or sign up again after "
        f"{signed.retry_after} seconds for a new one."
    )
    status = HTTPStatus.TOO_MANY_REQUESTS
    return problem_response(
        problem_body(status, status.phrase, detail, retry_after=signed.retry_after),
        {"Retry-After": str(signed.retry_after)},
    )


@api.post("/confirmations")
@api.arguments(ConfirmIn)
@api.response(200, SignUpOut)
@api.alt_response(410, description="The link has expired")
def confirm(data: dict[str, Any]) -> Any:
    """Confirm an e-mail address.

    With the token from the confirmation mail; the personal link follows by e-mail. Open to
    anyone holding the token."""
    context = service_context()
    return transact(
        entrants.confirm_email, context.recorder, context.settings, data["token"], now()
    )


def _own(entrant_id: Any, **_: Any) -> str:
    """The entrant whose personal link this is; any other caller is refused (403)."""
    access.check_entrant(service_context().settings, str(entrant_id), link_token())
    return str(entrant_id)


@api.get("/entrants/<uuid:entrant_id>")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def get_entrant(_query: dict[str, Any], entrant_id: Any) -> Any:
    """An entrant's own page.

    Their details, their entry (drafts included) and where the griffie's confirmation of their
    council membership stands. Only the entrant, through the token of their personal link."""
    return transact(entrants.own_page, granted(_own), now())


@api.patch("/entrants/<uuid:entrant_id>")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.arguments(EntrantChange)
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def change_entrant(_query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Change one's details.

    Consent to publication of the essay, and the party. Only the entrant, through the token of
    their personal link."""
    return transact(entrants.change_entrant, granted(_own), data, now())


@api.post("/entrants/<uuid:entrant_id>/council-confirmation")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.response(202, EntrantOut)
@api.alt_response(
    409,
    description="Not required by the contest, the address not confirmed, no griffie address "
    "known for the municipality, the griffie's last link still valid, or answered already",
)
@api.doc(security=ENTRANT)
def ask_griffie(_query: dict[str, Any], entrant_id: Any) -> Any:
    """Ask the griffie to confirm.

    Ask the griffie of one's municipality (again) to confirm one sits on its council: when its
    link expired unanswered, or the contest began to require it after one signed up. Only the
    entrant, through the token of their personal link."""
    return transact(entrants.ask_griffie, granted(_own), now())


# -- the griffie ----------------------------------------------------------------------------------


@api.post("/council-confirmations")
@api.arguments(CouncilAnswerIn)
@api.response(200, CouncilAnsweredOut)
@api.alt_response(403, description="The link is not valid")
@api.alt_response(409, description="The griffie has answered already: the answer stands")
@api.alt_response(410, description="The link has expired; the entrant can ask for a new one")
def answer_griffie(data: dict[str, Any]) -> Any:
    """The griffie's answer.

    Once, with the token of its link (valid 14 days): whether the entrant sits on the
    municipality's council. The entrant hears it by mail. Only the griffie holding the token."""
    settings = service_context().settings
    given = CouncilAnswer(data["answer"])
    return transact(council.answer, settings, data["token"], given, now())


@api.get("/griffies")
@require_role("staff")
@api.response(200, GriffieOut(many=True))
@api.doc(security=STAFF)
def list_griffies() -> Any:
    """Griffie addresses.

    The griffie address of each municipality staff know one for. Staff only (bearer token)."""
    return transact(council.address_book, service_context().register, now()).griffies


@api.put("/griffies/<municipality>")
@require_role("staff")
@api.arguments(GriffieIn)
@api.response(200, GriffieOut)
@api.alt_response(
    404, description="No such municipality in the register (``candidates``: the closest)"
)
@api.doc(security=STAFF)
def set_griffie(data: dict[str, Any], municipality: str) -> Any:
    """Set a griffie address.

    Set (or replace) the address of a municipality, named by its CBS code or name; entrants who
    waited for it are asked about at once. Staff only (bearer token)."""
    register = service_context().register
    return transact(council.set_griffie, register, municipality, data["email"], now())


@api.delete("/griffies/<municipality>")
@require_role("staff")
@api.response(204)
@api.alt_response(404, description="No such municipality, or no griffie address known for it")
@api.doc(security=STAFF)
def remove_griffie(municipality: str) -> Any:
    """Remove a griffie address.

    The municipality's griffie is no longer mailed. Staff only (bearer token)."""
    transact(council.remove_griffie, service_context().register, municipality)


@api.post("/entrants/<uuid:entrant_id>/entry")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.arguments(EntryIn)
@api.response(201, EntryOut)
@api.alt_response(409, description="Writing is closed, or the entrant has an entry already")
@api.doc(security=ENTRANT)
def start_entry(_query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Start an entry.

    The entrant's essay as a first draft, while writing is open. Only the entrant, through the
    token of their personal link."""
    return transact(entries.start_entry, granted(_own), data, now())


@api.put("/entrants/<uuid:entrant_id>/entry")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.arguments(EntryIn)
@api.response(200, EntryOut)
@api.alt_response(409, description="Past the deadline (the deadline is in the message)")
@api.alt_response(400, description="A submitted entry revised outside the word limits")
@api.doc(security=ENTRANT)
def save_entry(_query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Save the entry.

    Save the draft; a submitted entry is revised and received again, with a new receipt. Only
    the entrant, through the token of their personal link."""
    own = granted(_own)
    return transact(entries.save_entry, service_context().recorder, own, data, now())


@api.post("/entrants/<uuid:entrant_id>/entry/submit")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.alt_response(409, description="Past the deadline, or a co-author has not confirmed")
@api.alt_response(400, description="Outside the word limits (the count is in the answer)")
@api.doc(security=ENTRANT)
def submit_entry(_query: dict[str, Any], entrant_id: Any) -> Any:
    """Submit the entry.

    Every author gets a receipt with the SHA-256 fingerprint of the text. Only the entrant,
    through the token of their personal link."""
    own = granted(_own)
    return transact(entries.submit_entry, service_context().recorder, own, now())


@api.post("/entrants/<uuid:entrant_id>/entry/withdraw")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.doc(security=ENTRANT)
def withdraw_entry(_query: dict[str, Any], entrant_id: Any) -> Any:
    """Withdraw the entry.

    The entry leaves the contest; it is not judged. Only the entrant, through the token of their
    personal link."""
    own = granted(_own)
    return transact(entries.withdraw_entry, service_context().recorder, own, now())


@api.post("/entrants/<uuid:entrant_id>/entry/co-authors")
@require_access(_own)
@mail_limited("email")
@api.arguments(TokenQuery, location="query")
@api.arguments(CoAuthorIn)
@api.response(201, EntryOut)
@api.alt_response(429, **REFUSED)
@api.doc(security=ENTRANT)
def invite_co_author(_query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Invite a co-author.

    A council member who signed up; they confirm through their own link. Only the entrant,
    through the token of their personal link, limited per address."""
    own = granted(_own)
    return transact(co_authors.invite_co_author, own, data["email"], now())


@api.delete("/entrants/<uuid:entrant_id>/entry/co-authors/<uuid:author_id>")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.doc(security=ENTRANT)
def take_back_invitation(_query: dict[str, Any], entrant_id: Any, author_id: Any) -> Any:
    """Take back an invitation.

    An invitation the co-author has not answered. Only the entrant, through the token of their
    personal link."""
    own = granted(_own)
    return transact(co_authors.take_back_invitation, own, str(author_id), now())


@api.post("/entrants/<uuid:entrant_id>/invitation")
@require_access(_own)
@api.arguments(TokenQuery, location="query")
@api.arguments(InvitationAnswer)
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def answer_invitation(_query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Answer an invitation.

    Confirm (accept) or decline co-authorship of the entry one was invited to. Only the invited
    entrant, through the token of their personal link."""
    own = granted(_own)
    return transact(co_authors.answer_invitation, own, data["accept"], now())


# -- the jury -------------------------------------------------------------------------------------


def _judge() -> judging.Judge:
    """The jury member the bearer token names."""
    return judging.Judge(bearer_principal().subject, service_context().settings.secret_key, now())


@api.get("/contests/<uuid:contest_id>/jury/entries")
@require_role("jury")
@api.response(200, JuryEntryOut(many=True))
@api.doc(security=STAFF)
def jury_entries(contest_id: Any) -> Any:
    """The entries to judge.

    Anonymised, in an order of this jury member's own. Jury only (bearer token)."""
    return transact(judging.jury_entries, str(contest_id), _judge())


@api.get("/contests/<uuid:contest_id>/jury/entries/<handle>")
@require_role("jury")
@api.response(200, JuryEntryOut)
@api.doc(security=STAFF)
def jury_entry(contest_id: Any, handle: str) -> Any:
    """One entry to judge.

    Anonymised, with this jury member's scores so far. Jury only (bearer token)."""
    return transact(judging.jury_entry, str(contest_id), _judge(), handle)


@api.put("/contests/<uuid:contest_id>/jury/entries/<handle>/score")
@require_role("jury")
@api.arguments(ScoreIn)
@api.response(200, JuryEntryOut)
@api.alt_response(403, description="A conflict of interest with this entry")
@api.alt_response(409, description="The scores were submitted already and are final")
@api.doc(security=STAFF)
def score_entry(data: dict[str, Any], contest_id: Any, handle: str) -> Any:
    """Score an entry.

    Every criterion and a comment; with `final` the scores are submitted for good. Jury only
    (bearer token)."""
    return transact(judging.score_entry, str(contest_id), _judge(), handle, data)


@api.post("/contests/<uuid:contest_id>/jury/entries/<handle>/conflict")
@require_role("jury")
@api.response(200, JuryEntryOut)
@api.doc(security=STAFF)
def declare_conflict(contest_id: Any, handle: str) -> Any:
    """Declare a conflict of interest.

    The jury member no longer judges this entry. Jury only (bearer token)."""
    return transact(judging.declare_conflict, str(contest_id), _judge(), handle)


# -- staff: ranking, results, privacy -------------------------------------------------------------


@api.get("/contests/<uuid:contest_id>/ranking")
@require_role("staff")
@api.response(200, StandingOut(many=True))
@api.doc(security=STAFF)
def contest_ranking(contest_id: Any) -> Any:
    """The ranking.

    Submitted entries by the weighted mean of final scores, with the spread between jury
    members, a flag for too few scores and each jury member's scores and comment. Staff only
    (bearer token)."""
    _, ranked = transact(contest_results.ranking, str(contest_id))
    return ranked


@api.get("/contests/<uuid:contest_id>/ranking.csv")
@require_role("staff")
@api.response(200, description="The ranking as CSV, with the mean of every criterion")
@api.doc(security=STAFF)
def contest_ranking_csv(contest_id: Any) -> Any:
    """The ranking, as CSV.

    For a spreadsheet: weighted mean, each criterion's mean, spread and place. Staff only
    (bearer token)."""
    contest, ranked = transact(contest_results.ranking, str(contest_id))
    return exports.ranking_csv(contest, ranked, service_context().register)


@api.get("/contests/<uuid:contest_id>/municipalities")
@require_role("staff")
@api.response(200, MunicipalityCountOut(many=True))
@api.doc(security=STAFF)
def contest_municipalities(contest_id: Any) -> Any:
    """Counts by municipality.

    Entrants signed up, confirmed, and entries submitted; the counts stay after personal data is
    erased. Staff only (bearer token)."""
    register = service_context().register
    _, counts = transact(contest_results.counts_by_municipality, str(contest_id), register)
    return counts


@api.get("/contests/<uuid:contest_id>/municipalities.csv")
@require_role("staff")
@api.response(200, description="The counts by municipality as CSV")
@api.doc(security=STAFF)
def contest_municipalities_csv(contest_id: Any) -> Any:
    """Counts by municipality, as CSV.

    The same, for a spreadsheet. Staff only (bearer token)."""
    register = service_context().register
    contest, counts = transact(contest_results.counts_by_municipality, str(contest_id), register)
    return exports.municipalities_csv(contest, counts)


@api.put("/contests/<uuid:contest_id>/results")
@require_role("staff")
@api.arguments(ResultsIn)
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def set_results(data: dict[str, Any], contest_id: Any) -> Any:
    """Set the results.

    The jury's decision: winners by place and the jury's report (until published). Staff only
    (bearer token)."""
    return transact(contest_results.set_results, str(contest_id), data, now())


@api.post("/contests/<uuid:contest_id>/publish")
@require_role("staff")
@api.response(200, StaffContestOut)
@api.alt_response(409, description="Before the publication date, or no winners chosen")
@api.doc(security=STAFF)
def publish_results(contest_id: Any) -> Any:
    """Publish the results.

    From the publication date: the results go public and the winners are invited. Staff only
    (bearer token)."""
    recorder = service_context().recorder
    return transact(contest_results.publish_results, recorder, str(contest_id), now())


@api.get("/contests/<uuid:contest_id>/results")
@api.response(200, ResultsOut)
def results(contest_id: Any) -> Any:
    """The published results.

    The winners; an essay's text only when every one of its authors consented. Open to anyone."""
    return transact(contest_results.published_results, str(contest_id))


@api.post("/contests/<uuid:contest_id>/erase-personal-data")
@require_role("staff")
@api.response(200, description="How many entrants were erased")
@api.doc(security=STAFF)
def erase_personal_data(contest_id: Any) -> Any:
    """Erase personal data.

    After publication: entrants who neither won nor consented are forgotten. Staff only (bearer
    token)."""
    return {"erased": transact(contest_results.erase_personal_data, str(contest_id), now())}
