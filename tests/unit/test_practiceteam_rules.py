"""Pure unit tests of the praktijkteam rules: the whole state machine, deadlines, capacity,
documents by their content, and the tracking link."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from itertools import product

import pytest

from services.practiceteam.domain import (
    NEEDS,
    IllegalTransition,
    MissingData,
    Party,
    Status,
    add_working_days,
    check_transition,
    intake_overdue,
    message_kind,
    months_spanned,
    next_step,
    why_lead_wrong,
    why_team_change_refused,
    workload,
)
from shared.auth.links import LinkSigner
from shared.documents import display_name, document_type
from shared.events.catalogue import PRACTICETEAM_STATUSES

# The lifecycle as the issue describes it, written out apart from the code under test.
ALLOWED: dict[str, set[str]] = {
    "submitted": {"intake", "withdrawn"},
    "intake": {"accepted", "declined", "withdrawn"},
    "accepted": {"planned", "withdrawn"},
    "planned": {"in_progress", "withdrawn"},
    "in_progress": {"completed"},
    "completed": {"closed"},
    "declined": set(),
    "closed": set(),
    "withdrawn": set(),
}
EVERYTHING = {"reason", "team", "dates", "report", "agreements", "evaluation"}
PAIRS = list(product(ALLOWED, ALLOWED))


def test_the_lifecycle_has_every_status_and_the_events_name_them() -> None:
    assert set(ALLOWED) == {status.value for status in Status}
    assert tuple(status.value for status in Status) == PRACTICETEAM_STATUSES


@pytest.mark.parametrize(
    ("current", "to"),
    [pair for pair in PAIRS if pair[1] in ALLOWED[pair[0]]],
    ids=lambda status: status,
)
def test_every_allowed_move(current: str, to: str) -> None:
    check_transition(Status(current), Status(to), EVERYTHING)


@pytest.mark.parametrize(
    ("current", "to"),
    [pair for pair in PAIRS if pair[1] not in ALLOWED[pair[0]]],
    ids=lambda status: status,
)
def test_every_forbidden_move_names_the_allowed_ones(current: str, to: str) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_transition(Status(current), Status(to), EVERYTHING)
    assert set(refused.value.allowed) == ALLOWED[current]
    assert current in str(refused.value) and to in str(refused.value)


@pytest.mark.parametrize(
    ("current", "to", "needs"),
    [
        ("intake", "declined", ["reason"]),
        ("accepted", "planned", ["team", "dates"]),
        ("in_progress", "completed", ["report", "agreements"]),
        ("completed", "closed", ["evaluation"]),
    ],
)
def test_a_move_without_its_data_says_what_is_missing(
    current: str, to: str, needs: list[str]
) -> None:
    assert list(NEEDS[Status(to)]) == needs
    with pytest.raises(MissingData) as missing:
        check_transition(Status(current), Status(to), set())
    assert missing.value.missing == needs
    check_transition(Status(current), Status(to), set(needs))


def test_an_illegal_move_is_refused_before_its_data_is_asked_for() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(Status.WITHDRAWN, Status.PLANNED, set())


def test_working_days_skip_weekends() -> None:
    friday = date(2012, 10, 5)
    assert add_working_days(friday, 1) == date(2012, 10, 8)
    assert add_working_days(date(2012, 10, 1), 10) == date(2012, 10, 15)
    assert add_working_days(date(2012, 10, 6), 10) == date(2012, 10, 19)  # from a Saturday


def test_waiting_more_than_ten_working_days_for_intake_is_overdue() -> None:
    monday = datetime(2012, 10, 1, 10, tzinfo=UTC)
    late_on_due_day = datetime(2012, 10, 15, 21, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    next_morning = datetime(2012, 10, 16, 6, tzinfo=UTC)
    assert not intake_overdue(Status.SUBMITTED, monday, late_on_due_day)
    assert intake_overdue(Status.SUBMITTED, monday, next_morning)
    assert not intake_overdue(Status.INTAKE, monday, next_morning)
    # Days are Amsterdam days: this is Monday 8 October, 00:30 there, still Sunday in UTC.
    monday_night = datetime(2012, 10, 7, 22, 30, tzinfo=UTC)
    assert not intake_overdue(
        Status.SUBMITTED, monday_night, datetime(2012, 10, 22, 12, tzinfo=UTC)
    )
    assert intake_overdue(Status.SUBMITTED, monday_night, datetime(2012, 10, 23, 8, tzinfo=UTC))


def test_the_municipality_sees_when_to_expect_the_next_step() -> None:
    since = datetime(2012, 10, 1, 10, tzinfo=UTC)
    dates = [date(2012, 11, 12), date(2012, 11, 5)]
    assert next_step(Status.SUBMITTED, since, []).__dict__ == {
        "step": "intake",
        "expected_on": date(2012, 10, 15),
    }
    assert next_step(Status.INTAKE, since, []).step == "decision"
    assert next_step(Status.ACCEPTED, since, []).step == "planning"
    assert next_step(Status.PLANNED, since, dates).expected_on == date(2012, 11, 5)
    assert next_step(Status.IN_PROGRESS, since, dates).expected_on == date(2012, 11, 26)
    assert next_step(Status.COMPLETED, since, dates).step == "evaluation"
    for final in (Status.DECLINED, Status.CLOSED, Status.WITHDRAWN):
        assert next_step(final, since, dates) is None


def test_a_request_counts_in_every_month_from_its_first_date_to_its_last() -> None:
    assert months_spanned([date(2012, 12, 20), date(2013, 2, 1)]) == [
        "2012-12",
        "2013-01",
        "2013-02",
    ]
    months, unplanned = workload([[date(2012, 11, 5)], [date(2012, 11, 20), date(2012, 12, 3)], []])
    assert months == {"2012-11": 2, "2012-12": 1} and unplanned == 1


def test_the_team_is_settled_once_the_work_is_done() -> None:
    assert why_team_change_refused(Status.INTAKE, 0) is None
    assert why_team_change_refused(Status.PLANNED, 0)
    assert why_team_change_refused(Status.PLANNED, 1) is None
    assert why_team_change_refused(Status.COMPLETED, 2)


def test_groups_name_a_lead_among_them() -> None:
    assert why_lead_wrong(["GM0599"], None) is None
    assert why_lead_wrong(["GM0599", "GM0606"], None)
    assert why_lead_wrong(["GM0599", "GM0606"], "GM0363")
    assert why_lead_wrong(["GM0599", "GM0606"], "GM0606") is None


def test_the_ministry_asks_and_the_municipality_answers_or_adds() -> None:
    assert message_kind(Party.MINISTRY, False) == "question"
    assert message_kind(Party.MUNICIPALITY, True) == "answer"
    assert message_kind(Party.MUNICIPALITY, False) == "information"


# -- documents by their content ---------------------------------------------------------


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OOXML = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
OLE = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512)


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"%PDF-1.4\n%...", "application/pdf"),
        (zipped(OOXML), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (
            zipped({"[Content_Types].xml": b"", "xl/workbook.xml": b""}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
            "application/vnd.oasis.opendocument.text",
        ),
        (OLE + "WordDocument".encode("utf-16-le"), "application/msword"),
        (OLE + "Workbook".encode("utf-16-le"), "application/vnd.ms-excel"),
        (b"MZ\x90\x00" + bytes(200), None),  # a Windows executable
        (b"\x7fELF" + bytes(200), None),
        (zipped({**OOXML, "word/vbaProject.bin": b"macros"}), None),
        (zipped({"payload.exe": b"MZ"}), None),
        (zipped({"mimetype": b"application/x-msdownload"}), None),
        (OLE + "_VBA_PROJECT".encode("utf-16-le") + "WordDocument".encode("utf-16-le"), None),
        (OLE, None),  # an installer is an OLE file too
        (b"PK\x03\x04 not really a zip", None),
        (b"<html><script>", None),
    ],
)
def test_documents_are_known_by_their_content(content: bytes, media_type: str | None) -> None:
    assert document_type(content) == media_type


def test_a_document_is_offered_under_a_harmless_name_with_its_real_extension() -> None:
    assert display_name("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert display_name("C:\\Users\\an\\plan.exe", "application/pdf") == "plan.pdf"
    assert display_name('notulen "mei"\r\n.docx', "application/msword") == "notulen mei.doc"
    assert display_name(None, "application/pdf") == "bijlage.pdf"


def test_a_tracking_link_opens_its_own_request_only() -> None:
    links = LinkSigner("secret " * 8, "gia-practiceteam-tracking")
    token = links.token("request-a")
    assert links.opens("request-a", token)
    assert not links.opens("request-b", token)
    assert not links.opens("request-a", None)
    assert not links.opens("request-a", token + "x")
    assert not LinkSigner("secret " * 8, "another-kind").opens("request-a", token)
