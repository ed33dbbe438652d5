"""The only place the essay contest parses input; the *Out schemas say what each reader sees."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.essay_contest.domain import (
    DEFAULT_CRITERIA,
    DEFAULT_MAX_WORDS,
    DEFAULT_MIN_SCORES,
    DEFAULT_MIN_WORDS,
    SCORE_RANGE,
    CouncilAnswer,
    CouncilStatus,
    countdown,
    why_window_wrong,
)
from services.essay_contest.municipality_names import municipality_name
from shared.web.fields import Moment, MunicipalityField
from shared.web.service import now, service_context

# The longest essay anyone may store, drafts included: well above any word limit.
MAX_TEXT_CHARS = 60_000


def _given(items: list[dict[str, Any]], key: str) -> list[Any]:
    """The items' values under ``key``. marshmallow validates a list with wrong items too, on
    what was valid of it, so an item may lack the key: that item has its own error already."""
    return [item[key] for item in items if key in item]


class Reckoned(Schema):
    """An output schema some of whose fields are worked out from the object rather than read
    off it: ``reckon`` says how, by field. They stay declared with their types, which the API
    document shows (``fields.Method`` would leave them untyped)."""

    reckon: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr in self.reckon:
            return self.reckon[attr](obj)
        return super().get_attribute(obj, attr, default)


class CriterionIn(Schema):
    key = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z][a-z_]{1,39}$", error="Use a-z and _.")
    )
    label = fields.String(required=True, validate=validate.Length(min=2, max=60))
    weight = fields.Integer(required=True, validate=validate.Range(min=1, max=10))


class JurorIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    municipality_code = MunicipalityField(load_default=None)


class ContestIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    question = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    rules = fields.String(required=True, validate=validate.Length(min=3, max=10000))
    opens_at = Moment(required=True)
    closes_at = Moment(required=True)
    publishes_at = Moment(required=True)
    min_words = fields.Integer(
        load_default=DEFAULT_MIN_WORDS, validate=validate.Range(min=1, max=10000)
    )
    max_words = fields.Integer(
        load_default=DEFAULT_MAX_WORDS, validate=validate.Range(min=1, max=10000)
    )
    min_scores = fields.Integer(
        load_default=DEFAULT_MIN_SCORES, validate=validate.Range(min=1, max=50)
    )
    requires_council_confirmation = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Entries are submitted only once the griffie of each author's "
            "municipality confirmed they sit on its council (off unless asked for, so "
            "clients that do not send it get the contest they got before)"
        },
    )
    criteria = fields.List(
        fields.Nested(CriterionIn),
        load_default=lambda: [
            {"key": key, "label": label, "weight": weight}
            for key, label, weight in DEFAULT_CRITERIA
        ],
        validate=validate.Length(min=1, max=12),
    )
    jury = fields.List(fields.Nested(JurorIn), load_default=list, validate=validate.Length(max=50))

    @validates("criteria")
    def _distinct_keys(self, value: list[dict[str, Any]], **_: Any) -> None:
        keys = _given(value, "key")
        if len(set(keys)) != len(keys):
            raise ValidationError("Each criterion needs a key of its own.")

    @validates("jury")
    def _distinct_jurors(self, value: list[dict[str, Any]], **_: Any) -> None:
        emails = [email.lower() for email in _given(value, "email")]
        if len(set(emails)) != len(emails):
            raise ValidationError("Each jury member is listed once.")

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        if partial:
            return  # a change is checked on the contest it makes, see contests.change_contest
        wrong = why_window_wrong(data["opens_at"], data["closes_at"], data["publishes_at"])
        if wrong:
            raise ValidationError(wrong[1], wrong[0])


class ContestChange(ContestIn):
    """Any of a contest's fields; a criterion or a juror it names is given whole.

    Partial for its own fields only: ``partial=True`` would reach into the nested
    criteria and jurors too, and let one through without its key or e-mail address.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=tuple(ContestIn._declared_fields), **kwargs)


class Countdown(Schema):
    days = fields.Integer()
    hours = fields.Integer()
    minutes = fields.Integer()


class ContestOut(Reckoned):
    """What everyone may read about a contest; the jury's names are for staff. Its phase and
    the time left are the service clock's, when it is read."""

    id = fields.UUID()
    title = fields.String()
    question = fields.String()
    rules = fields.String()
    opens_at = Moment()
    closes_at = Moment()
    publishes_at = Moment()
    min_words = fields.Integer()
    max_words = fields.Integer()
    requires_council_confirmation = fields.Boolean()
    criteria = fields.List(fields.Nested(CriterionIn), attribute="criteria_spec")
    phase = fields.String()
    countdown = fields.Nested(Countdown, allow_none=True)
    published_at = Moment(allow_none=True)

    reckon = {
        "phase": lambda contest: contest.phase_at(now()),
        "countdown": lambda contest: countdown(contest.closes_at, now()),
    }


class StaffContestOut(ContestOut):
    min_scores = fields.Integer()
    jury = fields.List(fields.Nested(JurorIn))
    jury_report = fields.String(allow_none=True)


class SignUpIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    municipality_code = MunicipalityField(required=True)
    party = fields.String(load_default=None, validate=validate.Length(max=100))
    consent_to_publish = fields.Boolean(load_default=False)


class SignUpOut(Reckoned):
    """An entrant, just signed up or just confirmed, and what they do next."""

    id = fields.UUID()
    contest_id = fields.UUID()
    confirmed = fields.Boolean()
    message = fields.String()

    reckon = {
        "message": lambda entrant: (
            "Your address is confirmed; your personal link is in your e-mail."
            if entrant.confirmed
            else "Check your e-mail and confirm your address with the link in it."
        )
    }


class ConfirmIn(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=500))


class TokenQuery(Schema):
    token = fields.String(load_default=None)


class EntrantChange(Schema):
    party = fields.String(allow_none=True, validate=validate.Length(max=100))
    consent_to_publish = fields.Boolean()


class EntryIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    text = fields.String(required=True, validate=validate.Length(max=MAX_TEXT_CHARS))


class CoAuthorIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class InvitationTakenBack(Schema):
    author_id = fields.UUID(required=True)


class InvitationAnswer(Schema):
    accept = fields.Boolean(required=True)


class AuthorOut(Schema):
    id = fields.UUID(metadata={"description": "To take back an unanswered invitation"})
    name = fields.String(allow_none=True, attribute="entrant.name")
    municipality_code = fields.String(attribute="entrant.municipality_code")
    confirmed = fields.Boolean()


class EntryOut(Schema):
    """An entry as its own authors see it."""

    id = fields.UUID()
    title = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    status = fields.String()
    word_count = fields.Integer()
    fingerprint = fields.String(allow_none=True)
    revision = fields.Integer()
    submitted_at = Moment(allow_none=True)
    updated_at = Moment()
    authors = fields.List(fields.Nested(AuthorOut))


class CouncilOut(Schema):
    """Where the griffie's confirmation of an entrant's council membership stands
    (``council.CouncilCheck``)."""

    status = fields.String(
        validate=validate.OneOf([status.value for status in CouncilStatus]),
        metadata={
            "description": "not_required; email_unconfirmed (asked once the address is); "
            "no_griffie (no address known for the municipality yet: asked once staff add "
            "it); not_asked; pending (the griffie's link is valid until valid_until); "
            "expired (ask again: POST .../council-confirmation); confirmed; denied"
        },
    )
    asked_at = Moment(allow_none=True)
    valid_until = Moment(allow_none=True)
    answered_at = Moment(allow_none=True)


class EntrantOut(Schema):
    """An entrant's own page (``entrants.OwnPage``): their details and their entry."""

    id = fields.UUID(attribute="entrant.id")
    contest_id = fields.UUID(attribute="entrant.contest_id")
    name = fields.String(attribute="entrant.name")
    email = fields.String(attribute="entrant.email")
    municipality_code = fields.String(attribute="entrant.municipality_code")
    party = fields.String(allow_none=True, attribute="entrant.party")
    consent_to_publish = fields.Boolean(attribute="entrant.consent_to_publish")
    confirmed = fields.Boolean(attribute="entrant.confirmed")
    entry = fields.Nested(EntryOut, allow_none=True)
    invited = fields.Boolean(
        attribute="entrant.invited",
        metadata={"description": "Invited as co-author, not yet confirmed"},
    )
    council = fields.Nested(CouncilOut)


class CouncilAnswerIn(Schema):
    """The griffie's answer, with the token of the link it was mailed."""

    token = fields.String(required=True, validate=validate.Length(min=10, max=500))
    answer = fields.String(
        required=True,
        validate=validate.OneOf([answer.value for answer in CouncilAnswer]),
        metadata={"description": "confirmed: sits on the council; denied: does not"},
    )


class CouncilAnsweredOut(Schema):
    """What the griffie's answer settled: no name, the griffie knows whom it answered for."""

    contest_id = fields.UUID()
    municipality_code = fields.String()
    answer = fields.String(attribute="council_answer")
    answered_at = Moment(attribute="council_answered_at")


class GriffieIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class GriffieForm(GriffieIn):
    """The staff page's form names the municipality; the API names it in the path."""

    municipality_code = MunicipalityField(required=True)


class GriffieOut(Schema):
    municipality_code = fields.String()
    municipality = fields.String(metadata={"description": "Its name in the register"})
    email = fields.String()
    example = fields.Boolean(metadata={"description": "An example address (.example)"})
    updated_at = Moment()


class ScoreIn(Schema):
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(validate=validate.Range(min=SCORE_RANGE[0], max=SCORE_RANGE[1])),
        required=True,
    )
    comment = fields.String(load_default="", validate=validate.Length(max=5000))
    final = fields.Boolean(load_default=False)


class JuryEntryOut(Schema):
    """All a juror sees of an entry: its handle for them, its words and their own scores."""

    handle = fields.String()
    title = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    word_count = fields.Integer()
    conflict_declared = fields.Boolean()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    comment = fields.String(allow_none=True)
    final = fields.Boolean()


class JurySheetOut(Schema):
    """One juror's final verdict on an entry: for staff, never for the other jurors."""

    juror = fields.String(metadata={"description": "Their name; their address once off the jury"})
    juror_email = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    comment = fields.String()
    counted = fields.Boolean(
        metadata={"description": "False: a conflict of interest, or no longer on the jury"}
    )


class StandingOut(Schema):
    """An entry in the ranking (``results.Ranked``): its standing, the entry, the sheets."""

    rank = fields.Integer(attribute="standing.rank")
    entry_id = fields.UUID(attribute="entry.id")
    title = fields.String(allow_none=True, attribute="entry.title")
    municipality_codes = fields.List(fields.String(), attribute="entry.municipality_codes")
    mean = fields.Float(allow_none=True, attribute="standing.mean")
    jurors = fields.Integer(attribute="standing.jurors")
    spread = fields.Float(allow_none=True, attribute="standing.spread")
    stdev = fields.Float(allow_none=True, attribute="standing.stdev")
    criterion_means = fields.Dict(
        keys=fields.String(), values=fields.Float(), attribute="standing.criterion_means"
    )
    too_few_scores = fields.Boolean(attribute="standing.too_few_scores")
    place = fields.Integer(allow_none=True, attribute="entry.place")
    sheets = fields.List(
        fields.Nested(JurySheetOut),
        metadata={"description": "Each juror's final scores per criterion and comment"},
    )


class MunicipalityCountOut(Schema):
    municipality_code = fields.String()
    municipality = fields.String(metadata={"description": "Its name in the register"})
    signed_up = fields.Integer()
    confirmed = fields.Integer()
    submitted = fields.Integer(
        metadata={
            "description": "Entries; one by authors from several municipalities counts in each"
        }
    )


class WinnerIn(Schema):
    entry_id = fields.UUID(required=True)
    place = fields.Integer(required=True, validate=validate.Range(min=1, max=20))


class ResultsIn(Schema):
    winners = fields.List(
        fields.Nested(WinnerIn), required=True, validate=validate.Length(min=1, max=20)
    )
    jury_report = fields.String(required=True, validate=validate.Length(min=3, max=20000))

    @validates("winners")
    def _one_place_each(self, value: list[dict[str, Any]], **_: Any) -> None:
        chosen = _given(value, "entry_id")
        if len(set(chosen)) != len(chosen):
            raise ValidationError("Each entry wins one place at most.")


class WinnerAuthorOut(Reckoned):
    name = fields.String(attribute="entrant.name")
    municipality = fields.String()

    reckon = {
        "municipality": lambda author: municipality_name(
            service_context().register, author.entrant.municipality_code
        )
    }


class WinnerOut(Reckoned):
    place = fields.Integer()
    title = fields.String()
    authors = fields.List(fields.Nested(WinnerAuthorOut))
    text = fields.String(
        allow_none=True, metadata={"description": "Only when every author consented"}
    )

    reckon = {"text": lambda entry: entry.text if entry.publishable else None}


class ResultsOut(Schema):
    """The published results (``results.PublishedResults``)."""

    contest_id = fields.UUID(attribute="contest.id")
    title = fields.String(attribute="contest.title")
    published_at = Moment(attribute="contest.published_at")
    jury_report = fields.String(attribute="contest.jury_report")
    winners = fields.List(fields.Nested(WinnerOut))
