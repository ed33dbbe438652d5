"""The essay contest's rules: the deadline, word counts, authors, blind judging and the ranking."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from services.essay_contest.domain import (
    COUNCIL_LINK_VALID,
    Author,
    CouncilStatus,
    Criterion,
    Phase,
    confirmation_wait,
    conflicted,
    council_status,
    count_words,
    countdown,
    fingerprint,
    jury_handle,
    jury_order,
    normalise_text,
    phase,
    rank_entries,
    why_no_council_request,
    why_no_more_authors,
    why_not_council_member,
    why_not_publishable,
    why_not_submittable,
    why_scores_wrong,
    why_window_wrong,
    why_word_count_wrong,
    why_writing_closed,
)

OPENS = datetime(2012, 9, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2012, 11, 1, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam (winter time)
SECOND = timedelta(seconds=1)


def test_entries_can_change_from_the_opening_until_just_before_the_deadline() -> None:
    assert why_writing_closed(OPENS, CLOSES, OPENS) is None
    assert why_writing_closed(OPENS, CLOSES, CLOSES - SECOND) is None
    early = why_writing_closed(OPENS, CLOSES, OPENS - SECOND)
    assert early and "opens at 01-09-2012 11:00" in early


def test_at_the_deadline_entries_freeze_and_the_reason_names_the_deadline() -> None:
    for now in (CLOSES, CLOSES + timedelta(days=30)):
        reason = why_writing_closed(OPENS, CLOSES, now)
        assert reason and "01-11-2012 12:00" in reason and "frozen" in reason


def test_the_phase_follows_the_clock_and_publication() -> None:
    assert phase(OPENS, CLOSES, False, OPENS - SECOND) == Phase.UPCOMING
    assert phase(OPENS, CLOSES, False, OPENS) == Phase.OPEN
    assert phase(OPENS, CLOSES, False, CLOSES) == Phase.JUDGING
    assert phase(OPENS, CLOSES, True, CLOSES) == Phase.PUBLISHED


def test_the_countdown_shows_what_is_left_and_stops_at_the_deadline() -> None:
    now = CLOSES - timedelta(days=2, hours=3, minutes=4, seconds=5)
    assert countdown(CLOSES, now) == {"days": 2, "hours": 3, "minutes": 4}
    assert countdown(CLOSES, CLOSES) is None


def test_dates_out_of_order_name_the_field() -> None:
    assert why_window_wrong(OPENS, OPENS, CLOSES + SECOND)[0] == "closes_at"  # type: ignore[index]
    assert why_window_wrong(OPENS, CLOSES, CLOSES)[0] == "publishes_at"  # type: ignore[index]
    assert why_window_wrong(OPENS, CLOSES, CLOSES + SECOND) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("  — ! ? ", 0),
        ("De raad's lange-termijn visie — echt!", 5),
        ("Integratie\nin 2012:\r\n\r\nsamen leven bindt verschillen.", 7),
        ("één caf\u00e9\u2019s", 2),
    ],
)
def test_words_are_counted_without_stray_punctuation(text: str, words: int) -> None:
    assert count_words(text) == words


def test_the_word_count_refusal_says_the_count_and_the_limits() -> None:
    assert why_word_count_wrong(800, 800, 2000) is None
    assert why_word_count_wrong(2000, 800, 2000) is None
    few = why_word_count_wrong(799, 800, 2000)
    many = why_word_count_wrong(2001, 800, 2000)
    assert few and "799 words" in few and "at least 800" in few
    assert many and "2001 words" in many and "at most 2000" in many


def test_the_fingerprint_is_sha256_of_the_normalised_text() -> None:
    text = normalise_text("Eerste alinea.  \r\n\r\nTweede alinea.\r\n")
    assert text == "Eerste alinea.\n\nTweede alinea."
    assert fingerprint(text) == fingerprint("Eerste alinea.\n\nTweede alinea.")
    assert fingerprint(text) != fingerprint(text + "!")
    assert len(fingerprint(text)) == 64


# Pasted from a Mac or a PDF, accented letters often arrive decomposed (e + U+0308).
DECOMPOSED = unicodedata.normalize("NFD", "Ideeën over naïeve café-politiek")


def test_decomposed_accents_count_and_fingerprint_as_the_letters_they_are() -> None:
    text = normalise_text(DECOMPOSED)
    assert text == unicodedata.normalize("NFC", DECOMPOSED)
    assert count_words(text) == 4
    assert fingerprint(text) == fingerprint(normalise_text(unicodedata.normalize("NFC", text)))


# essay.js run in node with a stand-in for the page: the count it shows for a text.
LIVE_COUNT = """
const vm = require("vm"), fs = require("fs");
const [script, samples] = [fs.readFileSync(process.argv[1], "utf8"), JSON.parse(process.argv[2])];
console.log(JSON.stringify(samples.map((value) => {
  const output = {dataset: {wordCount: "text"}, previousSibling: {}, textContent: ""};
  const text = {value: value, addEventListener() {}};
  const document = {
    querySelectorAll: (selector) => selector.startsWith("output") ? [output] : [],
    getElementById: () => text,
  };
  vm.runInNewContext(script, {document: document, setInterval() {}});
  return Number(output.textContent);
})));
"""


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node runs the page's essay.js here; it is no dependency of the project, and "
    "without the script the page still counts on the server",
)
def test_the_live_word_count_on_the_page_is_the_servers_count() -> None:
    samples = [
        "De raad's lange-termijn visie — echt!",
        "Integratie\nin 2012:\r\n\r\nsamen leven bindt verschillen.",
        "één caf\u00e9\u2019s _onderstreept_ x² ½",
        "'citaat' -streep- \u2013 1.000,50 euro e-mail@raad.nl",
        "العربية 中文 ß",
        DECOMPOSED,
    ]
    script = Path(__file__).parents[2] / "services/essay_contest/static/essay.js"
    shown = subprocess.run(
        ["node", "-e", LIVE_COUNT, str(script), json.dumps(samples)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(shown.stdout) == [count_words(normalise_text(s)) for s in samples]


def test_an_unconfirmed_co_author_blocks_submission_and_three_is_the_most() -> None:
    authors = [Author("An", True), Author("Bram", False)]
    reason = why_not_submittable(authors)
    assert reason and "Bram" in reason and "An" not in reason
    assert why_not_submittable([Author("An", True), Author("Bram", True)]) is None
    assert why_no_more_authors(2) is None
    assert why_no_more_authors(3)


def test_a_juror_from_an_authors_municipality_is_conflicted_as_is_one_who_declared() -> None:
    assert conflicted("GM0599", ["GM0363", "GM0599"], declared=False)
    assert not conflicted("GM0599", ["GM0363"], declared=False)
    assert not conflicted(None, ["GM0363"], declared=False)
    assert conflicted(None, ["GM0363"], declared=True)


def test_each_juror_has_a_stable_order_of_their_own_and_handles_that_lead_nowhere() -> None:
    entries = [f"00000000-0000-0000-0000-{n:012d}" for n in range(12)]
    first = jury_order("secret", "a@jury.nl", entries)
    assert first == jury_order("secret", "a@jury.nl", list(reversed(entries)))
    assert first != jury_order("secret", "b@jury.nl", entries)
    assert sorted(first) == entries
    handle = jury_handle("secret", "a@jury.nl", entries[0])
    assert handle != jury_handle("secret", "b@jury.nl", entries[0])
    assert entries[0] not in handle and entries[0][-12:] not in handle


CRITERIA = [
    Criterion("vision", "Visie", 3),
    Criterion("local", "Lokaal", 2),
    Criterion("style", "Stijl", 1),
]


def sheet(vision: int, local: int, style: int) -> dict[str, int]:
    return {"vision": vision, "local": local, "style": style}


def test_scores_cover_every_criterion_within_the_scale() -> None:
    assert why_scores_wrong(sheet(1, 10, 5), CRITERIA) is None
    assert why_scores_wrong({"vision": 5}, CRITERIA)
    assert why_scores_wrong(sheet(0, 5, 5), CRITERIA)
    assert why_scores_wrong({**sheet(5, 5, 5), "luck": 5}, CRITERIA)


def test_ranking_worked_example() -> None:
    """Weights vision 3, local 2, style 1 (total 6); a juror's verdict is the weighted mean.

    | entry | juror 1         | juror 2         | verdicts      | mean           |
    |-------|-----------------|-----------------|---------------|----------------|
    | G     | 9 9 9 -> 9      |                 | 9             | 9              |
    | B     | 7 7 7 -> 42/6   | 7 6 8 -> 41/6   | 7, 6.83       | 83/12 = 6.917  |
    | A     | 8 6 6 -> 42/6   | 6 8 6 -> 40/6   | 7, 6.67       | 82/12 = 6.833  |
    | C     | 8 5 5 -> 39/6   | 6 7 7 -> 39/6   | 6.5, 6.5      | 6.5, vision 7  |
    | E     | 6 7 6 -> 38/6   | 6 8 6 -> 40/6   | 6.33, 6.67    | 6.5, vision 6, spread 1/3 |
    | F     | same as E       |                 |               | tied with E    |
    | D     | 6 8 7 -> 41/6   | 6 7 5 -> 37/6   | 6.83, 6.17    | 6.5, vision 6, spread 2/3 |
    | H     | nobody scored   |                 |               | last           |

    C, D, E and F all have 6.5: C wins on the heaviest criterion (vision 7
    against 6). D, E and F are equal on every criterion (6, 7.5, 6) and in
    jurors (2): the smaller spread puts E and F above D. E and F are equal in
    everything, so they share rank 5 and D is 7th. G has the best mean but
    only one juror: staff see it flagged as having too few scores.
    """
    sheets = {
        "A": [sheet(8, 6, 6), sheet(6, 8, 6)],
        "B": [sheet(7, 7, 7), sheet(7, 6, 8)],
        "C": [sheet(8, 5, 5), sheet(6, 7, 7)],
        "D": [sheet(6, 8, 7), sheet(6, 7, 5)],
        "E": [sheet(6, 7, 6), sheet(6, 8, 6)],
        "F": [sheet(6, 8, 6), sheet(6, 7, 6)],
        "G": [sheet(9, 9, 9)],
        "H": [],
    }
    ranking = rank_entries(sheets, CRITERIA, min_scores=2)
    assert [(s.entry_id, s.rank) for s in ranking] == [
        ("G", 1),
        ("B", 2),
        ("A", 3),
        ("C", 4),
        ("E", 5),
        ("F", 5),
        ("D", 7),
        ("H", 8),
    ]
    by_entry = {s.entry_id: s for s in ranking}
    assert by_entry["B"].mean == Fraction(83, 12)
    assert by_entry["A"].mean == Fraction(82, 12)
    assert by_entry["D"].spread == Fraction(4, 6) and by_entry["E"].spread == Fraction(2, 6)
    assert by_entry["D"].criterion_means == {
        "vision": 6,
        "local": Fraction(15, 2),
        "style": 6,
    }
    assert by_entry["D"].stdev == pytest.approx(1 / 3)
    assert [s.entry_id for s in ranking if s.too_few_scores] == ["G", "H"]
    assert by_entry["H"].mean is None and by_entry["H"].jurors == 0


def test_with_equal_means_on_every_criterion_more_jurors_rank_higher() -> None:
    ranking = rank_entries(
        {"two": [sheet(7, 7, 7)] * 2, "three": [sheet(7, 7, 7)] * 3}, CRITERIA, min_scores=3
    )
    assert [(s.entry_id, s.rank, s.too_few_scores) for s in ranking] == [
        ("three", 1, False),
        ("two", 2, True),
    ]


def test_results_are_published_from_the_publication_date_with_winners() -> None:
    reason = why_not_publishable(CLOSES, 1, CLOSES - SECOND)
    assert reason and "01-11-2012 12:00" in reason
    assert why_not_publishable(CLOSES, 0, CLOSES)
    assert why_not_publishable(CLOSES, 1, CLOSES) is None


def test_a_new_confirmation_mail_waits_until_the_interval_since_the_last_one_passed() -> None:
    interval = timedelta(minutes=10)
    assert confirmation_wait(None, OPENS, interval) is None  # never mailed
    assert confirmation_wait(OPENS, OPENS, interval) == 600
    assert confirmation_wait(OPENS, OPENS + timedelta(minutes=9, seconds=59.5), interval) == 1
    assert confirmation_wait(OPENS, OPENS + interval, interval) is None
    assert confirmation_wait(OPENS, OPENS + interval + SECOND, interval) is None


def test_where_the_griffies_confirmation_stands() -> None:
    asked = OPENS + timedelta(days=1)

    def status(**given: object) -> CouncilStatus:
        facts = {
            "required": True,
            "email_confirmed": True,
            "griffie_known": True,
            "asked_at": asked,
            "answer": None,
            "now": asked,
        }
        return council_status(**{**facts, **given})  # type: ignore[arg-type]

    assert status(required=False, answer="denied") == CouncilStatus.NOT_REQUIRED
    assert status(email_confirmed=False) == CouncilStatus.EMAIL_UNCONFIRMED
    assert status(asked_at=None, griffie_known=False) == CouncilStatus.NO_GRIFFIE
    assert status(asked_at=None) == CouncilStatus.NOT_ASKED
    assert status(now=asked + COUNCIL_LINK_VALID - SECOND) == CouncilStatus.PENDING
    assert status(now=asked + COUNCIL_LINK_VALID) == CouncilStatus.EXPIRED
    # An answer stands, however late.
    late = asked + 10 * COUNCIL_LINK_VALID
    assert status(answer="confirmed", now=late) == CouncilStatus.CONFIRMED
    assert status(answer="denied", now=late) == CouncilStatus.DENIED


def test_who_may_submit_and_when_the_griffie_may_be_asked_again() -> None:
    may_submit = {CouncilStatus.NOT_REQUIRED, CouncilStatus.CONFIRMED}
    may_ask = {CouncilStatus.NOT_ASKED, CouncilStatus.EXPIRED}
    for status in CouncilStatus:
        reason = why_not_council_member("Anna Bakker", status)
        assert (reason is None) == (status in may_submit)
        assert reason is None or "Anna Bakker" in reason
        assert (why_no_council_request(status) is None) == (status in may_ask)
