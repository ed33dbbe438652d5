"""The contest's rules, free of Flask and SQL: the deadline, word counts, authors, blind judging.

Every rule that depends on the time takes ``now``, so the use cases pass the
clock in and tests move it instead of sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from shared.clock import amsterdam

DEFAULT_MIN_WORDS = 800
DEFAULT_MAX_WORDS = 2000
# An entry is written by one council member or by up to three together.
MAX_AUTHORS = 3
SCORE_RANGE = (1, 10)
# Below this many final score sheets staff see an entry flagged.
DEFAULT_MIN_SCORES = 3
DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("vision", "Visie", 3),
    ("local_relevance", "Lokale relevantie", 2),
    ("feasibility", "Uitvoerbaarheid", 2),
    ("originality", "Originaliteit", 2),
    ("style", "Stijl", 1),
)


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Notice(StrEnum):
    """The mails the contest queues; each names the row it is about."""

    CONFIRM_EMAIL = "confirm_email"  # an entrant: the signed, time-limited confirmation link
    WELCOME = "welcome"  # an entrant: confirmed, with the personal link to write
    CO_AUTHOR_INVITED = "co_author_invited"  # an author row: asked to confirm co-authorship
    RECEIPT = "receipt"  # a submission: what was received, with its fingerprint
    WITHDRAWN = "withdrawn"  # an entry: withdrawn, to every author
    WINNER = "winner"  # an entry: it won, with the invitation to present it


# -- the contest window ------------------------------------------------------------------------


class Phase(StrEnum):
    UPCOMING = "upcoming"  # before it opens
    OPEN = "open"  # entrants sign up and write
    JUDGING = "judging"  # entries frozen, the jury scores
    PUBLISHED = "published"  # the results are public


def phase(opens_at: datetime, closes_at: datetime, published: bool, now: datetime) -> Phase:
    if published:
        return Phase.PUBLISHED
    if now < opens_at:
        return Phase.UPCOMING
    return Phase.OPEN if now < closes_at else Phase.JUDGING


def why_writing_closed(opens_at: datetime, closes_at: datetime, now: datetime) -> str | None:
    """Why entries cannot change now, or None while they can. At the deadline they freeze."""
    if now < opens_at:
        return f"The contest opens at {amsterdam(opens_at)} (Amsterdam time)."
    if now >= closes_at:
        return (
            f"The deadline was {amsterdam(closes_at)} (Amsterdam time); "
            "entries are frozen and can no longer change."
        )
    return None


def why_judging_closed(closes_at: datetime, published: bool, now: datetime) -> str | None:
    """The jury scores frozen entries only: after the deadline, until the results are out."""
    if now < closes_at:
        return f"Judging starts after the deadline of {amsterdam(closes_at)} (Amsterdam time)."
    if published:
        return "The results have been published; scores can no longer change."
    return None


def why_window_wrong(
    opens_at: datetime, closes_at: datetime, publishes_at: datetime
) -> tuple[str, str] | None:
    """(field, reason) when a contest's dates are out of order."""
    if closes_at <= opens_at:
        return "closes_at", "The contest must close after it opens."
    if publishes_at <= closes_at:
        return "publishes_at", "The results must be published after the contest closes."
    return None


def countdown(closes_at: datetime, now: datetime) -> dict[str, int] | None:
    """Days, hours and minutes left until the deadline; None once it passed."""
    left = int((closes_at - now).total_seconds())
    if left <= 0:
        return None
    days, rest = divmod(left, 86400)
    return {"days": days, "hours": rest // 3600, "minutes": rest % 3600 // 60}


def confirmation_wait(
    last_mailed: datetime | None, now: datetime, interval: timedelta
) -> int | None:
    """Whole seconds until another confirmation mail may go to an address, or None when one may
    go now: signing up again and again never floods someone's mailbox."""
    if last_mailed is None:
        return None
    left = (last_mailed + interval - now).total_seconds()
    return math.ceil(left) if left > 0 else None


# -- the text -----------------------------------------------------------------------------------

WORD = re.compile(r"\w[\w'\u2019\-]*")


def count_words(text: str) -> int:
    """Runs of letters and digits, with the apostrophes and hyphens inside words
    ("raad's", "lange-termijn"); punctuation on its own is not a word."""
    return len(WORD.findall(text))


def normalise_text(text: str) -> str:
    """Composed letters (NFC), one line ending, no trailing space: the same essay always has
    the same fingerprint, and an "ë" pasted as "e" plus a diaeresis is one letter, not a
    word break."""
    text = unicodedata.normalize("NFC", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def fingerprint(text: str) -> str:
    """SHA-256 of the submitted text (UTF-8), in hex: what the receipt shows."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def why_word_count_wrong(words: int, minimum: int, maximum: int) -> str | None:
    if words < minimum:
        return f"The essay has {words} words; it needs at least {minimum} (at most {maximum})."
    if words > maximum:
        return f"The essay has {words} words; it may have at most {maximum} (at least {minimum})."
    return None


def why_limits_wrong(minimum: int, maximum: int) -> str | None:
    if maximum < minimum:
        return "The maximum number of words must not be below the minimum."
    return None


# -- authors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    name: str
    confirmed: bool


def why_not_submittable(authors: Sequence[Author]) -> str | None:
    """Every author of a co-authored entry has confirmed before it is submitted."""
    waiting = [author.name for author in authors if not author.confirmed]
    if waiting:
        return f"Not every author has confirmed yet: {', '.join(waiting)}."
    return None


def why_no_more_authors(current: int) -> str | None:
    if current >= MAX_AUTHORS:
        return f"An entry has at most {MAX_AUTHORS} authors."
    return None


# -- blind judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: int


def conflicted(
    juror_municipality: str | None, author_municipalities: Iterable[str], declared: bool
) -> bool:
    """A juror judges no entry from their own municipality (detected), nor any they declared."""
    return declared or (
        juror_municipality is not None and juror_municipality in set(author_municipalities)
    )


def jury_handle(secret: str, juror: str, entry_id: str) -> str:
    """The name one juror knows an entry by: nothing in it leads to the entry's id or authors,
    and two jurors know the same entry by different names."""
    digest = hmac.new(secret.encode(), f"{juror}\x00{entry_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


def jury_order(secret: str, juror: str, entry_ids: Iterable[str]) -> list[str]:
    """The order one juror sees the entries in: the same every visit, different per juror,
    so no entry is always read first (or last, by a tired jury)."""
    return sorted(entry_ids, key=lambda entry_id: jury_handle(secret, juror, entry_id))


def why_scores_wrong(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> str | None:
    expected = {criterion.key for criterion in criteria}
    if set(scores) != expected:
        return f"Score every criterion, and only these: {', '.join(sorted(expected))}."
    low, high = SCORE_RANGE
    if any(not low <= value <= high for value in scores.values()):
        return f"Each score is from {low} to {high}."
    return None


def weighted_score(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> Fraction:
    """One juror's verdict on one entry: the mean of the criteria, each by its weight."""
    total = sum(criterion.weight for criterion in criteria)
    return Fraction(sum(scores[c.key] * c.weight for c in criteria), total)


@dataclass(frozen=True)
class Standing:
    """An entry's place in the ranking, with what staff need to judge the judging."""

    entry_id: str
    rank: int
    mean: Fraction | None  # None: nobody scored it
    jurors: int
    spread: Fraction | None  # highest minus lowest juror's weighted score
    stdev: float | None  # population standard deviation between jurors
    criterion_means: dict[str, Fraction]
    too_few_scores: bool


def rank_entries(
    sheets: Mapping[str, Sequence[Mapping[str, int]]],
    criteria: Sequence[Criterion],
    min_scores: int = DEFAULT_MIN_SCORES,
) -> list[Standing]:
    """Rank entries by the weighted mean over the jurors who scored them (final sheets only).

    Ties are broken, in this order, by:

    1. the higher mean on the heaviest criterion, then the next heaviest, and so
       on (equal weights in the contest's order of criteria): the jury said
       what matters most;
    2. more jurors who scored it: a verdict that rests on more judgement;
    3. the smaller spread between jurors: a verdict they agree on.

    Entries equal on all of these share a rank (the next rank is skipped), and
    the jury decides between them. Nobody's score is rounded: the arithmetic
    is exact (fractions), so rounding never decides a place. Entries nobody
    scored come last, sharing a rank.
    """
    heaviest_first = sorted(criteria, key=lambda c: -c.weight)  # stable: contest order in ties
    rows = [
        _standing(entry_id, list(found), criteria, min_scores) for entry_id, found in sheets.items()
    ]

    def key(standing: Standing) -> tuple[object, ...]:
        if standing.mean is None:
            return (1,)
        return (
            0,
            -standing.mean,
            *(-standing.criterion_means[c.key] for c in heaviest_first),
            -standing.jurors,
            standing.spread,
        )

    rows.sort(key=lambda standing: (key(standing), standing.entry_id))
    ranked: list[Standing] = []
    for position, standing in enumerate(rows, start=1):
        tied = ranked and key(ranked[-1]) == key(standing)
        rank = ranked[-1].rank if tied else position
        ranked.append(replace(standing, rank=rank))
    return ranked


def _standing(
    entry_id: str, sheets: list[Mapping[str, int]], criteria: Sequence[Criterion], min_scores: int
) -> Standing:
    verdicts = [weighted_score(sheet, criteria) for sheet in sheets]
    if not verdicts:
        return Standing(entry_id, 0, None, 0, None, None, {}, min_scores > 0)
    return Standing(
        entry_id=entry_id,
        rank=0,
        mean=sum(verdicts, Fraction(0)) / len(verdicts),
        jurors=len(verdicts),
        spread=max(verdicts) - min(verdicts),
        stdev=statistics.pstdev(float(v) for v in verdicts),
        criterion_means={
            c.key: Fraction(sum(sheet[c.key] for sheet in sheets), len(sheets)) for c in criteria
        },
        too_few_scores=len(verdicts) < min_scores,
    )


# -- results and privacy -----------------------------------------------------------------------


def why_not_publishable(publishes_at: datetime, winners: int, now: datetime) -> str | None:
    if now < publishes_at:
        return f"The results can be published from {amsterdam(publishes_at)} (Amsterdam time)."
    if winners == 0:
        return "Choose the winners first."
    return None


def why_not_erasable(published: bool) -> str | None:
    """Personal data goes after the contest: once the results are public."""
    if not published:
        return "Personal data can be erased once the results have been published."
    return None
