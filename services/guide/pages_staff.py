"""The ministry's pages, for staff logged in: the guides and publishing one, a guide's
editions and toolbox with a page to add each, and the downloads per guide and per
municipality (also as CSV)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from services.guide import counts, exports, guides
from services.guide.files import read_file, send, store
from services.guide.labels import PHRASEBOOK
from services.guide.models import Guide
from services.guide.schemas import EditionIn, GuideIn, ToolboxItemIn
from shared.spreadsheet import download
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, form_step, load_form
from shared.web.service import now, service_context, transact
from shared.web.uploads import chosen_file, takes_uploads


def _me() -> str:
    principal = session_principal()
    assert principal is not None  # page_for let only staff through
    return principal.subject


# -- the guides, and publishing one -------------------------------------------------------------


def _overview(feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    found = transact(counts.per_guide, service_context().register)
    # A new guide counts for awareness unless staff untick it.
    fresh = MultiDict({"counts_for_awareness": "y"})
    values = request.form if request.method == "POST" else fresh
    page = render_template(
        "guide/staff/overview.html", counted=found, feedback=feedback, values=values
    )
    return page, feedback.status


@page_for("staff")
def overview() -> tuple[str, int]:
    return _overview()


@page_for("staff")
def publish_guide() -> ResponseReturnValue:
    return form_step(
        lambda: transact(guides.publish_guide, load_form(GuideIn()), _me()),
        refused=_overview,
        feedback=PHRASEBOOK.feedback,
        then=lambda guide: url_for(".staff_guide", slug=guide.slug),
        told="De handreiking is aangekondigd. Voeg nu de eerste editie toe.",
    )


@page_for("staff")
def staff_guide(slug: str) -> str:
    return render_template("guide/staff/guide.html", guide=transact(guides.guide_at, slug))


# -- a guide's editions and toolbox -----------------------------------------------------------


def _file_form(template: str, slug: str, feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    guide = transact(guides.guide_at, slug)
    return render_template(template, guide=guide, feedback=feedback), feedback.status


def _with_file(slug: str, schema: Schema, keep: Callable[..., Any]) -> Any:
    """The form's fields and its file, read before the use case's transaction starts."""
    guide = transact(guides.guide_at, slug)
    data = load_form(schema)
    name, content = read_file(chosen_file())
    return keep(guide, data, name, content)


def _posted_file(template: str, slug: str, schema: Schema, keep: Callable[..., Any]) -> Any:
    return form_step(
        lambda: _with_file(slug, schema, keep),
        refused=lambda feedback: _file_form(template, slug, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".staff_guide", slug=slug),
        told="Het document is gepubliceerd.",
    )


EDITION_FORM = "guide/staff/edition.html"
TOOLBOX_FORM = "guide/staff/toolbox_item.html"


@page_for("staff")
def edition_form(slug: str) -> tuple[str, int]:
    return _file_form(EDITION_FORM, slug)


@page_for("staff")
@takes_uploads(1)
def add_edition(slug: str) -> ResponseReturnValue:
    def keep(guide: Guide, data: dict[str, Any], name: str, content: bytes) -> Any:
        return transact(guides.add_edition, store(), guide.id, data, name, content, _me(), now())

    return _posted_file(EDITION_FORM, slug, EditionIn(), keep)


@page_for("staff")
def toolbox_form(slug: str) -> tuple[str, int]:
    return _file_form(TOOLBOX_FORM, slug)


@page_for("staff")
@takes_uploads(1)
def add_toolbox_item(slug: str) -> ResponseReturnValue:
    def keep(guide: Guide, data: dict[str, Any], name: str, content: bytes) -> Any:
        return transact(guides.add_toolbox_item, store(), guide.id, data, name, content, _me())

    return _posted_file(TOOLBOX_FORM, slug, ToolboxItemIn(), keep)


@page_for("staff")
def staff_file(file_id: UUID) -> ResponseReturnValue:
    """A file as published, to check it; not counted as a download."""
    return send(transact(guides.stored_file, str(file_id)))


# -- the downloads ----------------------------------------------------------------------------


@page_for("staff")
def downloads_page() -> str:
    register = service_context().register
    return render_template(
        "guide/staff/downloads.html",
        per_guide=transact(counts.per_guide, register),
        per_municipality=transact(counts.per_municipality, register),
        target_group=len(register.target_group),
    )


@page_for("staff")
def guides_csv() -> ResponseReturnValue:
    body = transact(exports.guides_csv, service_context().register)
    return download(body, "downloads-per-handreiking.csv")


@page_for("staff")
def municipalities_csv() -> ResponseReturnValue:
    body = transact(exports.municipalities_csv, service_context().register)
    return download(body, "downloads-per-gemeente.csv")
